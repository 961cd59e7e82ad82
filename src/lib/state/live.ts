import type { CnnGenome } from '../genome/types';
import type { EpochLog } from '../records';
import type { RunEvent } from '../run/events';
import type { Prediction } from '../run/predict';

/** A candidate in training right now, as far as events have told. */
export interface LiveCandidate {
  readonly seq: number;
  readonly genome: CnnGenome;
  readonly params: number;
  readonly flops: number;
  readonly predicted: Prediction | null;
  readonly epochs: readonly EpochLog[];
  readonly progress: { readonly epoch: number; readonly epochs: number; readonly batch: number; readonly batches: number } | null;
}

type TrainingEvent = Extract<RunEvent, { kind: 'candidate-start' | 'progress' | 'epoch' | 'candidate-done' }>;

/** The candidates in training after one event from the worker (a new list whenever it changes). */
export function trainingAfter(training: readonly LiveCandidate[], e: TrainingEvent): LiveCandidate[] {
  const update = (seq: number, change: (t: LiveCandidate) => LiveCandidate) => training.map((t) => (t.seq === seq ? change(t) : t));
  switch (e.kind) {
    case 'candidate-start':
      return [
        ...training.filter((t) => t.seq !== e.seq),
        { seq: e.seq, genome: e.genome, params: e.params, flops: e.flops, predicted: e.predicted, epochs: [], progress: null },
      ];
    case 'progress':
      return update(e.seq, (t) => ({ ...t, progress: { epoch: e.epoch, epochs: e.epochs, batch: e.batch, batches: e.batches } }));
    case 'epoch':
      return update(e.seq, (t) => ({ ...t, epochs: [...t.epochs, e.log] }));
    case 'candidate-done':
      return training.filter((t) => t.seq !== e.candidate.seq);
  }
}
