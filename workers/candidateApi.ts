/// <reference lib="webworker" />
import { proxy, transfer, wrap, type Remote } from 'comlink';
import { deriveSeed } from '../src/lib/core/rng';
import type { ExportedModel } from '../src/lib/model/export';
import type { CandidateRecord, RunRecord } from '../src/lib/records';
import { candidatesOf, saveFullRetrain } from '../src/lib/store/candidates';
import { getRun } from '../src/lib/store/runs';
import type { TrainingApi } from './train.worker';
import { assertWriter } from './writerLock';

type BatchListener = (epoch: number, batch: number, batches: number) => void;

/** A stored candidate with its run (which has its limits), or an error naming what is missing. */
async function stored(runId: string, seq: number): Promise<{ run: RunRecord & { limits: NonNullable<RunRecord['limits']> }; candidate: CandidateRecord }> {
  const run = await getRun(runId);
  const candidate = (await candidatesOf(runId)).find((c) => c.seq === seq);
  if (!run?.limits || !candidate) throw new Error(`Candidate ${seq} of run ${runId} is not stored here.`);
  return { run: { ...run, limits: run.limits }, candidate };
}

/** Runs `work` in a training worker of its own, prepared for the run, so a running search is not disturbed. */
async function inOwnTrainingWorker<T>(name: string, run: RunRecord, work: (training: Remote<TrainingApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name });
  try {
    const training = wrap<TrainingApi>(worker);
    await training.prepare(run.config, {});
    return await work(training);
  } finally {
    worker.terminate();
  }
}

/** What the search worker does with one stored candidate: train it again to export it, or on the whole split. */
export const candidateApi = {
  /** Retrains a stored candidate (same genome, seed and data as in its run) and returns it as TF.js model files. */
  async exportModel(runId: string, seq: number, onBatch?: BatchListener): Promise<ExportedModel> {
    const { run, candidate } = await stored(runId, seq);
    const exported = await inOwnTrainingWorker('export', run, (t) =>
      t.exportModel(candidate.genome, run.limits, deriveSeed(run.config.seed, seq), onBatch && proxy(onBatch)),
    );
    return transfer(exported, [exported.weights]);
  },
  /**
   * Trains a stored candidate again on the whole training split for `epochs` epochs, scores it on the test
   * split, stores that on the candidate and returns the record with the model files.
   */
  async retrainFull(runId: string, seq: number, epochs: number, onBatch: BatchListener): Promise<{ candidate: CandidateRecord; model: ExportedModel }> {
    await assertWriter();
    const { run, candidate } = await stored(runId, seq);
    if (!(Number.isInteger(epochs) && epochs >= 1 && epochs <= 100)) throw new Error(`Epochs must be a whole number from 1 to 100; got ${epochs}.`);
    const genome = { ...candidate.genome, training: { ...candidate.genome.training, epochs } };
    const r = await inOwnTrainingWorker('retrain', run, (t) => t.retrainFull(run.config, genome, run.limits, deriveSeed(run.config.seed, seq), proxy(onBatch)));
    const fullRetrain = {
      testAccuracy: r.model.accuracy,
      testImages: r.testImages,
      trainImages: r.trainImages,
      epochs,
      backend: r.backend,
      trainMs: r.trainMs,
      at: Date.now(),
    };
    const updated = await saveFullRetrain(candidate.id, fullRetrain);
    if (!updated) throw new Error(`Candidate ${seq} was deleted while it retrained.`);
    return transfer({ candidate: updated, model: r.model }, [r.model.weights]);
  },
};
