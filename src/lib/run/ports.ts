import type { RunEventListener } from './events';
import type { Evaluator } from './evaluator';
import type { RunStore } from './store';
import type { FaultPlan } from '../records';

/** What the run loop is given: every effect it has goes through one of these, so tests can supply their own. */
export interface LoopDeps {
  readonly store: RunStore;
  readonly evaluator: Evaluator;
  readonly emit: RunEventListener;
  /** Checked between candidates; a pause or stop during a candidate arrives as `Interrupted`. */
  readonly interruption: () => 'paused' | 'stopped' | null;
  readonly now: () => number;
  /** This tab's writer id, stamped on its leases and candidates. */
  readonly writer: string;
  /** Faults to inject, from fault-injection tests only (the headless page); the app never passes one. */
  readonly faults?: FaultPlan;
}
