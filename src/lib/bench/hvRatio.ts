import { hypervolume, normalize, type Bounds } from '../search/hypervolume';
import { paretoFront } from '../search/pareto';
import type { BenchmarkTable } from './table';

/** Objectives of a row: (100 - accuracy) and each cost, all minimised. */
export const rowObjectives = (t: BenchmarkTable, r: number): number[] => [100 - t.accuracy[r]!, ...t.costs[r]!];

/**
 * The metric of the benchmark README: objectives normalised by the ideal and nadir of the table's true front,
 * reference point 1.1 in each; HV of the evaluated rows over HV of the true front. The true front is computed
 * once from the whole table, for the metric only: no search sees it.
 */
export class HvRatio {
  readonly bounds: Bounds;
  readonly trueHv: number;
  readonly #ref: number[];

  constructor(private readonly table: BenchmarkTable) {
    const all = Array.from({ length: table.archs.length }, (_, r) => rowObjectives(table, r));
    const front = paretoFront(all).map((r) => all[r]!);
    const m = front[0]!.length;
    this.bounds = {
      ideal: Array.from({ length: m }, (_, k) => Math.min(...front.map((p) => p[k]!))),
      nadir: Array.from({ length: m }, (_, k) => Math.max(...front.map((p) => p[k]!))),
    };
    this.#ref = new Array<number>(m).fill(1.1);
    this.trueHv = hypervolume(normalize(front, this.bounds), this.#ref);
  }

  /** HV of the evaluated rows / HV of the true front. */
  of(rows: readonly number[]): number {
    return (
      hypervolume(
        normalize(
          rows.map((r) => rowObjectives(this.table, r)),
          this.bounds,
        ),
        this.#ref,
      ) / this.trueHv
    );
  }
}
