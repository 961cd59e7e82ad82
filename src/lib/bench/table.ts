import { err, ok, type AppError, type Result } from '../core/result';

export type TableErrorCode = 'empty' | 'missing-column' | 'not-numeric' | 'ragged-row' | 'duplicate-arch';
export type TableError = AppError<TableErrorCode>;

/** A benchmark table: one architecture per row, its accuracy (%) at one or two fidelities, and free costs. */
export interface BenchmarkTable {
  readonly archs: readonly string[];
  readonly accuracy: Float64Array;
  readonly lowFidelity: Float64Array | null;
  /** costs[row][k] for each cost column. */
  readonly costs: readonly (readonly number[])[];
  readonly costColumns: readonly string[];
  readonly rowOf: ReadonlyMap<string, number>;
}

export interface TableColumns {
  readonly arch: string;
  readonly accuracy: string;
  readonly lowFidelity?: string;
  readonly costs: readonly string[];
}

/** Parses a plain CSV (no quoted commas) of the NAS-Bench-201 table's shape; errors name the row and column. */
export function parseTable(text: string, columns: TableColumns): Result<BenchmarkTable, TableError> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) return err({ code: 'empty', message: 'The table has no data rows.' });
  const header = lines[0]!.split(',').map((h) => h.trim());
  const col = (name: string): number => header.indexOf(name);
  for (const name of [columns.arch, columns.accuracy, ...(columns.lowFidelity ? [columns.lowFidelity] : []), ...columns.costs]) {
    if (col(name) < 0) return err({ code: 'missing-column', message: `The table has no column "${name}"; its columns are ${header.join(', ')}.` });
  }
  const n = lines.length - 1;
  const archs: string[] = [];
  const accuracy = new Float64Array(n);
  const lowFidelity = columns.lowFidelity ? new Float64Array(n) : null;
  const costs: number[][] = [];
  const rowOf = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const fields = lines[r + 1]!.split(',');
    if (fields.length !== header.length)
      return err({ code: 'ragged-row', message: `Row ${r + 2} has ${fields.length} fields; the header has ${header.length}.` });
    const num = (name: string): number | TableError => {
      const v = Number(fields[col(name)]);
      return Number.isFinite(v) ? v : { code: 'not-numeric', message: `Row ${r + 2}, column "${name}": "${fields[col(name)]}" is not a number.` };
    };
    const arch = fields[col(columns.arch)]!.trim();
    if (rowOf.has(arch)) return err({ code: 'duplicate-arch', message: `Row ${r + 2} repeats the architecture ${arch}.` });
    const values = [columns.accuracy, ...(columns.lowFidelity ? [columns.lowFidelity] : []), ...columns.costs].map(num);
    const bad = values.find((v): v is TableError => typeof v !== 'number');
    if (bad) return err(bad);
    const nums = values as number[];
    archs.push(arch);
    rowOf.set(arch, r);
    accuracy[r] = nums[0]!;
    if (lowFidelity) lowFidelity[r] = nums[1]!;
    costs.push(nums.slice(lowFidelity ? 2 : 1));
  }
  return ok({ archs, accuracy, lowFidelity, costs, costColumns: columns.costs, rowOf });
}
