import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's python3, where python3-torch and python3-optuna install; a pyenv or venv python3 on PATH may hide it. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Runs a native peer's script and parses the JSON object on the last line of its stdout; on failure, the
 * reason (the last line of its stderr) for the caller to print or throw.
 */
export function runPython<T>(args: readonly string[], timeoutMs: number, cwd?: string): { ok: true; value: T } | { ok: false; reason: string } {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: timeoutMs, ...(cwd ? { cwd } : {}) });
  if (r.status !== 0) return { ok: false, reason: (r.stderr || r.error?.message || 'python3 failed').trim().split('\n').pop() ?? 'python3 failed' };
  return { ok: true, value: JSON.parse(r.stdout.trim().split('\n').pop()!) as T };
}
