import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { quietGate, releaseSlot } from '../../src/lib/evaluation/quiet';

/** The cells of a two-worker pool: [lock, state of worker 0, state of worker 1]. */
const cellsOf = (buffer: SharedArrayBuffer) => Array.from(new Int32Array(buffer));

describe('quiet measurement across a pool', () => {
  it('a measurer holds the lock while it measures; a trainer then parks; both let go when done', () => {
    const buffer = new SharedArrayBuffer(12);
    const [a, b] = [quietGate(buffer, 0), quietGate(buffer, 1)];
    b.training();
    a.training();
    a.pause(); // nobody measures: no wait
    a.idle();
    const started = Date.now();
    // b's candidate is over: the measurer does not wait for it
    b.idle();
    a.acquire();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(cellsOf(buffer)[0]).toBe(1); // worker 0 holds the lock
    a.release();
    expect(cellsOf(buffer)).toEqual([0, 0, 0]);
  });

  it('the pool frees a slot whose worker died holding the lock or training', () => {
    const buffer = new SharedArrayBuffer(12);
    quietGate(buffer, 1).acquire();
    new Int32Array(buffer)[1] = 1; // worker 0 died training (it started before 1 measured)
    expect(cellsOf(buffer)).toEqual([2, 1, 0]);
    releaseSlot(buffer, 1);
    releaseSlot(buffer, 0);
    expect(cellsOf(buffer)).toEqual([0, 0, 0]);
    // the survivor measures at once
    quietGate(buffer, 0).acquire();
    expect(cellsOf(buffer)[0]).toBe(1);
  });

  it('a candidate starts training only once the measurement in progress is over', async () => {
    const buffer = new SharedArrayBuffer(12);
    // worker 1, on another thread, measures for 300 ms: it holds the lock, then lets go
    const measurer = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const cells = new Int32Array(workerData);
       Atomics.store(cells, 0, 2);
       parentPort.postMessage('holding');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       Atomics.store(cells, 0, 0);
       Atomics.notify(cells, 0);`,
      { eval: true, workerData: buffer },
    );
    await new Promise((resolve) => measurer.once('message', resolve));
    const started = Date.now();
    quietGate(buffer, 0).training();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(cellsOf(buffer)).toEqual([0, 1, 0]); // training, the lock free
    await measurer.terminate();
  });

  it('without shared memory it is a no-op', () => {
    const gate = quietGate(null, 0);
    gate.training();
    gate.acquire();
    gate.pause();
    gate.release();
    gate.idle();
    expect(() => releaseSlot(null, 0)).not.toThrow();
  });
});
