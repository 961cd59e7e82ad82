import { FrontTrace } from '../search/hypervolume';
import { objectiveVector, type ObjectiveId } from '../search/objectives';
import type { CandidateRecord } from '../records';

/** A run's front and hypervolume curve as the UI shows them. */
export interface RunFrontView {
  /** Ids of the non-dominated finished candidates; of equal ones, the first to finish. */
  readonly front: ReadonlySet<string>;
  /** Hypervolume after each finished candidate, in the order they finished, as a share of the reference box. */
  readonly curve: readonly { readonly seq: number; readonly hv: number }[];
}

const finishOrder = (a: CandidateRecord, b: CandidateRecord): number => a.finishedAt - b.finishedAt || a.seq - b.seq;

/** Finished candidates in the order they finished (ties by seq): the order a live run adds them in. */
export function finishedInOrder(candidates: readonly CandidateRecord[]): CandidateRecord[] {
  return candidates.filter((c) => c.status === 'done').sort(finishOrder);
}

/**
 * The open run's front and hypervolume curve, brought up to date with each new candidate list: when the list only
 * gained candidates that finished after the ones already traced, only those are added (a live run, one candidate
 * at a time, costs no sort of the whole run); anything else (another run, a re-measured record) starts again.
 */
export class RunTrace {
  readonly #objectives: readonly ObjectiveId[];
  #traced: CandidateRecord[] = [];
  #tracedSet = new Set<CandidateRecord>();
  #trace = new FrontTrace();
  #view: RunFrontView = { front: new Set(), curve: [] };

  constructor(objectives: readonly ObjectiveId[]) {
    this.#objectives = objectives;
  }

  update(candidates: readonly CandidateRecord[]): RunFrontView {
    let kept = 0;
    let fresh: CandidateRecord[] = [];
    for (const c of candidates) {
      if (c.status !== 'done') continue;
      if (this.#tracedSet.has(c)) kept++;
      else fresh.push(c);
    }
    const last = this.#traced.at(-1);
    const appended = kept === this.#traced.length && (!last || fresh.every((c) => finishOrder(last, c) < 0));
    if (appended && fresh.length === 0) return this.#view;
    if (appended) fresh.sort(finishOrder);
    else {
      this.#trace = new FrontTrace();
      this.#traced = [];
      this.#tracedSet = new Set();
      fresh = finishedInOrder(candidates);
    }
    this.#trace.add(fresh.map((c) => objectiveVector(c.metrics, this.#objectives)));
    for (const c of fresh) {
      this.#traced.push(c);
      this.#tracedSet.add(c);
    }
    const done = this.#traced;
    const box = 1.1 ** this.#objectives.length;
    this.#view = {
      front: new Set(this.#trace.front.map((i) => done[i]!.id)),
      curve: this.#trace.history.map((hv, i) => ({ seq: done[i]!.seq, hv: hv / box })),
    };
    return this.#view;
  }
}
