import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LabKey } from '../../src/lib/share/host';
import { LAB_ADDRESS } from '../../src/lib/share/names';
import { UsageError } from './args';
import { labFile, type LabKeys } from './lab';

/**
 * `--share ws://HOST:PORT [--lab DIR] [--host-only]`: the run is shared on the lab server whose WebSocket
 * is at that address, hosted with the key `npm run lab -- start` wrote into DIR (default .lab). The host
 * trains candidates too, as one more device, unless --host-only. `nats://HOST:PORT` names the same lab by its
 * NATS port: browsers speak only WebSocket, so that becomes the lab's WebSocket address on HOST.
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
  const dir = resolve(labDir ?? '.lab');
  const file = join(dir, 'host-key.json');
  if (!existsSync(file)) throw new UsageError(`no lab key at ${file}: start the lab first (npm run lab -- start --dir ${labDir ?? '.lab'})`);
  const address = webSocketOf(server, dir);
  if (!LAB_ADDRESS.test(address))
    throw new UsageError(`--share must be the lab's address, nats://HOST:PORT, ws://HOST:PORT or wss://HOST/PATH; got "${server}"`);
  return { share: { server: address, ...(hostOnly ? { hostOnly } : {}) }, labKey: JSON.parse(readFileSync(file, 'utf8')) as LabKey };
}

/** A `nats://HOST:PORT` of the lab in `dir` as its WebSocket address; anything else unchanged. */
function webSocketOf(server: string, dir: string): string {
  const nats = /^nats:\/\/([^/:]+):(\d+)$/.exec(server);
  if (!nats) return server;
  const lab = JSON.parse(readFileSync(labFile(dir, 'lab.json'), 'utf8')) as Pick<LabKeys, 'port' | 'wsPort'>;
  if (Number(nats[2]) !== lab.port)
    throw new UsageError(
      `--share ${server}: the lab in ${dir} listens on NATS port ${lab.port}; give that port, or its WebSocket ws://${nats[1]}:${lab.wsPort}`,
    );
  return `ws://${nats[1]}:${lab.wsPort}`;
}
