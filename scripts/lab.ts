/**
 * `npm run lab -- start [--dir DIR] [--port 4222] [--ws-port 4223] [--lan]`: the lab server for shared runs.
 * Writes a NATS configuration (JetStream in DIR, a WebSocket listener, operator-mode keys) and runs Debian's
 * nats-server in the foreground until Ctrl-C. Prints where it listens and where the host's key is.
 * `npm run lab -- worker --join JOIN_URL [--port P] [--profile DIR]`: this machine as one device of a shared run, in headless
 * Chromium, until the host ends the run; one line per candidate.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import type { DeviceStatus } from '../src/lib/share/deviceLoop';
import { one, parseArgs, UsageError, runCli } from './lib/args';
import { ensureBuilt } from './lib/build';
import { labFile, prepareLab, startLab } from './lib/lab';
import { openSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SPEC = { dir: { kind: 'string' }, port: { kind: 'int' }, 'ws-port': { kind: 'int' }, join: { kind: 'string' }, profile: { kind: 'string' } } as const;
const USAGE = 'usage: npm run lab -- start [--dir DIR] [--port 4222] [--ws-port 4223] [--lan] | worker --join JOIN_URL [--port P] [--profile DIR]';
const port = (value: number | undefined, name: string, fallback: number): number => {
  const p = value ?? fallback;
  if (p < 1 || p > 65535) throw new UsageError(`--${name} must be a port from 1 to 65535, got ${p}`);
  return p;
};

function describe(status: DeviceStatus): string | null {
  switch (status.kind) {
    case 'training':
      return `training candidate ${status.seq}${status.deliveries > 1 ? ` (claim ${status.deliveries}: a device before this one left it)` : ''}`;
    case 'sent':
      return `candidate ${status.seq} ${status.recorded ? 'recorded' : 'already recorded from another device'}${status.accuracy === null ? ' (failed)' : ` acc=${status.accuracy.toFixed(3)}`}`;
    case 'refused':
      return `refused a work message: ${status.reason}`;
    case 'measuring':
      return `measuring the front here (${status.candidates} network${status.candidates === 1 ? '' : 's'})`;
    case 'measured':
      return `front measured here: ${status.candidates} network${status.candidates === 1 ? '' : 's'}${status.recorded ? '' : ' (already sent before)'}`;
    case 'ended':
      return 'the host ended the run';
    case 'waiting':
      return null;
  }
}

/** One device of a shared run in headless Chromium, through the app's own join path. */
async function worker(values: ReturnType<typeof parseArgs>['values']): Promise<number> {
  const link = one<string>(values, 'join');
  if (!link?.includes('#join=')) throw new UsageError('worker needs --join JOIN_URL (the link the host printed, with its #join= part)');
  await ensureBuilt(ROOT);
  const profile = one<string>(values, 'profile');
  const session = await openSession(ROOT, port(one(values, 'port'), 'port', 4330), profile && resolve(profile), '/headless.html');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void session.close().finally(() => process.exit(130)));
  try {
    await session.page.exposeBinding('evonasDeviceStatus', (_source, status: DeviceStatus) => {
      const line = describe(status);
      if (line) console.log(line);
    });
    await session.page.goto(session.origin);
    await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    // the ticket travels as the fragment only; this page serves the app itself
    const finished = await session.page.evaluate((fragment) => window.evonas.join(fragment), link.slice(link.indexOf('#')));
    console.error(`left the run after ${finished} candidate${finished === 1 ? '' : 's'}`);
    return 0;
  } finally {
    await session.close();
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'worker') return worker(parseArgs(rest, SPEC).values);
  if (command !== 'start') throw new UsageError(`${USAGE}${command ? `; unknown command "${command}"` : ''}`);
  const { values, flags } = parseArgs(rest, SPEC, ['lan']);
  const dir = resolve(one<string>(values, 'dir') ?? '.lab');
  const options = {
    port: port(one(values, 'port'), 'port', 4222),
    wsPort: port(one(values, 'ws-port'), 'ws-port', 4223),
    listen: flags.has('lan') ? '0.0.0.0' : '127.0.0.1',
  };
  const keys = await prepareLab(dir, options);
  const server = await startLab(dir, keys, (line) => {
    if (/\[(ERR|FTL)\]/.test(line)) console.error(line);
  });
  console.log(`lab nats://${options.listen}:${options.port}`);
  console.log(`websocket ws://${options.listen}:${options.wsPort}`);
  console.log(`host key ${labFile(dir, 'host-key.json')}`);
  console.error(`JetStream and keys in ${dir}; Ctrl-C stops the server (runs stay stored there)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.kill('SIGTERM'));
  return new Promise((done) => server.once('exit', (code, signal) => done(signal === 'SIGTERM' ? 0 : (code ?? 1))));
}

runCli(main);
