import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const SOURCES = ['src', 'workers', 'public', 'index.html', 'headless.html', 'vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** Builds the app into dist/ unless dist is newer than every source file. Returns true if it built. */
export async function ensureBuilt(root: string): Promise<boolean> {
  const stamp = join(root, 'dist', 'headless.html');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))) return false;
  await toStderr(() => build({ root, logLevel: 'warn' }));
  return true;
}

/**
 * Runs `work` with stdout sent to stderr: the runner's stdout is `run RUN_ID` and candidate lines only, and a
 * plugin may print its report with console.log whatever the log level.
 */
export async function toStderr<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}
