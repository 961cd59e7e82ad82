import type { SearchClient } from '../bridge/searchClient';
import { BUILTIN_DATASETS } from '../data/builtin';
import { shapeOf } from '../data/choice';
import type { DatasetPreview } from '../data/preview';
import { choiceOf, type StoredDatasetMeta } from '../data/stored';
import { assumedPower, POWER_PROFILES, type PowerProfileId, type PowerSource } from '../energy/energy';
import { defaultConfig, limitsFor } from '../run/config';
import type { DatasetChoice, RunConfig } from '../records';
import { OBJECTIVES, type ObjectiveId } from '../search/objectives';
import { draftOf, type ConfigDraft } from './draft';
import { defaultPoolSize } from '../run/poolSize';

/** The next run's set-up as the form edits it, and the datasets it can choose from. */
export class RunSetup {
  config = $state<ConfigDraft>(draftOf(defaultConfig()));
  /** Datasets imported from this person's files. */
  datasets = $state.raw<StoredDatasetMeta[]>([]);
  /** A dataset import under way: files read, then images decoded (done of total). */
  importing = $state.raw<{ readonly done: number; readonly total: number; readonly startedAt: number } | null>(null);
  /** The search space's limits for the set-up as it stands (what calibration designs its grid for). */
  readonly limits = $derived(limitsFor(this.config as RunConfig, shapeOf(this.config.dataset)));

  constructor(
    private readonly client: Pick<SearchClient, 'listDatasets' | 'importDataset' | 'previewDataset'>,
    private readonly guard: (work: () => Promise<void>) => Promise<void>,
  ) {}

  async loadDatasets(): Promise<void> {
    this.datasets = await this.client.listDatasets();
  }

  /** The set-up as plain data, for the worker. */
  snapshot = (): RunConfig => $state.snapshot(this.config) as RunConfig;

  /** Chooses a built-in dataset by name or an imported one by id; budgets reset to that dataset's defaults. */
  setDataset(key: string): void {
    const builtin = BUILTIN_DATASETS.find((d) => d === key);
    const stored = this.datasets.find((d) => d.id === key);
    const choice = builtin ?? (stored ? choiceOf(stored) : null);
    if (choice)
      this.config = {
        ...draftOf(defaultConfig(choice)),
        algorithm: this.config.algorithm,
        objectives: this.config.objectives,
        seed: this.config.seed,
        power: this.config.power,
      };
  }

  /**
   * Imports a person's dataset files (or a folder of class folders of images, resized to imageSide x imageSide
   * pixels when given) and selects the dataset.
   */
  importDataset = (files: readonly File[], name: string, imageSide: number | null = null): Promise<void> =>
    this.guard(async () => {
      if (files.length === 0) return;
      const startedAt = Date.now();
      this.importing = { done: 0, total: files.length, startedAt };
      try {
        const payload = await Promise.all(
          files.map(async (f) => ({ name: f.name, path: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
        );
        const result = await this.client.importDataset(payload, name, imageSide, (done, total) => (this.importing = { done, total, startedAt }));
        if (!result.ok) throw new Error(result.message);
        await this.loadDatasets();
        this.setDataset(result.meta.id);
      } finally {
        this.importing = null;
      }
    });

  /** The chosen dataset's class counts and sample images (loaded in the search worker). */
  previewDataset = (): Promise<{ ok: true; preview: DatasetPreview } | { ok: false; message: string }> =>
    this.client.previewDataset($state.snapshot(this.config.dataset) as DatasetChoice);

  setObjectives(ids: ObjectiveId[]): void {
    this.config.objectives = OBJECTIVES.filter((o) => ids.includes(o));
  }

  /** 'battery' for the device's battery calibration, else one of the assumed power profiles. */
  setPower(id: string, battery: PowerSource | null): void {
    if (id === 'battery' && battery) this.config.power = { ...battery };
    else if (id in POWER_PROFILES) this.config.power = assumedPower(id as PowerProfileId);
  }

  setBudget(which: 'maxLatencyMs' | 'maxEnergyMj', raw: string): void {
    this.config.budget[which] = raw.trim() === '' ? null : Number(raw);
  }

  /** Empty: no wall-clock budget. */
  setMinutes(raw: string): void {
    this.config.maxMinutes = raw.trim() === '' ? null : Number(raw);
  }

  /** Empty: sized for the device once its training backend is known. */
  setWorkers(raw: string): void {
    if (raw.trim() === '') delete this.config.workers;
    else this.config.workers = Number(raw);
  }

  /** The pool an automatic set-up gets here if training lands on WASM (the usual case without a GPU). */
  readonly suggestedWorkers = defaultPoolSize(
    { cores: navigator.hardwareConcurrency || 1, memoryGb: (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? null },
    'wasm',
  );
}
