import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LabKey } from '../../src/lib/share/host';
import { LAB_ADDRESS } from '../../src/lib/share/names';
import { UsageError } from './args';

/**
 * `--share ws://HOST:PORT [--lab DIR] [--host-only]`: the run is shared on the lab server whose WebSocket
 * is at that address, hosted with the key `npm run lab -- start` wrote into DIR (default .lab). The host
 * trains candidates too, as one more device, unless --host-only.
 */
export function shareFrom(
  server: string | undefined,
  labDir: string | undefined,
  hostOnly = false,
): { share: { server: string; hostOnly?: boolean }; labKey: LabKey } | null {
  if (server === undefined) {
    if (labDir !== undefined) throw new UsageError('--lab goes with --share');
    if (hostOnly) throw new UsageError('--host-only goes with --share');
    return null;
  }
  if (!LAB_ADDRESS.test(server)) throw new UsageError(`--share must be the lab's WebSocket address, ws://HOST:PORT or wss://HOST/PATH; got "${server}"`);
  const file = join(resolve(labDir ?? '.lab'), 'host-key.json');
  if (!existsSync(file)) throw new UsageError(`no lab key at ${file}: start the lab first (npm run lab -- start --dir ${labDir ?? '.lab'})`);
  return { share: { server, ...(hostOnly ? { hostOnly } : {}) }, labKey: JSON.parse(readFileSync(file, 'utf8')) as LabKey };
}
