/**
 * Quiet measurement across a pool of workers: while one worker times a candidate's latency, the others stop at
 * their next batch boundary, so the measurement is not slowed by their training on the same cores (or GPU).
 * The state lives in a SharedArrayBuffer the pool hands every worker: cell 0 is the lock (0 free, else the
 * measuring worker's slot + 1), cell 1 + s the state of worker s. Workers block with Atomics.wait, which
 * workers may do; the pool resets a worker's cells when its candidate ends, so a crashed or terminated
 * worker never holds the others.
 */

const IDLE = 0;
const TRAINING = 1;
const PARKED = 2;
/** A measurer waits at most this long for the others to park (a worker deep in a long validation pass). */
const PARK_TIMEOUT_MS = 10_000;
/**
 * A parked worker waits at most this long: longer than any measurement, so a lock held past it belongs to a
 * worker that died measuring (a terminated worker can run a moment after the pool has cleaned up after it).
 */
const MEASURE_TIMEOUT_MS = 60_000;
/** Waits re-check their condition this often: no notify is ever missed for longer. */
const POLL_MS = 100;

/** The shared state of a pool of `workers`, or null where memory cannot be shared (no cross-origin isolation). */
export function quietBuffer(workers: number): SharedArrayBuffer | null {
  return typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true ? new SharedArrayBuffer(4 * (1 + workers)) : null;
}

/** One worker's side of the quiet-measurement protocol. */
export interface QuietGate {
  /** This worker starts a candidate (after any measurement in progress). */
  training(): void;
  /** Between two batches: waits here while another worker measures. */
  pause(): void;
  /** Blocks until every other worker is parked or idle, and holds them so until `release` (a measurement). */
  acquire(): void;
  release(): void;
  /** This worker's candidate is over. */
  idle(): void;
}

const NO_GATE: QuietGate = { training() {}, pause() {}, acquire() {}, release() {}, idle() {} };

/** `waiting` runs between waits (a blocked worker's sign of life for its watchdog). */
export function quietGate(buffer: SharedArrayBuffer | null | undefined, slot: number, waiting: () => void = () => {}): QuietGate {
  if (!buffer) return NO_GATE;
  const cells = new Int32Array(buffer);
  const workers = cells.length - 1;
  const me = 1 + slot;
  const set = (state: number) => {
    Atomics.store(cells, me, state);
    Atomics.notify(cells, me);
  };
  /** Waits here while another worker measures. */
  function pause(): void {
    const deadline = Date.now() + MEASURE_TIMEOUT_MS;
    for (let lock = Atomics.load(cells, 0); lock !== 0 && lock !== me && Date.now() < deadline; lock = Atomics.load(cells, 0)) {
      set(PARKED);
      Atomics.wait(cells, 0, lock, POLL_MS);
      waiting();
    }
    if (Atomics.load(cells, me) === PARKED) set(TRAINING);
  }

  return {
    // a candidate starts only once a measurement in progress is over: building its model and its first batch
    // would otherwise run beside it (two workers: 23-24 of 40 back-to-back repeat timings agreed within 10%, after 31-34)
    training() {
      set(TRAINING);
      pause();
    },
    pause,
    acquire() {
      set(IDLE); // a worker waiting for the lock holds nobody up
      // held by this slot already: a predecessor of this worker died holding it
      const stale = Date.now() + MEASURE_TIMEOUT_MS;
      for (let held = Atomics.compareExchange(cells, 0, 0, me); held !== 0 && held !== me; held = Atomics.compareExchange(cells, 0, 0, me)) {
        if (Date.now() > stale && Atomics.compareExchange(cells, 0, held, me) === held) break; // a dead measurer's
        Atomics.wait(cells, 0, held, POLL_MS);
        waiting();
      }
      const deadline = Date.now() + PARK_TIMEOUT_MS;
      for (let other = 1; other <= workers; other++) {
        while (other !== me && Atomics.load(cells, other) === TRAINING && Date.now() < deadline) {
          Atomics.wait(cells, other, TRAINING, POLL_MS);
          waiting();
        }
      }
    },
    release() {
      if (Atomics.compareExchange(cells, 0, me, 0) === me) Atomics.notify(cells, 0);
    },
    idle: () => set(IDLE),
  };
}

/** The pool's side: a worker whose candidate ended (finished, failed, crashed, terminated) holds nothing. */
export function releaseSlot(buffer: SharedArrayBuffer | null, slot: number): void {
  if (!buffer) return;
  const cells = new Int32Array(buffer);
  Atomics.store(cells, 1 + slot, IDLE);
  Atomics.notify(cells, 1 + slot);
  if (Atomics.compareExchange(cells, 0, 1 + slot, 0) === 1 + slot) Atomics.notify(cells, 0);
}
