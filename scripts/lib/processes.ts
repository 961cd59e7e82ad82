import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** A project script started as a user starts it (`npx tsx SCRIPT ...`), in its own process group, stdout and stderr gathered. */
export function startScript(script: string, args: readonly string[]) {
  const child: ChildProcessWithoutNullStreams = spawn('npx', ['tsx', script, ...args], { detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Waits for a stdout line matching `pattern`; throws with the output's tail after `ms`. */
  const line = async (pattern: RegExp, ms = 120_000) => {
    for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
      const m = pattern.exec(stdout);
      if (m) return m;
      if (Date.now() > end)
        throw new Error(`no line ${pattern} from ${script} within ${ms / 1000} s; stdout: ${stdout.slice(-400)}; stderr: ${stderr.slice(-400)}`);
    }
  };
  return { child, exited, line, out: () => stdout, err: () => stderr };
}

/** Kills a started script's process group and any process whose command line names `marker` (its Chromium, by profile dir). */
export function killTree(pid: number, marker: string): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* the group has ended already */
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
