/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {}

export type ArgSpec = Record<string, { readonly kind: 'string' | 'int' | 'number'; readonly repeat?: boolean }>;
export type ParsedArgs = Map<string, (string | number)[]>;

/** Parses `--name value` pairs against a spec; unknown names, missing values and bad integers are UsageErrors. */
export function parseArgs(argv: readonly string[], spec: ArgSpec, flags: readonly string[] = []): { values: ParsedArgs; flags: Set<string> } {
  const values: ParsedArgs = new Map();
  const seenFlags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"; options start with --`);
    const name = arg.slice(2);
    if (flags.includes(name)) {
      seenFlags.add(name);
      continue;
    }
    const option = spec[name];
    if (!option) throw new UsageError(`unknown option --${name}; known: ${[...Object.keys(spec), ...flags].map((n) => `--${n}`).join(' ')}`);
    const raw = argv[++i];
    if (raw === undefined || raw.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    const value = option.kind === 'string' ? raw : Number(raw);
    if (option.kind === 'int' && !Number.isInteger(value)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
    if (option.kind === 'number' && (raw.trim() === '' || !Number.isFinite(value))) throw new UsageError(`--${name} must be a number, got "${raw}"`);
    if (values.has(name) && !option.repeat) throw new UsageError(`--${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, flags: seenFlags };
}

export function one<T extends string | number>(values: ParsedArgs, name: string): T | undefined {
  return values.get(name)?.[0] as T | undefined;
}

/** A benchmark's line printer: one JSON object per line with --json, else `key=value` pairs. */
export function linePrinter(json: boolean): (line: Record<string, unknown>) => void {
  return (line) =>
    console.log(
      json
        ? JSON.stringify(line)
        : Object.entries(line)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
    );
}

/** An error as the one line a CLI prints: its first line, without Playwright's "page.evaluate: Error: " wrapper. */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.replace(/^page\.evaluate: (Error: )?/, '');
}

/**
 * Runs a CLI's main and exits: with its code (0 when it returns none), or after one `error:` line with 2 for a
 * UsageError and 1 for anything else.
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (e: unknown) => {
      console.error(`error: ${errorLine(e)}`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
