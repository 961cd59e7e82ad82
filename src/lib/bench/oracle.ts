import type { BenchmarkTable } from './table';

/**
 * The benchmark's rules as an object: costs are free, each accuracy lookup spends one evaluation and a
 * low-fidelity lookup spends `lowFidelityCost` of one. Only full lookups enter the hypervolume.
 */
export class Oracle {
  #spent = 0;
  readonly evaluated: number[] = [];
  readonly #seen = new Set<number>();

  constructor(
    readonly table: BenchmarkTable,
    readonly lowFidelityCost: number,
  ) {}

  get spent(): number {
    return this.#spent;
  }

  /** Row of an architecture string; throws on an architecture the table does not hold. */
  row(arch: string): number {
    const r = this.table.rowOf.get(arch);
    if (r === undefined) throw new Error(`The table has no architecture ${arch}.`);
    return r;
  }

  costs(arch: string): readonly number[] {
    return this.table.costs[this.row(arch)]!;
  }

  /** Full-fidelity accuracy (%); a repeated lookup of the same architecture is free. */
  accuracy(arch: string): number {
    const r = this.row(arch);
    if (!this.#seen.has(r)) {
      this.#seen.add(r);
      this.evaluated.push(r);
      this.#spent += 1;
    }
    return this.table.accuracy[r]!;
  }

  lowFidelity(arch: string): number {
    if (!this.table.lowFidelity) throw new Error('This benchmark has no low-fidelity column.');
    this.#spent += this.lowFidelityCost;
    return this.table.lowFidelity[this.row(arch)]!;
  }
}
