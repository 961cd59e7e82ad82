import type { Rng } from '../core/rng';
import { mean, populationSd } from '../core/stats';
import { fitMlp, predictMlp, type Mlp, type MlpOptions } from './mlp';

/** Mean and spread of an ensemble's predictions for one row, in the target's units. */
export interface Prediction {
  readonly mean: number;
  readonly sd: number;
}

export interface Ensemble {
  readonly members: readonly Mlp[];
  readonly targetMean: number;
  readonly targetSd: number;
}

/**
 * Several small networks fitted to the same rows from different random starts (BANANAS, White et al. 2021):
 * their mean is the prediction, their disagreement a measure of how little the data pins it down.
 * Targets are standardised so one set of options suits any unit.
 */
export function fitEnsemble(X: readonly (readonly number[])[], y: readonly number[], rng: Rng, members: number, options: MlpOptions): Ensemble {
  const targetMean = mean(y);
  const targetSd = populationSd(y) || 1;
  const z = y.map((v) => (v - targetMean) / targetSd);
  return { members: Array.from({ length: members }, () => fitMlp(X, z, rng, options)), targetMean, targetSd };
}

export function predictEnsemble(e: Ensemble, rows: readonly (readonly number[])[]): Prediction[] {
  const outs = e.members.map((m) => predictMlp(m, rows));
  return rows.map((_, r) => {
    const vs = outs.map((o) => o[r]!);
    return { mean: e.targetMean + e.targetSd * mean(vs), sd: e.targetSd * populationSd(vs) };
  });
}
