import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { runSearch } from '../../src/lib/run/loop';
import type { RunConfig } from '../../src/lib/records';
import { publishResult } from '../../src/lib/share/device';
import { serveRun, type DatasetShelf, type DeviceHooks, type DeviceStatus } from '../../src/lib/share/deviceLoop';
import type { FrontMeasurer } from '../../src/lib/share/frontOnDevices';
import { frontIds } from '../../src/lib/run/analysis';
import { decodeDataset, encodeDataset } from '../../src/lib/share/datasetWire';
import { hostSharedRun } from '../../src/lib/share/host';
import { choiceOf, type StoredDatasetMeta } from '../../src/lib/data/stored';
import type { Dataset } from '../../src/lib/data/dataset';
import { encodeMessage } from '../../src/lib/share/messages';
import { provisionRun, type ShareTerms } from '../../src/lib/share/provision';
import { SharedEvaluator } from '../../src/lib/share/sharedEvaluator';
import { runNames } from '../../src/lib/share/names';
import { startTestLab, type TestLab } from './labHarness';
import { analyticEvaluator, config, deps, MANIFEST, memoryStore, newRun } from './loopHarness';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
}, 20_000);
afterAll(() => lab?.stop());

const every = (ms: number, beat: () => void) => {
  const t = setInterval(beat, ms);
  return () => clearInterval(t);
};
const until = async (check: () => boolean, what: string, ms = 10_000) => {
  for (const end = Date.now() + ms; !check(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
};

/** A device serving the run, with its statuses kept; `frozen` devices never extend their lease (a stalled tab). */
function device(
  nc: NatsConnection,
  run: string,
  evaluator: ReturnType<typeof analyticEvaluator>,
  frozen = false,
  shelf?: DatasetShelf,
  front?: DeviceHooks['front'],
) {
  const statuses: DeviceStatus[] = [];
  const controller = new AbortController();
  const serving = serveRun(nc, run, evaluator, {
    signal: controller.signal,
    onStatus: (s) => statuses.push(s),
    every: frozen ? () => () => undefined : every,
    ...(shelf ? { shelf } : {}),
    ...(front ? { front } : {}),
  });
  serving.catch(() => undefined); // a killed device ends with its connection
  return { statuses, controller, serving, claimed: () => statuses.filter((s) => s.kind === 'training') as Extract<DeviceStatus, { kind: 'training' }>[] };
}

/** A shared run on the lab as its host would start it: the run's streams, and its record in a fresh store. */
async function sharedRun(run: string, cfg: RunConfig, terms: ShareTerms) {
  const host = await lab.asHost();
  await provisionRun(host, run, { config: JSON.stringify(cfg) }, null, terms);
  const store = memoryStore();
  await newRun(store, cfg, run);
  return { host, store };
}

/** Every candidate of the run stored once, all done. */
async function expectEachOnceDone(store: ReturnType<typeof memoryStore>, run: string, count: number) {
  const candidates = await store.candidatesOf(run);
  expect(candidates.map((c) => c.seq).sort((a, b) => a - b)).toEqual([...Array(count).keys()]);
  expect(candidates.every((c) => c.status === 'done')).toBe(true);
}

it('a shared search with devices that die, stall and lie records every candidate exactly once', async () => {
  const run = 'run-shared-1';
  const cfg: RunConfig = { ...config, evaluations: 12, populationSize: 4, workers: 4 };
  const { host, store } = await sharedRun(run, cfg, { leaseMs: 1500, maxDeliveries: 3 });
  const refused: string[] = [];
  const searching = runSearch(run, deps(store, new SharedEvaluator(host, run, analyticEvaluator(), { onRefused: (r) => refused.push(r) })));

  // one device is killed while training (its tab closes: connection gone, nothing acknowledged) ...
  const killedNc = await lab.asDevice(run, await lab.mint(run));
  const killed = device(killedNc, run, analyticEvaluator({ dieAt: 0 }));
  await until(() => killed.claimed().length === 1, 'the first device to claim');
  await killedNc.close();
  // ... one stalls past its lease and finishes late ...
  const stalled = device(await lab.asDevice(run, await lab.mint(run)), run, analyticEvaluator({ delayMs: () => 4000 }), true);
  await until(() => stalled.claimed().length === 1, 'the stalling device to claim');
  // ... one sends a result for a candidate it was never given
  const liar = await lab.asDevice(run, await lab.mint(run));
  const forged = {
    v: 1 as const,
    seq: 5,
    seed: 1,
    manifest: MANIFEST,
    outcome: { ok: false as const, failure: { code: 'training-error' as const, message: 'forged' } },
  };
  expect(await publishResult(liar, run, 5, '0'.repeat(32), encodeMessage(forged))).toBe('recorded'); // the stream takes it; the host must not
  // and two honest devices do the rest
  const honest = await Promise.all(
    [0, 1].map(async () => device(await lab.asDevice(run, await lab.mint(run)), run, analyticEvaluator({ delayMs: () => 100 }))),
  );

  expect(await searching).toBe('done');
  await until(() => stalled.statuses.some((s) => s.kind === 'sent'), 'the stalled device to finish');
  for (const d of [stalled, ...honest]) d.controller.abort();

  await expectEachOnceDone(store, run, 12);
  // the killed and the stalled devices' candidates were each claimed again by an honest device
  const reclaimed = honest
    .flatMap((d) => d.claimed())
    .filter((s) => s.deliveries > 1)
    .map((s) => s.seq);
  expect(reclaimed).toEqual(expect.arrayContaining([killed.claimed()[0]!.seq, stalled.claimed()[0]!.seq]));
  // trained twice, recorded once: the late result was refused by the stream
  expect(stalled.statuses.find((s) => s.kind === 'sent')).toMatchObject({ seq: stalled.claimed()[0]!.seq, recorded: false });
  expect(refused).toEqual([expect.stringMatching(/candidate 5 refused: it names a candidate that was not issued to its sender/)]);
}, 60_000);

it('a host paused or reloaded mid-run resumes on the same queue: results that came meanwhile count, nothing is lost or doubled', async () => {
  const run = 'run-shared-2';
  const cfg: RunConfig = { ...config, evaluations: 10, populationSize: 3, workers: 3 };
  const { host, store } = await sharedRun(run, cfg, { leaseMs: 1500, maxDeliveries: 3 });
  const devices = await Promise.all(
    [0, 1].map(async () => device(await lab.asDevice(run, await lab.mint(run)), run, analyticEvaluator({ delayMs: () => 150 }))),
  );
  let paused = false;
  const before = new SharedEvaluator(host, run, analyticEvaluator());
  const first = runSearch(
    run,
    deps(store, before, [], () => (paused ? 'paused' : null)),
  );
  await until(() => devices.flatMap((d) => d.statuses).filter((s) => s.kind === 'sent').length >= 3, 'three results');
  paused = true;
  before.interrupt();
  expect(await first).toBe('paused');
  before.terminate();
  // a fresh host (as after a reload) reads the results stream from its start
  const after = new SharedEvaluator(await lab.asHost(), run, analyticEvaluator());
  expect(await runSearch(run, deps(store, after))).toBe('done');
  for (const d of devices) d.controller.abort();
  await expectEachOnceDone(store, run, 10);
  // each candidate trained once across both hosts: the second host's re-publish of in-flight work was a no-op
  const trained = devices
    .flatMap((d) => d.statuses)
    .filter((s) => s.kind === 'sent')
    .map((s) => (s as { seq: number }).seq);
  expect(new Set(trained).size).toBe(trained.length);
}, 60_000);

it('a candidate whose every claim ran out is recorded failed (lost-device), and the search goes on', async () => {
  const run = 'run-shared-3';
  const cfg: RunConfig = { ...config, evaluations: 6, populationSize: 3, workers: 3 };
  // one delivery only: the first lapse is the last
  const { host, store } = await sharedRun(run, cfg, { leaseMs: 1000, maxDeliveries: 1 });
  const searching = runSearch(run, deps(store, new SharedEvaluator(host, run, analyticEvaluator())));
  const doomedNc = await lab.asDevice(run, await lab.mint(run));
  const doomed = device(doomedNc, run, analyticEvaluator({ dieAt: 0 }));
  await until(() => doomed.claimed().length === 1, 'the doomed device to claim');
  await doomedNc.close();
  const honest = device(await lab.asDevice(run, await lab.mint(run)), run, analyticEvaluator({ delayMs: () => 50 }));
  expect(await searching).toBe('done');
  honest.controller.abort();
  const candidates = await store.candidatesOf(run);
  expect(candidates).toHaveLength(6);
  const lost = candidates.filter((c) => c.status === 'failed');
  expect(lost.map((c) => [c.seq, c.failure?.code])).toEqual([[doomed.claimed()[0]!.seq, 'lost-device']]);
  // and no device trains it later: it left the queue
  expect(honest.claimed().map((s) => s.seq)).not.toContain(doomed.claimed()[0]!.seq);
}, 60_000);

it('a run on an imported dataset: a device without it receives it from the lab once, checked, and keeps it', async () => {
  const run = 'run-shared-4';
  const meta: StoredDatasetMeta = {
    id: 'data-share-1',
    name: 'tiny',
    files: ['tiny.csv'],
    images: 30,
    height: 8,
    width: 8,
    channels: 1,
    classNames: ['a', 'b', 'c'],
    createdAt: 1,
  };
  const dataset: Dataset = {
    name: 'tiny',
    height: 8,
    width: 8,
    channels: 1,
    classNames: ['a', 'b', 'c'],
    maxValue: 16,
    pixels: Uint8Array.from({ length: 30 * 64 }, (_, i) => (i * 7) % 17),
    labels: Uint8Array.from({ length: 30 }, (_, i) => i % 3),
  };
  const cfg: RunConfig = { ...config, dataset: choiceOf(meta), evaluations: 3, populationSize: 3, workers: 3 };
  const host = await lab.asHost();
  const bytes = encodeDataset(meta, dataset);
  const evaluator = await hostSharedRun(host, run, cfg, analyticEvaluator(), bytes);
  const store = memoryStore();
  await newRun(store, cfg, run);
  const searching = runSearch(run, deps(store, evaluator));
  const kept = new Map<string, { meta: StoredDatasetMeta; dataset: Dataset }>();
  const shelf: DatasetShelf = { has: async (id) => kept.has(id), put: async (m, d) => void kept.set(m.id, { meta: m, dataset: d }) };
  const d = device(await lab.asDevice(run, await lab.mint(run)), run, analyticEvaluator(), false, shelf);
  expect(await searching).toBe('done');
  d.controller.abort();
  expect(kept.get('data-share-1')).toEqual({ meta, dataset });
  // a damaged or cut transfer never reaches the shelf
  expect(decodeDataset(bytes.slice(0, -1))).toMatchObject({ ok: false, error: { message: /damaged \(\d+ bytes for 30 images/ } });
  const wrongLabel = bytes.slice();
  wrongLabel[wrongLabel.length - 1] = 9;
  expect(decodeDataset(wrongLabel)).toMatchObject({ ok: false, error: { message: /a label beyond the class list/ } });
}, 60_000);

it('the queue stays about twice as deep as the devices serving it: 2 while none has joined, 6 with three', async () => {
  const run = 'run-shared-5';
  // no `workers`: the depth follows the devices alone
  const cfg: RunConfig = { ...config, evaluations: 40, populationSize: 4 };
  const { host, store } = await sharedRun(run, cfg, { leaseMs: 5000, maxDeliveries: 3 });
  const shared = new SharedEvaluator(host, run, analyticEvaluator());
  let inFlight = 0;
  const published: number[] = [];
  const counted = Object.assign(Object.create(shared) as SharedEvaluator, {
    prepare: shared.prepare.bind(shared),
    capacity: shared.capacity,
    evaluate: async (...args: Parameters<SharedEvaluator['evaluate']>) => {
      published.push(++inFlight);
      try {
        return await shared.evaluate(...args);
      } finally {
        inFlight--;
      }
    },
  });
  const searching = runSearch(run, deps(store, counted));
  const queued = async () => (await (await jetstreamManager(host)).streams.info(runNames(run).workStream)).state.messages;
  await new Promise((r) => setTimeout(r, 2500));
  expect(await queued()).toBe(2);
  expect(Math.max(...published)).toBe(2);

  const devices = await Promise.all(
    [0, 1, 2].map(async () => device(await lab.asDevice(run, await lab.mint(run)), run, analyticEvaluator({ delayMs: () => 400 }))),
  );
  expect(await searching).toBe('done');
  for (const d of devices) d.controller.abort();
  await expectEachOnceDone(store, run, 40);
  // grown to twice the three devices once the host saw them, and never deeper
  expect(Math.max(...published)).toBe(6);
  shared.terminate();
}, 60_000);

it('a shared run that is done has its front measured once on each device serving it, devices on one link included; figures for a network off the front are refused', async () => {
  const run = 'run-shared-6';
  const cfg: RunConfig = { ...config, evaluations: 6, populationSize: 3 };
  const { host, store } = await sharedRun(run, cfg, { leaseMs: 5000, maxDeliveries: 3 });
  const refused: string[] = [];
  const shared = new SharedEvaluator(host, run, analyticEvaluator(), { onRefused: (r) => refused.push(r) });
  const searching = runSearch(run, deps(store, shared));
  const latency = { coldMs: 2, medianMs: 1, p25Ms: 0.9, p75Ms: 1.1, cv: 0.05, runs: 5, warmupRuns: 5, batchSize: 1 };
  const measured: number[][] = [];
  const measure: FrontMeasurer = async (items) => {
    measured.push(items.map((i) => i.seq));
    return { manifest: MANIFEST, results: items.map((i) => ({ seq: i.seq, latency })) };
  };
  // both devices joined with the one link the runner prints: one user key, a device id each
  const credentials = await lab.mint(run);
  const devices = await Promise.all(
    ['a', 'b'].map(async (id) =>
      device(await lab.asDevice(run, credentials), run, analyticEvaluator({ delayMs: () => 100 }), false, undefined, { key: credentials.user, id, measure }),
    ),
  );
  expect(await searching).toBe('done');
  // a device that sends figures for a network the host never asked about (under its own key, as it may)
  const liar = await lab.mint(run);
  const stray = { v: 1 as const, manifest: MANIFEST, results: [{ seq: 999, latency }] };
  await jetstream(await lab.asDevice(run, liar)).publish(`${runNames(run).measureSubject}.${liar.user}.liar`, encodeMessage(stray));

  const candidates = await store.candidatesOf(run);
  const ids = frontIds(candidates, cfg.objectives);
  const front = candidates.filter((c) => ids.has(c.id)).map((c) => ({ seq: c.seq, genome: c.genome }));
  const limits = (await store.getRun(run))!.limits!;
  const answers = await shared.measureFront({ v: 1, limits, latencyRuns: 5, candidates: front }, 20_000);
  expect(answers).toHaveLength(2);
  const seqs = front.map((c) => c.seq);
  for (const a of answers) expect(a.results.map((r) => r.seq)).toEqual(seqs);
  expect(measured).toEqual([seqs, seqs]);
  expect(refused).toEqual([expect.stringMatching(/candidate 999 is not on the front/)]);

  // the devices keep polling until the host ends the run, and measure only once
  await shared.end();
  await until(() => devices.every((d) => d.statuses.some((s) => s.kind === 'ended')), 'the devices to leave', 15_000);
  expect(devices.map((d) => d.statuses.filter((s) => s.kind === 'measured').length)).toEqual([1, 1]);
  shared.terminate();
}, 60_000);
