/**
 * The lab server: Debian's nats-server with JetStream and a WebSocket listener, in operator (JWT) mode so
 * the host can mint a user per shared run, limited to that run's subjects, without restarting or reloading it.
 * Keys and credentials live in the lab directory (files readable by their owner only).
 */
import {
  Algorithms,
  createAccount,
  createOperator,
  createUser,
  decode,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  fromSeed,
  type Account,
  type KeyPair,
} from '@nats-io/jwt';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join, resolve } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import type { LabKey } from '../../src/lib/share/host';
import { UsageError } from './args';

export interface LabOptions {
  readonly port: number;
  readonly wsPort: number;
  /** 127.0.0.1 for one machine; 0.0.0.0 to take devices on the LAN (behind a TLS proxy, see the README). */
  readonly listen: string;
}

/** What the lab directory holds about itself: keys (secret) and where it listens. */
export interface LabKeys extends LabOptions {
  readonly operatorSeed: string;
  readonly systemAccount: string;
  readonly labAccount: string;
  /** Signs run users: whoever holds it can let devices into runs, nothing more. */
  readonly signingSeed: string;
  readonly revocations: Readonly<Record<string, number>>;
}

const encoder = new TextEncoder();
const seedOf = (kp: { getSeed(): Uint8Array }) => new TextDecoder().decode(kp.getSeed());
const secret = (path: string, text: string | Uint8Array) => writeFileSync(path, text, { mode: 0o600 });
export const labFile = (dir: string, name: 'lab.json' | 'nats.conf' | 'host.creds' | 'host-key.json' | 'system.creds') => join(dir, name);

/** Where `nats-server` is, or a UsageError saying how to install it. */
export function natsServerPath(): string {
  for (const path of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (existsSync(path)) return path;
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  throw new UsageError('nats-server is not installed: apt-get install -y nats-server (Debian), or put it on PATH');
}

/** Connection and message limits off (an account's limits default to zero once any is given). */
const UNLIMITED = { conn: -1, subs: -1, data: -1, payload: -1, leaf: -1, imports: -1, exports: -1, wildcards: true } as const;

async function labAccountJwt(keys: Pick<LabKeys, 'operatorSeed' | 'signingSeed' | 'revocations'>, account: KeyPair): Promise<string> {
  const claims: Partial<Account> = {
    // JetStream on, and no limits of its own: the lab is one machine the teacher controls
    limits: { ...UNLIMITED, mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 },
    signing_keys: [fromSeed(encoder.encode(keys.signingSeed)).getPublicKey()],
    revocations: { ...keys.revocations },
  };
  return encodeAccount('LAB', account, claims, { signer: fromSeed(encoder.encode(keys.operatorSeed)), algorithm: Algorithms.v2 });
}

function config(dir: string, keys: LabKeys, operatorJwt: string, systemJwt: string, labJwt: string): string {
  return `# written by npm run lab -- start; edits are overwritten
server_name: evonas_lab
listen: "${keys.listen}:${keys.port}"
max_payload: 1MB
jetstream { store_dir: "${join(dir, 'jetstream')}" }
# TLS comes from the proxy in front of it on a LAN (README, "Running a class")
websocket { listen: "${keys.listen}:${keys.wsPort}", no_tls: true }
operator: "${operatorJwt}"
system_account: ${keys.systemAccount}
resolver { type: full, dir: "${join(dir, 'accounts')}", allow_delete: false }
resolver_preload {
  ${keys.systemAccount}: "${systemJwt}"
  ${keys.labAccount}: "${labJwt}"
}
`;
}

/** New keys for a new lab; the host's and the system's credentials are signed by their accounts' own keys. */
async function createKeys(root: string, options: LabOptions): Promise<LabKeys> {
  const system = createAccount();
  const lab = createAccount();
  const host = createUser();
  secret(labFile(root, 'host.creds'), fmtCreds(await encodeUser('host', host, lab, {}, { algorithm: Algorithms.v2 }), host));
  const sys = createUser();
  secret(labFile(root, 'system.creds'), fmtCreds(await encodeUser('system', sys, system, {}, { algorithm: Algorithms.v2 }), sys));
  secret(join(root, 'system.account.nk'), seedOf(system));
  secret(join(root, 'lab.account.nk'), seedOf(lab));
  const keys: LabKeys = {
    ...options,
    operatorSeed: seedOf(createOperator()),
    systemAccount: system.getPublicKey(),
    labAccount: lab.getPublicKey(),
    signingSeed: seedOf(createAccount()),
    revocations: {},
  };
  const hostKey: LabKey = { hostCreds: readFileSync(labFile(root, 'host.creds'), 'utf8'), signingSeed: keys.signingSeed, account: keys.labAccount };
  secret(labFile(root, 'host-key.json'), JSON.stringify(hostKey, null, 2) + '\n');
  return keys;
}

const accountKey = (root: string, which: 'system' | 'lab') => fromSeed(encoder.encode(readFileSync(join(root, `${which}.account.nk`), 'utf8')));

/**
 * Creates the lab's keys, credentials and configuration in `dir` the first time; later calls keep the keys
 * (joined devices and stored runs stay valid) and rewrite only the listen addresses.
 */
export async function prepareLab(dir: string, options: LabOptions): Promise<LabKeys> {
  const root = resolve(dir);
  mkdirSync(join(root, 'accounts'), { recursive: true, mode: 0o700 });
  const known = existsSync(labFile(root, 'lab.json')) ? (JSON.parse(readFileSync(labFile(root, 'lab.json'), 'utf8')) as LabKeys) : null;
  const keys: LabKeys = known ? { ...known, ...options } : await createKeys(root, options);
  const operator = fromSeed(encoder.encode(keys.operatorSeed));
  const operatorJwt = await encodeOperator('evonas-lab', operator, { system_account: keys.systemAccount }, { algorithm: Algorithms.v2 });
  const systemJwt = await encodeAccount('SYS', accountKey(root, 'system'), { limits: UNLIMITED }, { signer: operator, algorithm: Algorithms.v2 });
  const labJwt = await labAccountJwt(keys, accountKey(root, 'lab'));
  secret(labFile(root, 'lab.json'), JSON.stringify(keys, null, 2) + '\n');
  secret(labFile(root, 'nats.conf'), config(root, keys, operatorJwt, systemJwt, labJwt));
  return keys;
}

/** Sends the lab account's new claims to the server through the system account; throws with its reason if refused. */
export async function pushAccountClaims(system: NatsConnection, accountJwt: string): Promise<void> {
  const reply = (await system.request('$SYS.REQ.CLAIMS.UPDATE', accountJwt, { timeout: 5000 })).json<{
    data?: { code?: number };
    error?: { description?: string };
  }>();
  if (reply.error || reply.data?.code !== 200)
    throw new Error(`the lab server refused the account update: ${reply.error?.description ?? JSON.stringify(reply)}`);
}

/** The lab account's claims re-signed with more revoked users (kept in lab.json); push them with `pushAccountClaims`. */
export async function revokedAccountJwt(dir: string, users: readonly string[], nowSeconds: number): Promise<string> {
  const root = resolve(dir);
  const keys = JSON.parse(readFileSync(labFile(root, 'lab.json'), 'utf8')) as LabKeys;
  const revocations = { ...keys.revocations, ...Object.fromEntries(users.map((u) => [u, Math.floor(nowSeconds)])) };
  const next = { ...keys, revocations };
  secret(labFile(root, 'lab.json'), JSON.stringify(next, null, 2) + '\n');
  const jwt = await labAccountJwt(next, accountKey(root, 'lab'));
  if (decode<Account>(jwt).sub !== keys.labAccount) throw new Error('the lab directory holds another account than its lab.json names');
  return jwt;
}

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = tcpConnect({ host, port }, () => {
        socket.end();
        done(true);
      });
      socket.on('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${host}:${port} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts nats-server on the lab's configuration; resolves once it takes clients. */
export async function startLab(dir: string, keys: LabKeys, log: (line: string) => void = () => undefined): Promise<ChildProcess> {
  const server = spawn(natsServerPath(), ['-c', labFile(resolve(dir), 'nats.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) {
        lines.push(line);
        log(line);
      }
  };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  const exited = new Promise<never>((_, reject) =>
    server.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${lines.slice(-3).join(' | ')}`))),
  );
  await Promise.race([waitForPort(keys.listen === '0.0.0.0' ? '127.0.0.1' : keys.listen, keys.port, 10_000), exited]);
  exited.catch(() => undefined);
  return server;
}
