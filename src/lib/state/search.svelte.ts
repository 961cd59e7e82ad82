import { getContext, setContext, untrack } from 'svelte';
import { SearchClient, type SearchPort } from '../bridge/searchClient';
import { costModelOnRun, etaMs, searchEnergyJ } from '../run/analysis';
import { RunTrace } from '../run/runTrace';
import type { Role, RunEvent } from '../run/events';
import type { CandidateRecord, RunRecord } from '../records';
import type { BackendInfo } from '../model/backend';
import { lowerGenome, type GraphNode } from '../genome/graph';
import { assertNever } from '../core/assert';
import { CandidateFiles } from './candidateFiles.svelte';
import { RunSetup } from './setup.svelte';
import { DeviceJoin } from './join.svelte';
import { ShareSetup } from './share.svelte';
import { DeviceCompare } from './compare.svelte';
import { saveFile } from './download';
import { trainingAfter, type LiveCandidate } from './live';
import { MAX_BUNDLE_BYTES } from '../bundle/bundle';

/** App state: the run list, the run in view, and what the search worker reports. */
export class SearchStore {
  readonly #client: SearchPort;
  /** Downloads and retraining of the selected candidate, and the report files. */
  readonly files: CandidateFiles;
  /** The open run's front measured again on this device. */
  readonly compare: DeviceCompare;
  /** The next run's set-up and the datasets it can use. */
  readonly setup: RunSetup;
  /** This tab as a device of a shared run, when opened from a join link; and sharing runs it starts. */
  readonly device: DeviceJoin;
  readonly share: ShareSetup;
  runs = $state.raw<RunRecord[]>([]);
  run = $state.raw<RunRecord | null>(null);
  candidates = $state.raw<CandidateRecord[]>([]);
  /** Candidates in training now (one per worker), oldest first. */
  training = $state.raw<LiveCandidate[]>([]);
  /** The candidate started last: the one the live curve follows. */
  readonly live = $derived(this.training[this.training.length - 1] ?? null);
  backend = $state.raw<BackendInfo | null>(null);
  selectedId = $state<string | null>(null);
  error = $state<string | null>(null);
  /** Null until the writer lock has been asked for. */
  role = $state<Role | null>(null);
  #unfollow: (() => void) | null = null;
  /** Bumped by every open(): a slower, older request must not replace the run asked for last. */
  #openRequest = 0;

  /** One trace per open run: a new candidate adds to it instead of recomputing the front and curve from scratch. */
  readonly #traceKey = $derived(this.run ? `${this.run.id} ${this.run.config.objectives.join(',')}` : null);
  // a run record is replaced on every status change; the trace is kept until the run or its objectives change
  readonly #trace = $derived(this.#traceKey === null ? null : untrack(() => new RunTrace(this.run!.config.objectives)));
  readonly #frontView = $derived(this.#trace?.update(this.candidates) ?? null);
  readonly front: ReadonlySet<string> = $derived(this.#frontView?.front ?? new Set<string>());
  readonly hypervolume = $derived(this.#frontView?.curve ?? []);
  readonly eta = $derived(this.run ? etaMs(this.candidates, this.run.config.evaluations) : null);
  readonly selected = $derived(this.candidates.find((c) => c.id === this.selectedId) ?? null);
  readonly isRunning = $derived(this.run?.status === 'running');
  /** Another tab drives the runs: this one shows them and changes nothing. */
  readonly readOnly = $derived(this.role === 'reader');
  readonly modelOnRun = $derived(costModelOnRun(this.candidates));
  readonly searchEnergy = $derived(this.run ? searchEnergyJ(this.candidates, this.run.config.power) : null);
  /** The selected candidate's ops with shapes, parameters and FLOPs. */
  readonly selectedLayers: readonly GraphNode[] = $derived(this.selected && this.run?.limits ? lowerGenome(this.selected.genome, this.run.limits).nodes : []);

  /** `client` is the search worker's (a fake in tests); each helper gets only the calls it makes. */
  constructor(client: SearchPort = new SearchClient()) {
    this.#client = client;
    this.files = new CandidateFiles(this, client);
    this.compare = new DeviceCompare(this, client);
    this.setup = new RunSetup(client, (work) => this.guard(work));
    this.device = new DeviceJoin(client);
    this.share = new ShareSetup(client);
  }

  /**
   * Loads stored runs. The writing tab resumes a run left 'running' (tab closed, killed or reloaded); a
   * read-only tab follows the writer's events live and takes over when the writing tab closes.
   */
  async init(): Promise<void> {
    await this.guard(async () => {
      this.role = await this.#client.claimWriter();
      this.runs = await this.#client.listRuns();
      await this.setup.loadDatasets();
      const running = this.runs.find((r) => r.status === 'running');
      if (this.role === 'writer') return this.#resume(running);
      this.#unfollow = this.#client.follow(this.#onEvent);
      const shown = running ?? this.runs[0];
      if (shown) await this.open(shown.id);
      void this.#client.waitForWriter().then(() => this.#takeOver());
    });
  }

  async #resume(interrupted: RunRecord | undefined): Promise<void> {
    if (interrupted) {
      await this.open(interrupted.id);
      await this.#client.resume(interrupted.id, this.#onEvent);
    } else if (this.runs[0]) await this.open(this.runs[0].id);
  }

  async #takeOver(): Promise<void> {
    this.#unfollow?.();
    this.#unfollow = null;
    this.role = 'writer';
    await this.guard(async () => {
      this.runs = await this.#client.listRuns();
      await this.#resume(this.runs.find((r) => r.status === 'running'));
    });
  }

  /** Shows a stored run; when opens overlap, the one asked for last wins whatever order they finish in. */
  async open(runId: string): Promise<void> {
    const request = ++this.#openRequest;
    const { run, candidates } = await this.#client.runDetail(runId);
    if (request !== this.#openRequest) return;
    this.run = run ?? null;
    this.candidates = candidates;
    this.backend = run?.backend ?? null;
    this.training = [];
    this.selectedId = null;
  }

  start = (): Promise<void> =>
    this.guard(async () => {
      void navigator.storage?.persist?.(); // ask once a run is worth keeping; the browser may decide silently
      const runId = await this.#client.start({ ...this.setup.snapshot(), ...(await this.share.prepare()) }, this.#onEvent);
      await this.open(runId);
      this.runs = await this.#client.listRuns();
    });

  /** Saves the open run as one bundle file (run, snapshot, every candidate). */
  exportOpen = (): Promise<void> =>
    this.guard(async () => {
      if (!this.run) return;
      const json = await this.#client.exportRun(this.run.id);
      if (json === null) throw new Error(`Run ${this.run.id} is no longer stored here.`);
      saveFile(`${this.run.id}.evonas.json`, json, 'application/json');
    });

  /** Imports a run bundle file; a bad file is refused with what is wrong, and nothing stored changes. */
  importFile = (file: File): Promise<void> =>
    this.guard(async () => {
      if (file.size > MAX_BUNDLE_BYTES)
        throw new Error(`${file.name} is ${Math.round(file.size / 2 ** 20)} MB; a run bundle may be at most ${MAX_BUNDLE_BYTES / 2 ** 20} MB.`);
      const result = await this.#client.importRun(await file.text(), file.size);
      if (!result.ok) throw new Error(`${file.name}: ${result.message}`);
      this.runs = await this.#client.listRuns();
      await this.open(result.runId);
    });

  /** Deletes the open run (not while it runs) to free storage. */
  deleteOpen = (): Promise<void> =>
    this.guard(async () => {
      if (!this.run) return;
      await this.#client.deleteRun(this.run.id);
      this.runs = await this.#client.listRuns();
      this.run = null;
      this.candidates = [];
      if (this.runs[0]) await this.open(this.runs[0].id);
    });

  pause = (): Promise<void> => this.guard(async () => void (await this.#client.pause()));
  stop = (): Promise<void> => this.guard(async () => void (await this.#client.stop()));
  resume = (): Promise<void> =>
    this.guard(async () => {
      if (this.run) await this.#client.resume(this.run.id, this.#onEvent);
    });

  #onEvent = (e: RunEvent): void => {
    switch (e.kind) {
      case 'run':
        if (this.run?.id === e.run.id) this.run = e.run;
        else if (this.readOnly && e.run.status === 'running') void this.open(e.run.id); // follow the writer's new run
        this.runs = this.runs.some((r) => r.id === e.run.id) ? this.runs.map((r) => (r.id === e.run.id ? e.run : r)) : [e.run, ...this.runs];
        if (e.run.status !== 'running') this.training = [];
        break;
      case 'backend':
        this.backend = e.backend;
        break;
      case 'candidate-start':
      case 'progress':
      case 'epoch':
        this.training = trainingAfter(this.training, e);
        break;
      case 'candidate-done':
        this.training = trainingAfter(this.training, e);
        this.replaceCandidate(e.candidate);
        break;
      default:
        assertNever(e, 'run event');
    }
  };

  /** Puts a changed run record in place (the open run and the run list). */
  replaceRun(run: RunRecord): void {
    if (this.run?.id === run.id) this.run = run;
    this.runs = this.runs.map((r) => (r.id === run.id ? run : r));
  }

  /** Puts a new or changed candidate of the open run in place. */
  replaceCandidate(candidate: CandidateRecord): void {
    if (this.run?.id !== candidate.runId) return;
    const last = this.candidates.at(-1);
    // the common case, a new candidate after the others, costs no sort of a 20,000-row list
    if (!last || candidate.seq > last.seq) this.candidates = [...this.candidates, candidate];
    else this.candidates = [...this.candidates.filter((c) => c.id !== candidate.id), candidate].sort((a, b) => a.seq - b.seq);
  }

  /** Runs a user action; a failure becomes the message the page shows. */
  async guard(work: () => Promise<void>): Promise<void> {
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }
}

const KEY = Symbol('search-store');
export const provideSearchStore = (store: SearchStore): SearchStore => setContext(KEY, store);
export const useSearchStore = (): SearchStore => getContext<SearchStore>(KEY);
