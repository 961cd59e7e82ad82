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
