import { jetstream } from '@nats-io/jetstream';
import { createAccount, createUser, encodeUser, fmtCreds } from '@nats-io/jwt';
import { credsAuthenticator } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labFile, prepareLab, pushAccountClaims, revokedAccountJwt, type LabKeys } from '../../scripts/lib/lab';
import { mintWorkerCredentials, type WorkerCredentials } from '../../src/lib/share/credentials';
import { claimNext, publishResult } from '../../src/lib/share/device';
import { joinUrl, parseJoin } from '../../src/lib/share/join';
import { runNames } from '../../src/lib/share/names';
import { provisionRun, unprovisionRun } from '../../src/lib/share/provision';
import { startTestLab, type TestLab } from './labHarness';

const enc = new TextEncoder();
let lab: TestLab;
let dir: string;
let keys: LabKeys;
let servers: string;
const asHost = () => lab.asHost();
const asDevice = (run: string, c: WorkerCredentials) => lab.asDevice(run, c);
const now = () => Date.now() / 1000;
const nonce = (c: string) => c.padEnd(32, '0');

beforeAll(async () => {
  lab = await startTestLab();
  ({ dir, keys, servers } = lab);
}, 20_000);

afterAll(() => lab?.stop());

describe('the lab server', () => {
  it('keeps its secrets to its owner and refuses credentials it did not issue', async () => {
    for (const f of ['lab.json', 'host.creds', 'system.creds', 'nats.conf'] as const) expect(statSync(labFile(dir, f)).mode & 0o077).toBe(0);
    const stranger = createUser();
    const forged = fmtCreds(await encodeUser('stranger', stranger, createAccount()), stranger);
    await expect(connect({ servers, authenticator: credsAuthenticator(forged), reconnect: false })).rejects.toThrow(/authorization/i);
    // the same keys on a second start: credentials handed out before stay valid
    const again = await prepareLab(dir, { port: keys.port, wsPort: keys.wsPort, listen: '127.0.0.1' });
    expect(again.labAccount).toBe(keys.labAccount);
  });

  it('hands each candidate to one device at a time, takes it back when a lease lapses, and records the first result only', async () => {
    const run = 'run-share-a';
    const host = await asHost();
    await provisionRun(host, run, { limits: '{"height":8}' }, enc.encode('dataset bytes'), { leaseMs: 1500, maxDeliveries: 2 });
    const js = jetstream(host);
    for (const seq of [0, 1]) await js.publish(`${runNames(run).workSubject}.${seq}`, enc.encode(JSON.stringify({ seq })));
    const device = await asDevice(run, await mintWorkerCredentials(keys.signingSeed, keys.labAccount, run, 600, now()));
    const other = await asDevice(run, await mintWorkerCredentials(keys.signingSeed, keys.labAccount, run, 600, now()));

    const first = (await claimNext(device, run, 2000))!;
    expect([first.seq, first.deliveries]).toEqual([0, 1]);
    const second = (await claimNext(other, run, 2000))!;
    expect(second.seq).toBe(1); // the first is leased to `device`, so `other` gets the next one
    expect(await publishResult(device, run, 0, nonce('a'), enc.encode('{"accuracy":0.9}'))).toBe('recorded');
    expect(await publishResult(other, run, 0, nonce('a'), enc.encode('{"accuracy":0.1}'))).toBe('duplicate');
    await first.done();

    // `other` vanishes without acknowledging: after the lease its candidate comes back, marked as a second delivery
    const again = (await claimNext(device, run, 4000))!;
    expect([again.seq, again.deliveries]).toEqual([1, 2]);
    await again.done();
    expect(await claimNext(device, run, 1000)).toBeNull();
  });

  it('keeps a lease alive while the device reports it is still working', async () => {
    const run = 'run-share-b';
    const host = await asHost();
    await provisionRun(host, run, {}, null, { leaseMs: 2000, maxDeliveries: 3 });
    await jetstream(host).publish(`${runNames(run).workSubject}.0`, enc.encode('{}'));
    const device = await asDevice(run, await mintWorkerCredentials(keys.signingSeed, keys.labAccount, run, 600, now()));
    const claim = (await claimNext(device, run, 2000))!;
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 500));
      claim.extend();
    }
    // 4 s after the claim, twice the lease: still not handed to anyone else
    expect(await claimNext(device, run, 1000)).toBeNull();
    await claim.done();
  });

  it('lets a device reach only its own run: no work queue writes, no other run, no host secret, no stream management', async () => {
    const host = await asHost();
    await provisionRun(host, 'run-share-c', {}, null);
    await provisionRun(host, 'run-share-d', {}, null);
    const credentials = await mintWorkerCredentials(keys.signingSeed, keys.labAccount, 'run-share-c', 600, now());
    const device = await asDevice('run-share-c', credentials);
    const measures = `${runNames('run-share-c').measureSubject}`;
    // its measurement of the front goes under its own key only: not under another device's
    await expect(jetstream(device).publish(`${measures}.${credentials.user}.device-1`, enc.encode('{}'), { timeout: 1500 })).resolves.toMatchObject({ seq: 1 });
    await expect(jetstream(device).publish(`${measures}.UOTHERDEVICE.device-1`, enc.encode('{}'), { timeout: 1500 })).rejects.toThrow(/permission|timeout/i);
    await expect(jetstream(device).publish(`${runNames('run-share-c').workSubject}.7`, enc.encode('{}'), { timeout: 1500 })).rejects.toThrow(
      /permission|timeout/i,
    );
    await expect(claimNext(device, 'run-share-d', 1000)).rejects.toThrow(/permission|timeout/i);
    await expect(device.request(`$JS.API.STREAM.DELETE.${runNames('run-share-c').workStream}`, '', { timeout: 1500 })).rejects.toThrow(/permission|timeout/i);
    await expect(
      device.request(`$JS.API.DIRECT.GET.KV_${runNames('run-share-c').hostBucket}.$KV.${runNames('run-share-c').hostBucket}.secret`, '', { timeout: 1500 }),
    ).rejects.toThrow(/permission|timeout/i);
    // and nothing got into the queue
    expect(await claimNext(device, 'run-share-c', 1000)).toBeNull();
  });

  it('ends a run: its streams are gone and its devices are shut out', async () => {
    const run = 'run-share-e';
    const host = await asHost();
    await provisionRun(host, run, {}, null);
    const credentials = await mintWorkerCredentials(keys.signingSeed, keys.labAccount, run, 600, now());
    const device = await asDevice(run, credentials);
    const closed = device.closed();
    await unprovisionRun(host, run);
    const system = await lab.asSystem();
    await pushAccountClaims(system, await revokedAccountJwt(dir, [credentials.user], now()));
    await closed; // the server drops a revoked user's connection
    await expect(asDevice(run, credentials)).rejects.toThrow(/authorization|revoked/i);
  });
});

describe('join links', () => {
  it('carry the ticket in the fragment and refuse a damaged one with a reason', async () => {
    const c = await mintWorkerCredentials(keys.signingSeed, keys.labAccount, 'run-x', 60, now());
    const link = joinUrl('https://lab.local/evonas/#old', 'wss://lab.local/nats', 'run-x', c);
    expect(link.startsWith('https://lab.local/evonas/#join=')).toBe(true);
    expect(parseJoin(link)).toEqual({ ok: true, value: { server: 'wss://lab.local/nats', run: 'run-x', jwt: c.jwt, seed: c.seed } });
    expect(parseJoin('https://lab.local/evonas/')).toMatchObject({ ok: false, error: { message: /no #join= part/ } });
    expect(parseJoin(link.slice(0, -12))).toMatchObject({ ok: false, error: { code: 'bad-join-link' } });
    // one character changed anywhere in the credentials: caught before any connection
    const ticket = link.slice(link.indexOf('=') + 1);
    for (const share of [0.3, 0.5, 0.7, 0.9, 0.97]) {
      const at = Math.floor(ticket.length * share);
      const changed = `https://lab.local/#join=${ticket.slice(0, at)}${ticket[at] === 'A' ? 'B' : 'A'}${ticket.slice(at + 1)}`;
      expect(parseJoin(changed)).toMatchObject({ ok: false, error: { code: 'bad-join-link' } });
    }
    const evil = joinUrl('https://lab.local/', 'https://elsewhere.example', 'run-x', c);
    expect(parseJoin(evil)).toMatchObject({ ok: false, error: { message: /server: expected a ws:\/\/ or wss:\/\/ address/ } });
  });
});
