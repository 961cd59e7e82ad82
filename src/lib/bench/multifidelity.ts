import type { Rng } from '../core/rng';
import { fitLine, standardiser } from '../core/stats';
import { greedyHvBatch } from '../search/acquisition';
import { initialState } from '../search/algorithm';
import { nsga2 } from '../search/nsga2';
import { formatCell, nb201Features, nb201PathFeatures, nb201Space, type Nb201Cell } from '../search/spaces/nb201';
import { accuracyToTarget, fitRidge, predictRidge, targetToAccuracy } from '../search/surrogate';
import { fitEnsemble, predictEnsemble } from '../search/ensemble';
import { OURS_SURROGATE } from '../search/registry';
import type { Oracle } from './oracle';

export interface MultiFidelityOptions {
  /** Share of the budget spent on low-fidelity lookups before any full one. */
  readonly lowShare: number;
  /** NSGA-II population of the low-fidelity stage. */
  readonly population: number;
  readonly ridge: number;
  /** Full evaluations before the surrogate replaces a straight low -> full fit. */
  readonly minFit: number;
  /** Weight of the mean residual of evaluated one-edge neighbours added to a prediction. */
  readonly neighbourWeight: number;
  /** Surrogate inputs besides low-fidelity accuracy and costs: one-hot ops, one-hot plus path encoding, or the space's canonical-cell features. */
  readonly encoding: 'one-hot' | 'paths' | 'canonical';
  /** Model -log(100.5 - accuracy) instead of accuracy itself. */
  readonly logTarget: boolean;
  /** The full-accuracy model once `minFit` full lookups exist: ridge on `encoding`, or ours' network ensemble on the canonical cell. */
  readonly surrogate: 'ridge' | 'ensemble';
}

/** Chosen on the benchmark (README "Search", 20 seeds, error vs FPGA latency). */
export const MULTI_FIDELITY_DEFAULTS: MultiFidelityOptions = { lowShare: 0.45, population: 12, ridge: 0.3, minFit: 10, neighbourWeight: 0.5, encoding: 'paths', logTarget: true, surrogate: 'ensemble' };

const hamming = (a: Nb201Cell, b: Nb201Cell): number => a.reduce((n, op, i) => n + (op === b[i] ? 0 : 1), 0);

/**
 * Our algorithm with a low-fidelity column: (1) NSGA-II on the cheap accuracy, costs free, for `lowShare` of
 * the budget; (2) full lookups one at a time, each the screened cell that adds most hypervolume under a
 * surrogate of full accuracy from its low-fidelity accuracy, costs and cell encoding (an ensemble of small
 * networks, or a ridge corrected by the residuals of already evaluated neighbours).
 */
export function multiFidelity(oracle: Oracle, rng: Rng, budget: number, o: MultiFidelityOptions = MULTI_FIDELITY_DEFAULTS): void {
  const low = new Map<string, { cell: Nb201Cell; acc: number }>();
  const stage1 = nsga2({ populationSize: o.population });
  let state = initialState<Nb201Cell>('nsga2');
  const lowBudget = o.lowShare * budget;
  while (oracle.spent + oracle.lowFidelityCost <= lowBudget + 1e-9) {
    const room = Math.floor((lowBudget - oracle.spent) / oracle.lowFidelityCost + 1e-9);
    const asked = stage1.ask(state, nb201Space, rng, Math.min(room, o.population));
    if (asked.length === 0) break;
    const evaluated = asked.map((cell) => {
      const arch = formatCell(cell);
      const acc = oracle.lowFidelity(arch);
      low.set(arch, { cell, acc });
      return { genome: cell, key: arch, objectives: [100 - acc, ...oracle.costs(arch)] };
    });
    state = stage1.tell(state, evaluated);
  }

  const full = new Map<string, number>();
  const encode = (cell: Nb201Cell) => (o.encoding === 'canonical' ? nb201Features(cell) : o.encoding === 'paths' ? nb201PathFeatures(cell) : nb201PathFeatures(cell).slice(0, 30));
  const row = (arch: string, cell: Nb201Cell, acc: number) => [acc / 100, (acc / 100) ** 2, ...oracle.costs(arch), ...encode(cell)];
  while (oracle.spent + 1 <= budget + 1e-9) {
    const candidates = [...low.entries()].filter(([arch]) => !full.has(arch));
    if (candidates.length === 0) break;
    const predict = predictor(full, low, row, o);
    const predicted = candidates.map(([arch, l]) => [100 - predict(arch, l.cell, l.acc), ...oracle.costs(arch)]);
    const evaluated = [...full.entries()].map(([arch, acc]) => [100 - acc, ...oracle.costs(arch)]);
    const [pick] = greedyHvBatch(evaluated, predicted, 1);
    const chosen = pick ?? predicted.reduce((best, p, i) => (p[0]! < predicted[best]![0]! ? i : best), 0);
    const arch = candidates[chosen]![0];
    full.set(arch, oracle.accuracy(arch));
  }

  /** Full accuracy from the cheap one (scaled), the costs standardised over the cheap lookups, and the canonical cell. */
  function ensemblePredictor(fitted: readonly { arch: string; cell: Nb201Cell; low: number; target: number }[], fromT: (t: number) => number) {
    const z = standardiser([...low.keys()].map((arch) => oracle.costs(arch)));
    const input = (arch: string, cell: Nb201Cell, acc: number) => [(acc - 80) / 10, ...z(oracle.costs(arch)), ...nb201Features(cell)];
    const model = fitEnsemble(fitted.map((f) => input(f.arch, f.cell, f.low)), fitted.map((f) => f.target), rng, OURS_SURROGATE.members, OURS_SURROGATE.mlp);
    return (arch: string, cell: Nb201Cell, acc: number) => fromT(predictEnsemble(model, [input(arch, cell, acc)])[0]!.mean);
  }

  function predictor(full: Map<string, number>, low: Map<string, { cell: Nb201Cell; acc: number }>, row: (a: string, c: Nb201Cell, acc: number) => number[], o: MultiFidelityOptions) {
    const pairs = [...full.entries()].map(([arch, acc]) => ({ arch, acc, l: low.get(arch)! }));
    const toT = o.logTarget ? accuracyToTarget : (a: number) => a;
    const fromT = o.logTarget ? targetToAccuracy : (t: number) => t;
    if (pairs.length >= o.minFit && o.surrogate === 'ensemble') return ensemblePredictor(pairs.map((p) => ({ arch: p.arch, cell: p.l.cell, low: p.l.acc, target: toT(p.acc) })), fromT);
    if (pairs.length >= o.minFit) {
      const model = fitRidge(pairs.map((p) => row(p.arch, p.l.cell, p.l.acc)), pairs.map((p) => toT(p.acc)), o.ridge);
      if (model) {
        const residual = new Map(pairs.map((p) => [p.arch, toT(p.acc) - predictRidge(model, row(p.arch, p.l.cell, p.l.acc))]));
        return (arch: string, cell: Nb201Cell, acc: number) => {
          const near = pairs.filter((p) => hamming(p.l.cell, cell) === 1).map((p) => residual.get(p.arch)!);
          const correction = near.length ? (o.neighbourWeight * near.reduce((a, b) => a + b, 0)) / near.length : 0;
          return fromT(predictRidge(model, row(arch, cell, acc)) + correction);
        };
      }
    }
    // few full lookups yet: a straight line from low to full accuracy, or a typical offset before three
    if (pairs.length >= 3) {
      // without spread in the cheap accuracy, a slope of 1 through the means
      const mx = pairs.reduce((s, p) => s + p.l.acc, 0) / pairs.length;
      const line = fitLine(pairs.map((p) => [p.l.acc, p.acc] as const)) ?? { a: pairs.reduce((s, p) => s + p.acc, 0) / pairs.length - mx, b: 1 };
      return (_a: string, _c: Nb201Cell, acc: number) => line.a + line.b * acc;
    }
    return (_a: string, _c: Nb201Cell, acc: number) => acc + 5;
  }
}
