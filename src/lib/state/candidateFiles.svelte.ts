import type { SearchClient } from '../bridge/searchClient';

/** The worker calls files need: a retrain for an export, and a full retrain with its test score. */
export type FilesPort = Pick<SearchClient, 'exportModel' | 'retrainFull'>;
import type { ExportedModel } from '../model/export';
import { paretoChart, standaloneSvg } from '../plot/charts';
import { candidatesCsv } from '../run/csv';
import { needsRetrain } from '../run/frontTest';
import type { CandidateRecord } from '../records';
import type { FrontReport } from '../run/report';
import { reportHtml, reportMarkdown } from '../run/reportDoc';
import type { ObjectiveId } from '../search/objectives';
import { saveFile } from './download';
import type { OpenRun } from './openRun';

/** How far a retrain (for an export, or on the whole split) has got, and when it started (for the time left). */
export interface RetrainProgress {
  readonly seq: number;
  readonly epoch: number;
  readonly epochs: number;
  /** Batches of the current epoch done, of `batches`; 0 of 0 until the data is loaded. */
  readonly batch: number;
  readonly batches: number;
  readonly startedAt: number;
}

/** What leaves the app as files from the selected candidate and the open run, and the full retrains. */
export class CandidateFiles {
  /** The candidate being trained again to be exported, for the progress line. */
  exporting = $state.raw<RetrainProgress | null>(null);
  retraining = $state.raw<RetrainProgress | null>(null);
  /** Where "Retrain and test the front" is: the network in training is `retraining`. */
  frontRetrain = $state.raw<{ readonly done: number; readonly total: number; readonly stopping: boolean } | null>(null);
  /** The last full retrain's model, kept for a download until another candidate is retrained. */
  retrained = $state.raw<{ seq: number; runId: string; model: ExportedModel } | null>(null);

  constructor(
    private readonly store: OpenRun,
    private readonly client: FilesPort,
  ) {}

  /** Retrains the selected candidate and saves it as TF.js model.json + weights.bin (load with tf.loadLayersModel). */
  exportSelectedModel = (): Promise<void> =>
    this.store.guard(async () => {
      const { selected: c, run } = this.store;
      if (!c || !run) return;
      const { epochs } = c.genome.training;
      const startedAt = Date.now();
      this.exporting = { seq: c.seq, epoch: 0, epochs, batch: 0, batches: 0, startedAt };
      try {
        saveModel(
          await this.client.exportModel(run.id, c.seq, (epoch, batch, batches) => {
            this.exporting = { seq: c.seq, epoch, epochs, batch, batches, startedAt };
          }),
        );
      } finally {
        this.exporting = null;
      }
    });

  /**
   * Trains the selected candidate again on the whole training split for `epochs` epochs and scores it on the
   * test split; the score is stored on the candidate, the model kept for `saveRetrained`.
   */
  retrainSelected = (epochs: number): Promise<void> =>
    this.store.guard(async () => {
      const { selected: c } = this.store;
      if (c && !this.retraining) await this.#retrain(c, epochs);
    });

  /**
   * Retrains `candidates` (the front) one after another on the whole training split and tests each, skipping
   * those already retrained for `epochs`: every score is stored as it lands, so a reload loses at most one.
   */
  retrainFront = (candidates: readonly CandidateRecord[], epochs: number): Promise<void> =>
    this.store.guard(async () => {
      if (this.retraining || this.frontRetrain) return;
      const todo = candidates.filter((c) => needsRetrain(c, epochs));
      this.frontRetrain = { done: 0, total: todo.length, stopping: false };
      try {
        for (const [i, c] of todo.entries()) {
          if (this.frontRetrain?.stopping) break;
          await this.#retrain(c, epochs);
          this.frontRetrain = { done: i + 1, total: todo.length, stopping: this.frontRetrain?.stopping ?? false };
        }
      } finally {
        this.frontRetrain = null;
      }
    });

  /** Lets the network in training finish, then stops the front's retrain. */
  stopFrontRetrain(): void {
    if (this.frontRetrain) this.frontRetrain = { ...this.frontRetrain, stopping: true };
  }

  async #retrain(c: CandidateRecord, epochs: number): Promise<void> {
    const { run } = this.store;
    if (!run) return;
    const startedAt = Date.now();
    this.retraining = { seq: c.seq, epoch: 0, epochs, batch: 0, batches: 0, startedAt };
    try {
      const r = await this.client.retrainFull(run.id, c.seq, epochs, (epoch, batch, batches) => {
        this.retraining = { seq: c.seq, epoch, epochs, batch, batches, startedAt };
      });
      this.store.replaceCandidate(r.candidate);
      this.retrained = { seq: c.seq, runId: run.id, model: r.model };
    } finally {
      this.retraining = null;
    }
  }

  saveRetrained(): void {
    if (this.retrained) saveModel(this.retrained.model);
  }

  /** Saves the selected candidate's genome as JSON (the search space's own description of the network). */
  exportSelectedGenome(): void {
    const { selected: c, run } = this.store;
    if (c && run) saveFile(`${run.id}-candidate-${c.seq}-genome.json`, JSON.stringify(c.genome, null, 2), 'application/json');
  }

  /** Saves every candidate of the open run as CSV, one row each (the CLI's candidates.csv). */
  downloadCsv(): void {
    const { run, candidates } = this.store;
    if (run) saveFile(`${run.id}-candidates.csv`, candidatesCsv(run, candidates), 'text/csv');
  }

  /** Saves the report as Markdown or as a standalone HTML page with the front plot. */
  downloadReport(report: FrontReport, format: 'md' | 'html'): void {
    const { run, candidates, front } = this.store;
    if (!run) return;
    if (format === 'md') return saveFile(`${run.id}-report.md`, reportMarkdown(run, report), 'text/markdown');
    const [x, y]: [ObjectiveId, ObjectiveId] = ['energy', 'error'];
    const svg = standaloneSvg(paretoChart(candidates, front, x, y, 640));
    saveFile(`${run.id}-report.html`, reportHtml(run, report, svg), 'text/html');
  }
}

function saveModel(exported: ExportedModel): void {
  saveFile('model.json', exported.modelJson, 'application/json');
  saveFile('weights.bin', new Blob([exported.weights]), 'application/octet-stream');
}
