/**
 * `npm run bench:search -- --table FILE --arch-column COL --accuracy-column COL [--low-fidelity-column COL
 *  --low-fidelity-cost F] --cost-column COL [--cost-column COL ...] --evaluations N --seeds K --algorithm NAME|all
 *  [--json]`: searches a NAS-Bench-201-shaped table without training; one line per algorithm with the mean and
 * standard deviation over seeds of the hypervolume ratio (README of the table's folder).
 */
import { readFileSync } from 'node:fs';
import { benchmark, firstInvalidArch } from '../src/lib/bench/run';
import { parseTable } from '../src/lib/bench/table';
import { ALGORITHMS, type AlgorithmName } from '../src/lib/search/algorithm';
import { one, parseArgs, UsageError } from './lib/args';

function fraction(raw: string): number {
  const parts = raw.split('/');
  const v = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(raw);
  if (!(v > 0 && v <= 1)) throw new UsageError(`--low-fidelity-cost must be a number in (0, 1] such as 0.06 or 12/200; got "${raw}"`);
  return v;
}

function main(): void {
  const { values, flags } = parseArgs(
    process.argv.slice(2),
    {
      table: { kind: 'string' },
      'arch-column': { kind: 'string' },
      'accuracy-column': { kind: 'string' },
      'low-fidelity-column': { kind: 'string' },
      'low-fidelity-cost': { kind: 'string' },
      'cost-column': { kind: 'string', repeat: true },
      evaluations: { kind: 'int' },
      seeds: { kind: 'int' },
      algorithm: { kind: 'string' },
      population: { kind: 'int' },
    },
    ['json'],
  );
  const need = (name: string): string => {
    const v = one<string>(values, name);
    if (v === undefined) throw new UsageError(`--${name} is required`);
    return v;
  };
  const file = need('table');
  const costs = (values.get('cost-column') ?? []) as string[];
  if (costs.length === 0) throw new UsageError('give at least one --cost-column');
  const lowColumn = one<string>(values, 'low-fidelity-column');
  const lowCost = one<string>(values, 'low-fidelity-cost');
  if ((lowColumn === undefined) !== (lowCost === undefined)) throw new UsageError('--low-fidelity-column and --low-fidelity-cost go together');
  const algorithm = one<string>(values, 'algorithm') ?? 'all';
  const names: AlgorithmName[] = algorithm === 'all' ? ['random', 'nsga2', 'aging', 'ours'] : [algorithm as AlgorithmName];
  if (algorithm !== 'all' && !(ALGORITHMS as readonly string[]).includes(algorithm))
    throw new UsageError(`--algorithm must be all or one of ${ALGORITHMS.join(', ')}; got "${algorithm}"`);
  const evaluations = one<number>(values, 'evaluations') ?? 100;
  const seeds = one<number>(values, 'seeds') ?? 20;
  if (evaluations < 1 || seeds < 1) throw new UsageError('--evaluations and --seeds must be at least 1');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --table ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const table = parseTable(text, { arch: need('arch-column'), accuracy: need('accuracy-column'), lowFidelity: lowColumn, costs });
  if (!table.ok) throw new UsageError(`${file}: ${table.error.message}`);
  const bad = firstInvalidArch(table.value);
  if (bad) throw new UsageError(`${file}: "${bad}" is not a NAS-Bench-201 cell (|op~0|+|op~0|op~1|+|op~0|op~1|op~2|)`);
  for (const name of names) {
    const start = performance.now();
    const r = benchmark(table.value, {
      algorithm: name,
      evaluations,
      seeds,
      lowFidelityCost: lowCost === undefined ? null : fraction(lowCost),
      populationSize: one<number>(values, 'population'),
    });
    const line = { ...r, cost_columns: costs, seconds: Math.round((performance.now() - start) / 100) / 10 };
    const { hv_ratio_per_seed: _perSeed, ...brief } = line;
    console.log(
      flags.has('json')
        ? JSON.stringify(line)
        : Object.entries(brief)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
    );
  }
}

try {
  main();
} catch (e) {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
