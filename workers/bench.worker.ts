/// <reference lib="webworker" />
import { expose } from 'comlink';
import { HvRatio, rowObjectives } from '../src/lib/bench/hvRatio';
import { evaluationOrder } from '../src/lib/bench/run';
import { parseTable, type BenchmarkTable } from '../src/lib/bench/table';
import type { AlgorithmName } from '../src/lib/search/algorithm';
import { paretoFront } from '../src/lib/search/pareto';

export interface BenchRequest {
  readonly costColumn: string;
  readonly algorithms: readonly AlgorithmName[];
  readonly evaluations: number;
  readonly seed: number;
  readonly lowFidelity: boolean;
}

/** One algorithm's search, step by step: the objectives of each lookup and the HV ratio after it. */
export interface BenchTrace {
  readonly algorithm: AlgorithmName;
  readonly points: readonly (readonly [number, number])[];
  readonly hvRatio: readonly number[];
}

const tables = new Map<string, Promise<BenchmarkTable>>();

async function table(costColumn: string): Promise<BenchmarkTable> {
  if (!tables.has(costColumn)) {
    tables.set(
      costColumn,
      (async () => {
        const response = await fetch(new URL(`${import.meta.env.BASE_URL}benchmarks/nb201.csv`, self.location.href));
        if (!response.ok) throw new Error(`Could not load the benchmark table (server answered ${response.status}).`);
        const parsed = parseTable(await response.text(), { arch: 'arch', accuracy: 'cifar10_acc_200ep', lowFidelity: 'cifar10_acc_12ep', costs: [costColumn] });
        if (!parsed.ok) throw new Error(parsed.error.message);
        return parsed.value;
      })(),
    );
  }
  return tables.get(costColumn)!;
}

/** Benchmark mode: searches on NAS-Bench-201 by lookup, fast enough for a class to watch. */
const api = {
  async run(r: BenchRequest): Promise<{ trueFront: (readonly [number, number])[]; traces: BenchTrace[] }> {
    const t = await table(r.costColumn);
    const metric = new HvRatio(t);
    const point = (row: number) => rowObjectives(t, row) as unknown as readonly [number, number];
    const all = Array.from({ length: t.archs.length }, (_, i) => rowObjectives(t, i));
    const trueFront = paretoFront(all)
      .map(point)
      .sort((a, b) => a[1] - b[1]);
    const traces = r.algorithms.map((algorithm) => {
      const order = evaluationOrder(t, { algorithm, evaluations: r.evaluations, seeds: 1, lowFidelityCost: r.lowFidelity ? 12 / 200 : null }, r.seed);
      return { algorithm, points: order.map(point), hvRatio: order.map((_, i) => metric.of(order.slice(0, i + 1))) };
    });
    return { trueFront, traces };
  },
};

export type BenchApi = typeof api;
expose(api);
