import { candidateId } from '../core/ids';
import { chooseDonor, type LayerWeights } from '../genome/inherit';
import { lowerGenome } from '../genome/graph';
import type { CnnGenome } from '../genome/types';
import { freeCosts, type Predictor } from './predict';
import { promotionFor, type Promotion } from './promotion';
import type { CandidateRecord, RunRecord } from '../records';
import type { RunStore } from './store';

/** Weights a candidate starts from: the donor's sequence number and its layers. */
export interface Inheritance {
  readonly seq: number;
  readonly layers: readonly LayerWeights[];
}

/** How a candidate is trained beyond its genome: the promotion test (multi-fidelity) and inherited weights. */
export interface TrainingPlan {
  readonly promotion: Promotion | null;
  readonly inheritance: Inheritance | null;
}

/**
 * For each candidate about to train, from the finished candidates it may know of (`finished`: those the
 * schedule had told the search when it was asked for, so the plan does not depend on timing):
 * multi-fidelity's promotion test (on for ours unless switched off) and, with weight inheritance on, the
 * finished network most like it with its stored weights.
 */
export function trainingPlanner(
  run: RunRecord,
  predictFrom: (known: readonly CandidateRecord[]) => Predictor | null,
  store: Pick<RunStore, 'weightsOf'>,
): (g: CnnGenome, finished: readonly CandidateRecord[]) => Promise<TrainingPlan> {
  const { config } = run;
  const limits = run.limits!;
  const multiFidelity = config.multiFidelity ?? config.algorithm === 'ours';
  return async (g, finished) => {
    const promotion = multiFidelity
      ? promotionFor(g.training.epochs, freeCosts(config.objectives, limits, config.power, predictFrom(finished), finished)(g), config.objectives, finished)
      : null;
    if (!config.inheritWeights) return { promotion, inheritance: null };
    const donors = finished.filter((c) => c.status === 'done').map((c) => ({ seq: c.seq, nodes: lowerGenome(c.genome, limits).nodes }));
    const donor = chooseDonor(lowerGenome(g, limits).nodes, donors);
    const layers = donor ? await store.weightsOf(candidateId(run.id, donor.seq)) : undefined;
    return { promotion, inheritance: donor && layers ? { seq: donor.seq, layers } : null };
  };
}
