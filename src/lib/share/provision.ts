import type { NatsConnection } from '@nats-io/nats-core';
import { AckPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { runNames } from './names';
import { HOST_SECRET_KEY, newHostSecret } from './nonce';

/** How a shared run hands out work: a claimed candidate's lease and how often it may be claimed. */
export interface ShareTerms {
  /** A claim not acknowledged (nor extended with `working()`) within this is delivered to another device. */
  readonly leaseMs: number;
  /** Claims per candidate before the run records it failed (`lost-device`). */
  readonly maxDeliveries: number;
}

export const DEFAULT_TERMS: ShareTerms = { leaseMs: 60_000, maxDeliveries: 3 };

const nanos = (ms: number): number => ms * 1_000_000;

/**
 * Creates a shared run's streams, consumer, metadata bucket and (with `dataset`) its object store, as the host.
 * Results are one message per candidate subject at most, so a late duplicate is refused by the server itself;
 * the host's secret (what each candidate's nonce derives from) sits in a bucket no device may read.
 */
export async function provisionRun(
  nc: NatsConnection,
  runId: string,
  meta: Record<string, string>,
  dataset: Uint8Array | null,
  terms: ShareTerms = DEFAULT_TERMS,
): Promise<void> {
  const n = runNames(runId);
  const jsm = await jetstreamManager(nc);
  // a day of de-duplication: a host reloaded mid-run publishes its in-flight candidates again, as no-ops
  await jsm.streams.add({
    name: n.workStream,
    subjects: [`${n.workSubject}.*`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(24 * 3600_000),
  });
  await jsm.consumers.add(n.workStream, {
    durable_name: n.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(terms.leaseMs),
    max_deliver: terms.maxDeliveries,
  });
  await jsm.streams.add({ name: n.resultStream, subjects: [`${n.resultSubject}.*.*`], storage: StorageType.File, max_msgs_per_subject: 1 });
  await jsm.streams.add({ name: n.measureStream, subjects: [`${n.measureSubject}.*.*`], storage: StorageType.File, max_msgs_per_subject: 1 });
  const kvm = new Kvm(nc);
  const kv = await kvm.create(n.metaBucket, { history: 1 });
  for (const [key, value] of Object.entries({ ...meta, leaseMs: String(terms.leaseMs) })) await kv.put(key, value);
  await (await kvm.create(n.hostBucket, { history: 1 })).put(HOST_SECRET_KEY, newHostSecret());
  if (dataset) await (await new Objm(nc).create(n.dataBucket)).put({ name: 'dataset' }, oneChunk(dataset));
}

function oneChunk(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Everything a run put on the server, deleted (what is already gone is skipped): devices have nothing left to reach. */
export async function unprovisionRun(nc: NatsConnection, runId: string): Promise<void> {
  const n = runNames(runId);
  const jsm = await jetstreamManager(nc);
  for (const stream of [n.workStream, n.resultStream, n.measureStream, `KV_${n.metaBucket}`, `KV_${n.hostBucket}`, `OBJ_${n.dataBucket}`]) {
    await jsm.streams.delete(stream).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
    });
  }
}

const isNotFound = (e: unknown): boolean => e instanceof Error && /not found/i.test(e.message);
