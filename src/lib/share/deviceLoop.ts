import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import * as v from 'valibot';
import { Config } from '../bundle/schema';
import { Interrupted, type EvaluateOutcome, type Evaluator } from '../run/evaluator';
import type { RunConfig } from '../records';
import type { Dataset } from '../data/dataset';
import type { StoredDatasetMeta } from '../data/stored';
import { decodeDataset } from './datasetWire';
import { sha256Hex } from './sha256';
import { claimNext, fetchDataset, publishResult } from './device';
import { encodeMessage, parseWork } from './messages';
import { runNames } from './names';
import { DEFAULT_TERMS } from './provision';
import { measureFrontIfAsked, type FrontMeasurer } from './frontOnDevices';
import type { BackendPreference } from '../model/names';

/** What a joined device is doing, for its screen and the runner's log. */
export type DeviceStatus =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'training'; readonly seq: number; readonly deliveries: number }
  | { readonly kind: 'sent'; readonly seq: number; readonly recorded: boolean; readonly accuracy: number | null }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'measuring'; readonly candidates: number }
  | { readonly kind: 'measured'; readonly candidates: number; readonly recorded: boolean }
  | { readonly kind: 'ended' };

/** Where a device keeps an imported dataset it received (IndexedDB in the app). */
export interface DatasetShelf {
  has(id: string): Promise<boolean>;
  put(meta: StoredDatasetMeta, dataset: Dataset): Promise<void>;
}

export interface DeviceHooks {
  /** Aborting leaves the run: a candidate in training goes back to the queue at once for another device. */
  readonly signal: AbortSignal;
  /** Needed for runs on an imported dataset: the device receives it once and keeps it. */
  readonly shelf?: DatasetShelf;
  readonly onStatus?: (status: DeviceStatus) => void;
  /** setInterval in the app; returns its stop function. */
  readonly every: (ms: number, beat: () => void) => () => void;
  /** How this device measures the run's front when the host asks (once the search is done), under its user key and a random id of its own. */
  readonly front?: { readonly key: string; readonly id: string; readonly measure: FrontMeasurer };
}

/** The run's configuration as the host stored it, checked as strictly as an imported bundle. */
export async function sharedRunConfig(nc: NatsConnection, runId: string): Promise<{ config: RunConfig; leaseMs: number; datasetDigest: string | null }> {
  const kv = await new Kvm(nc).open(runNames(runId).metaBucket);
  const entry = await kv.get('config');
  if (!entry) throw new Error(`shared run ${runId} has no configuration on the lab server: it has ended, or the link is for another lab`);
  const parsed = v.safeParse(Config, entry.json());
  if (!parsed.success)
    throw new Error(
      `shared run ${runId}: its configuration is not one this app can run (${v.getDotPath(parsed.issues[0]) ?? 'config'}: ${parsed.issues[0].message})`,
    );
  const leaseMs = Number((await kv.get('leaseMs'))?.string() ?? DEFAULT_TERMS.leaseMs);
  const datasetDigest = (await kv.get('datasetDigest'))?.string() ?? null;
  return { config: parsed.output, leaseMs: Number.isFinite(leaseMs) && leaseMs >= 1000 ? leaseMs : DEFAULT_TERMS.leaseMs, datasetDigest };
}

/** Receives the run's imported dataset unless the device holds it already; checked by digest and by every size. */
async function ensureDataset(nc: NatsConnection, runId: string, config: RunConfig, digest: string | null, shelf: DatasetShelf | undefined): Promise<void> {
  if (config.dataset.kind !== 'stored' || (shelf && (await shelf.has(config.dataset.id)))) return;
  if (!shelf || !digest) throw new Error('This shared run is on an imported dataset that this device cannot receive.');
  const bytes = await fetchDataset(nc, runId);
  if ((await sha256Hex(bytes)) !== digest)
    throw new Error("The shared run's dataset arrived changed (its digest differs from the host's); nothing was stored.");
  const decoded = decodeDataset(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  if (decoded.value.meta.id !== config.dataset.id) throw new Error("The shared run's dataset is not the one its configuration names; nothing was stored.");
  await shelf.put(decoded.value.meta, decoded.value.dataset);
}

/** Whether the run's queue is still on the lab server (the host deletes it when the run ends). */
async function runIsOpen(nc: NatsConnection, runId: string): Promise<boolean> {
  const n = runNames(runId);
  return jetstream(nc)
    .consumers.get(n.workStream, n.consumer)
    .then(
      () => true,
      (e: unknown) => !(e instanceof Error && /not found|deleted/i.test(e.message)),
    );
}

/** Measures the front once the host asks for it; true once that is over (measured, or refused with the reason). */
async function measureFront(
  nc: NatsConnection,
  runId: string,
  front: NonNullable<DeviceHooks['front']>,
  backend: BackendPreference,
  onStatus: DeviceHooks['onStatus'],
): Promise<boolean> {
  const measure: FrontMeasurer = (items, ...rest) => {
    onStatus?.({ kind: 'measuring', candidates: items.length });
    return front.measure(items, ...rest);
  };
  const done = await measureFrontIfAsked(nc, runId, { key: front.key, id: front.id, measure, backend }).catch((e: unknown) => ({
    refused: `could not measure the front here: ${e instanceof Error ? e.message : String(e)}`,
  }));
  if (done === null) return false;
  onStatus?.('refused' in done ? { kind: 'refused', reason: done.refused } : { kind: 'measured', ...done });
  return true;
}

const withoutWeights = (outcome: EvaluateOutcome): EvaluateOutcome => {
  if (!outcome.ok) return outcome;
  const { weights: _weights, ...evaluation } = outcome.evaluation;
  return { ...outcome, evaluation };
};

/**
 * Serves one shared run from this device until `signal` aborts: claims a candidate, trains and measures it
 * with this device's own evaluator (the app's training workers), keeps its lease alive meanwhile, publishes
 * the result with this device's manifest, then acknowledges. Returns how many candidates it finished, once
 * `signal` aborts or the host has ended the run.
 */
export async function serveRun(nc: NatsConnection, runId: string, evaluator: Evaluator, hooks: DeviceHooks): Promise<number> {
  const { config, leaseMs, datasetDigest } = await sharedRunConfig(nc, runId);
  await ensureDataset(nc, runId, config, datasetDigest, hooks.shelf);
  const prepared = await evaluator.prepare({ ...config, workers: 1 });
  let finished = 0;
  let failedClaims = 0;
  let frontDone = false;
  while (!hooks.signal.aborted) {
    hooks.onStatus?.({ kind: 'waiting' });
    const claim = await claimNext(nc, runId, 3000).catch(async (e: unknown) => {
      // a pull cut short (missed heartbeats, a deleted consumer): ended if the host took the queue away
      if (!(await runIsOpen(nc, runId))) return 'ended' as const;
      if (++failedClaims > 3) throw e;
      return null;
    });
    if (claim !== null && claim !== 'ended') failedClaims = 0;
    if (claim === 'ended') {
      hooks.onStatus?.({ kind: 'ended' });
      break;
    }
    if (!claim) {
      if (hooks.front && !frontDone) frontDone = await measureFront(nc, runId, hooks.front, config.backend, hooks.onStatus);
      continue;
    }
    const work = parseWork(claim.body);
    if (!work.ok) {
      hooks.onStatus?.({ kind: 'refused', reason: work.error.message });
      claim.refuse();
      continue;
    }
    const w = work.value;
    hooks.onStatus?.({ kind: 'training', seq: w.seq, deliveries: claim.deliveries });
    const stopExtending = hooks.every(Math.max(250, leaseMs / 3), () => claim.extend());
    const onAbort = () => claim.release();
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    let outcome: EvaluateOutcome;
    try {
      outcome = await evaluator.evaluate(
        { seq: w.seq, genome: w.genome, limits: w.limits, seed: w.seed, latencyRuns: w.latencyRuns, ...(w.promotion ? { promotion: w.promotion } : {}) },
        { onBatch: () => undefined, onEpoch: () => undefined },
      );
    } catch (e) {
      if (e instanceof Interrupted) break;
      throw e;
    } finally {
      stopExtending();
      hooks.signal.removeEventListener('abort', onAbort);
    }
    if (hooks.signal.aborted) break;
    const sent = await publishResult(
      nc,
      runId,
      w.seq,
      w.nonce,
      encodeMessage({ v: 1, seq: w.seq, seed: w.seed, outcome: withoutWeights(outcome), manifest: prepared.manifest }),
    );
    await claim.done();
    finished++;
    hooks.onStatus?.({ kind: 'sent', seq: w.seq, recorded: sent === 'recorded', accuracy: outcome.ok ? outcome.evaluation.accuracy : null });
  }
  return finished;
}
