import { credsAuthenticator, jwtAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labFile, prepareLab, startLab, type LabKeys } from '../../scripts/lib/lab';
import { mintWorkerCredentials, type WorkerCredentials } from '../../src/lib/share/credentials';
import { runNames } from '../../src/lib/share/names';

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
const enc = new TextEncoder();

/** A real Debian nats-server (CI installs it) on free loopback ports, in operator mode as `npm run lab -- start` runs it. */
export interface TestLab {
  readonly dir: string;
  readonly keys: LabKeys;
  readonly servers: string;
  asHost(): Promise<NatsConnection>;
  asSystem(): Promise<NatsConnection>;
  asDevice(run: string, credentials: WorkerCredentials): Promise<NatsConnection>;
  mint(run: string, lifetimeSeconds?: number): Promise<WorkerCredentials>;
  stop(): Promise<void>;
}

export async function startTestLab(): Promise<TestLab> {
  const dir = mkdtempSync(join(tmpdir(), 'evonas-lab-'));
  const keys = await prepareLab(dir, { port: await freePort(), wsPort: await freePort(), listen: '127.0.0.1' });
  const servers = `nats://127.0.0.1:${keys.port}`;
  const server: ChildProcess = await startLab(dir, keys);
  const open: NatsConnection[] = [];
  const track = (nc: NatsConnection) => (open.push(nc), nc);
  const withCreds = async (file: 'host.creds' | 'system.creds') =>
    track(await connect({ servers, authenticator: credsAuthenticator(readFileSync(labFile(dir, file))) }));
  return {
    dir,
    keys,
    servers,
    asHost: () => withCreds('host.creds'),
    asSystem: () => withCreds('system.creds'),
    asDevice: async (run, c) =>
      track(await connect({ servers, authenticator: jwtAuthenticator(c.jwt, enc.encode(c.seed)), inboxPrefix: runNames(run).inboxPrefix, reconnect: false })),
    mint: (run, lifetimeSeconds = 600) => mintWorkerCredentials(keys.signingSeed, keys.labAccount, run, lifetimeSeconds, Date.now() / 1000),
    stop: async () => {
      for (const nc of open) await nc.close().catch(() => undefined);
      server.kill('SIGTERM');
    },
  };
}
