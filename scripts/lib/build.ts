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
  await build({ root, logLevel: 'warn' });
  return true;
}
