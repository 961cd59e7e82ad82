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
export const MULTI_FIDELITY_DEFAULTS: MultiFidelityOptions = {
  lowShare: 0.45,
  population: 12,
  ridge: 0.3,
  minFit: 10,
  neighbourWeight: 0.5,
  encoding: 'paths',
  logTarget: true,
  surrogate: 'ensemble',
};

const hamming = (a: Nb201Cell, b: Nb201Cell): number => a.reduce((n, op, i) => n + (op === b[i] ? 0 : 1), 0);

/** A cell with its low-fidelity accuracy (%), as the full-accuracy predictor takes it. */
interface Screened {
  readonly arch: string;
  readonly cell: Nb201Cell;
  readonly acc: number;
}
/** Predicted full accuracy (%) of each screened cell, in order: one call per round, so a model runs once over all. */
type Predictor = (cells: readonly Screened[]) => number[];

/**
 * Our algorithm with a low-fidelity column: (1) NSGA-II on the cheap accuracy, costs free, for `lowShare` of
 * the budget; (2) full lookups one at a time, each the screened cell that adds most hypervolume under a
 * surrogate of full accuracy from its low-fidelity accuracy, costs and cell encoding (an ensemble of small
 * networks, or a ridge corrected by the residuals of already evaluated neighbours).
 */
export function multiFidelity(oracle: Oracle, rng: Rng, budget: number, o: MultiFidelityOptions = MULTI_FIDELITY_DEFAULTS): void {
  const low = new Map<string, { cell: Nb201Cell; acc: number }>();
  const stage1 = nsga2<Nb201Cell>({ populationSize: o.population });
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
  const encode = (cell: Nb201Cell) =>
    o.encoding === 'canonical' ? nb201Features(cell) : o.encoding === 'paths' ? nb201PathFeatures(cell) : nb201PathFeatures(cell).slice(0, 30);
  const row = (c: Screened) => [c.acc / 100, (c.acc / 100) ** 2, ...oracle.costs(c.arch), ...encode(c.cell)];
  while (oracle.spent + 1 <= budget + 1e-9) {
    const candidates = [...low.entries()].filter(([arch]) => !full.has(arch)).map(([arch, l]) => ({ arch, cell: l.cell, acc: l.acc }));
    if (candidates.length === 0) break;
    const accuracies = predictor(full, low, row, o)(candidates);
    const predicted = candidates.map((c, i) => [100 - accuracies[i]!, ...oracle.costs(c.arch)]);
    const evaluated = [...full.entries()].map(([arch, acc]) => [100 - acc, ...oracle.costs(arch)]);
    const [pick] = greedyHvBatch(evaluated, predicted, 1);
    const chosen = pick ?? predicted.reduce((best, p, i) => (p[0]! < predicted[best]![0]! ? i : best), 0);
    const arch = candidates[chosen]!.arch;
    full.set(arch, oracle.accuracy(arch));
  }

  /** Full accuracy from the cheap one (scaled), the costs standardised over the cheap lookups, and the canonical cell. */
  function ensemblePredictor(fitted: readonly (Screened & { target: number })[], fromT: (t: number) => number): Predictor {
    const z = standardiser([...low.keys()].map((arch) => oracle.costs(arch)));
    const input = (c: Screened) => [(c.acc - 80) / 10, ...z(oracle.costs(c.arch)), ...nb201Features(c.cell)];
    const model = fitEnsemble(
      fitted.map(input),
      fitted.map((f) => f.target),
      rng,
      OURS_SURROGATE.members,
      OURS_SURROGATE.mlp,
    );
    return (cells) => predictEnsemble(model, cells.map(input)).map((p) => fromT(p.mean));
  }

  function predictor(
    full: Map<string, number>,
    low: Map<string, { cell: Nb201Cell; acc: number }>,
    row: (c: Screened) => number[],
    o: MultiFidelityOptions,
  ): Predictor {
    // each fully evaluated cell: its screening (acc = low-fidelity accuracy) and its full accuracy
    const pairs = [...full.entries()].map(([arch, full]) => ({ arch, cell: low.get(arch)!.cell, acc: low.get(arch)!.acc, full }));
    const toT = o.logTarget ? accuracyToTarget : (a: number) => a;
    const fromT = o.logTarget ? targetToAccuracy : (t: number) => t;
    if (pairs.length >= o.minFit && o.surrogate === 'ensemble')
      return ensemblePredictor(
        pairs.map((p) => ({ ...p, target: toT(p.full) })),
        fromT,
      );
    if (pairs.length >= o.minFit) {
      const model = fitRidge(
        pairs.map(row),
        pairs.map((p) => toT(p.full)),
        o.ridge,
      );
      if (model) {
        const residual = new Map(pairs.map((p) => [p.arch, toT(p.full) - predictRidge(model, row(p))]));
        return (cells) =>
          cells.map((c) => {
            const near = pairs.filter((p) => hamming(p.cell, c.cell) === 1).map((p) => residual.get(p.arch)!);
            const correction = near.length ? (o.neighbourWeight * near.reduce((a, b) => a + b, 0)) / near.length : 0;
            return fromT(predictRidge(model, row(c)) + correction);
          });
      }
    }
    // few full lookups yet: a straight line from low to full accuracy, or a typical offset before three
    if (pairs.length >= 3) {
      // without spread in the cheap accuracy, a slope of 1 through the means
      const mx = pairs.reduce((s, p) => s + p.acc, 0) / pairs.length;
      const line = fitLine(pairs.map((p) => [p.acc, p.full] as const)) ?? { a: pairs.reduce((s, p) => s + p.full, 0) / pairs.length - mx, b: 1 };
      return (cells) => cells.map((c) => line.a + line.b * c.acc);
    }
    return (cells) => cells.map((c) => c.acc + 5);
  }
}
