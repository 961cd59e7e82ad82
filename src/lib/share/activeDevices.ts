/**
 * How many devices are serving a shared run, from the work queue's consumer as the server reports it: pull
 * requests waiting (idle devices) plus claims held (devices training). A device between two pulls shows as
 * neither for a moment, so the count is the largest seen over the last `windowMs`.
 */
export class ActiveDevices {
  #samples: { readonly at: number; readonly count: number }[] = [];

  constructor(private readonly windowMs: number) {}

  /** Records one reading of the consumer at time `at` (ms). */
  add(at: number, waiting: number, claimed: number): void {
    this.#samples = [...this.#samples.filter((s) => s.at > at - this.windowMs), { at, count: Math.max(0, waiting) + Math.max(0, claimed) }];
  }

  /** Devices active within the window ending at the latest reading. */
  count(): number {
    return this.#samples.reduce((most, s) => Math.max(most, s.count), 0);
  }
}

/** Candidates in flight per active device: one training and one waiting in the queue, so no device idles. */
export const PER_DEVICE_DEPTH = 2;

/** In flight for `devices` active devices: twice as many, and never fewer than 2 so the first device to join finds work. */
export const queueDepthFor = (devices: number, most: number): number => Math.min(most, Math.max(PER_DEVICE_DEPTH, PER_DEVICE_DEPTH * devices));

/** How often the host reads its work queue's consumer to count the devices serving it. */
const DEVICE_POLL_MS = 2_000;
/** A device seen in this window counts as active (longer than a device's gap between two pulls). */
const ACTIVE_WINDOW_MS = 10_000;

/**
 * The in-flight depth of a shared run as it follows its devices: `follow` reads the queue every 2 s, and
 * `capacity` is what the run loop takes as the evaluator's capacity (`changed` wakes it when the depth moves).
 */
export class QueueDepth {
  readonly #devices = new ActiveDevices(ACTIVE_WINDOW_MS);
  #most = Infinity;
  #depth = queueDepthFor(0, Infinity);
  #poll: ReturnType<typeof setInterval> | null = null;
  #read: (() => Promise<void>) | null = null;
  #changed: { readonly promise: Promise<void>; readonly resolve: () => void } | null = null;

  readonly capacity = {
    now: (): number => this.#depth,
    changed: (): Promise<void> => (this.#changed ??= signal()).promise,
  };

  /** Starts reading `read` (waiting pulls, held claims); a failed reading keeps the last depth. */
  follow(most: number, read: () => Promise<{ readonly waiting: number; readonly claimed: number }>): void {
    this.stop();
    this.#most = most;
    this.#set(queueDepthFor(this.#devices.count(), most));
    const poll = setInterval(() => void tick(), DEVICE_POLL_MS);
    const tick = async () => {
      const reading = await read().catch(() => null);
      if (!reading || this.#poll !== poll) return;
      this.#devices.add(Date.now(), reading.waiting, reading.claimed);
      this.#set(queueDepthFor(this.#devices.count(), this.#most));
    };
    this.#poll = poll;
    this.#read = tick;
    void tick();
  }

  /** Devices active in the last window, counting a reading taken now. */
  async devicesNow(): Promise<number> {
    await this.#read?.();
    return this.#devices.count();
  }

  /** Stops reading; a loop waiting on `changed` is woken. */
  stop(): void {
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    this.#read = null;
    this.#wake();
  }

  #set(depth: number): void {
    if (depth === this.#depth) return;
    this.#depth = depth;
    this.#wake();
  }

  #wake(): void {
    this.#changed?.resolve();
    this.#changed = null;
  }
}

/** A promise and its resolve (Promise.withResolvers is newer than Node 20). */
function signal(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
