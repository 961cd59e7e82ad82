import { getContext, setContext } from 'svelte';
import { BenchClient, type BenchTrace } from '../bridge/benchClient';
import type { AlgorithmName } from '../search/algorithm';

export const BENCH_COSTS = [
  { id: 'fpga_latency_ms', label: 'FPGA latency (ms)' },
  { id: 'pixel3_latency_ms', label: 'Pixel 3 latency (ms)' },
  { id: 'pi5_litert_energy_mj', label: 'Raspberry Pi 5 energy (mJ)' },
  { id: 'params', label: 'Parameters' },
] as const;

export const BENCH_ALGORITHMS: readonly AlgorithmName[] = ['random', 'nsga2', 'aging', 'ours'];

/** Benchmark mode: the four algorithms search NAS-Bench-201 by lookup, replayed one evaluation at a time. */
export class BenchStore {
  readonly #client = new BenchClient();
  costColumn = $state<string>('fpga_latency_ms');
  evaluations = $state(100);
  seed = $state(1);
  lowFidelity = $state(false);
  shown = $state<AlgorithmName>('ours');
  trueFront = $state.raw<readonly (readonly [number, number])[]>([]);
  traces = $state.raw<readonly BenchTrace[]>([]);
  step = $state(0);
  running = $state(false);
  error = $state<string | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;

  readonly final = $derived(this.traces.map((t) => ({ algorithm: t.algorithm, hv: t.hvRatio[Math.min(this.step, t.hvRatio.length) - 1] ?? 0 })));

  async run(): Promise<void> {
    this.error = null;
    this.running = true;
    if (this.#timer) clearInterval(this.#timer);
    try {
      const result = await this.#client.run({
        costColumn: this.costColumn,
        algorithms: BENCH_ALGORITHMS,
        evaluations: this.evaluations,
        seed: this.seed,
        lowFidelity: this.lowFidelity,
      });
      this.trueFront = result.trueFront;
      this.traces = result.traces;
      this.step = 0;
      // replay in about five seconds, so the front can be watched forming
      const perTick = Math.max(1, Math.round(this.evaluations / 100));
      this.#timer = setInterval(() => {
        this.step = Math.min(this.evaluations, this.step + perTick);
        if (this.step >= this.evaluations && this.#timer) {
          clearInterval(this.#timer);
          this.#timer = null;
          this.running = false;
        }
      }, 50);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.running = false;
    }
  }
}

const KEY = Symbol('bench-store');
export const provideBenchStore = (store: BenchStore): BenchStore => setContext(KEY, store);
export const useBenchStore = (): BenchStore => getContext<BenchStore>(KEY);
