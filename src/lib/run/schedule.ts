import type { SnapshotRecord } from '../records';

/** What the run loop does next with the search: tell it finished candidates, ask it for new ones, or wait. */
export type Move =
  /** Tell these pending candidates (all finished), in this order, as one `tell`. */
  | { readonly kind: 'tell'; readonly seqs: readonly number[] }
  /** Ask for up to `count` candidates, recorded with `generation`. */
  | { readonly kind: 'ask'; readonly count: number; readonly generation: number }
  /** Nothing to do until a running candidate finishes. */
  | { readonly kind: 'wait' }
  /** The evaluation budget is spent and every result told. */
  | { readonly kind: 'end' };

/** What a schedule sees: the snapshot, which pending candidates have finished, and the budget. */
export interface ScheduleView {
  readonly snapshot: SnapshotRecord;
  readonly finished: (seq: number) => boolean;
  readonly evaluations: number;
  readonly populationSize: number;
}

/**
 * When the loop tells and asks. Every decision depends on the snapshot and on which candidates have finished,
 * never on when they finished: results are told in the order of their sequence numbers, so a resumed run
 * takes exactly the decisions an uninterrupted one takes with the same seed and pool size.
 */
export interface Schedule {
  readonly kind: 'generational' | 'steady-state';
  next(view: ScheduleView): Move;
  /**
   * The candidates whose results shaped the search when `seq` was asked for: what its training plan
   * (multi-fidelity bar, weight donor) may use. `finished` lists every finished sequence number.
   */
  knownWhenAsked(seq: number, finished: readonly number[]): number[];
}

/** Sequence numbers told so far (snapshots from before the told list: everything seen). */
export const toldOf = (s: SnapshotRecord): readonly number[] => s.told ?? Array.from({ length: s.state.seen.length }, (_, i) => i);

/**
 * One worker, as the search always ran: ask a generation, train it, tell it whole. With more workers the
 * generation's candidates train side by side, but the next generation waits for the slowest.
 */
export function generational(): Schedule {
  return {
    kind: 'generational',
    next({ snapshot: s, finished, evaluations }) {
      if (s.pending.length > 0) return s.pending.every((p) => finished(p.seq)) ? { kind: 'tell', seqs: s.pending.map((p) => p.seq) } : { kind: 'wait' };
      const remaining = evaluations - s.state.seen.length;
      return remaining > 0 ? { kind: 'ask', count: remaining, generation: s.state.generation } : { kind: 'end' };
    },
    // candidates train one after another: all finished ones, batch-mates included, are known
    knownWhenAsked: (_seq, finished) => [...finished],
  };
}

/**
 * Asynchronous steady state for a pool of workers: a freed worker gets a new candidate at once, asked from the
 * results of every candidate more than `window` places before it (told in sequence order). A wider window
 * idles less behind one slow candidate; each ask sees `window` fewer results.
 */
export function steadyState(window: number | (() => number)): Schedule {
  const toldBefore = (seq: number) => Math.max(0, seq - (typeof window === 'number' ? window : window()));
  return {
    kind: 'steady-state',
    next({ snapshot: s, finished, evaluations, populationSize }) {
      const told = toldOf(s).length;
      const asked = told + s.pending.length;
      const oldest = s.pending[0];
      const need = asked < evaluations ? toldBefore(asked) : asked;
      if (told < need) return oldest && finished(oldest.seq) ? { kind: 'tell', seqs: [oldest.seq] } : { kind: 'wait' };
      if (asked < evaluations) return { kind: 'ask', count: 1, generation: Math.floor(asked / populationSize) };
      return oldest ? { kind: 'wait' } : { kind: 'end' };
    },
    knownWhenAsked: (seq, finished) => finished.filter((f) => f < toldBefore(seq)),
  };
}

/**
 * The schedule for a pool of `workers`: generational for one (as before pools existed), steady state beyond,
 * its window twice what is in flight (`inFlight`, when that follows a shared run's devices).
 */
export const scheduleFor = (workers: number, inFlight: () => number = () => workers): Schedule =>
  workers <= 1 ? generational() : steadyState(() => 2 * inFlight());
