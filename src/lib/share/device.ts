import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, JetStreamApiError } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { runNames } from './names';

/** A candidate this device has claimed: train it, keep the lease alive with `extend`, then `done`. */
export interface Claim {
  readonly seq: number;
  readonly body: Uint8Array;
  /** 1 on the first claim; more when a device before this one let its lease run out. */
  readonly deliveries: number;
  /** Pushes the lease back by a whole lease (JetStream's "working" acknowledgement). */
  extend(): void;
  /** Acknowledges the claim: the candidate leaves the work queue for good. */
  done(): Promise<void>;
  /** Gives the candidate back at once (this device is leaving), for another device to claim. */
  release(): void;
  /** Refuses a message no device could train (malformed): it is not delivered again. */
  refuse(): void;
}

/** The next candidate of a shared run, or null when none came within `waitMs`. */
export async function claimNext(nc: NatsConnection, runId: string, waitMs: number): Promise<Claim | null> {
  const n = runNames(runId);
  const consumer = await jetstream(nc).consumers.get(n.workStream, n.consumer);
  const msg = await consumer.next({ expires: Math.max(1000, waitMs) });
  if (!msg) return null;
  const seq = Number(msg.subject.slice(n.workSubject.length + 1));
  return {
    seq,
    body: msg.data,
    deliveries: msg.info.deliveryCount,
    extend: () => msg.working(),
    done: async () => {
      await msg.ackAck();
    },
    release: () => msg.nak(),
    refuse: () => msg.term(),
  };
}

/**
 * Publishes on a subject of a stream that keeps one message per subject, expecting none there yet: the first
 * publish is recorded, a later one comes back 'duplicate' (the server refuses it).
 */
export async function publishFirst(nc: NatsConnection, subject: string, body: Uint8Array): Promise<'recorded' | 'duplicate'> {
  try {
    await jetstream(nc).publish(subject, body, { expect: { lastSubjectSequence: 0 } });
    return 'recorded';
  } catch (e) {
    // 10071: wrong last sequence, i.e. a message on this subject is already stored
    if (e instanceof JetStreamApiError && e.code === 10071) return 'duplicate';
    throw e;
  }
}

/**
 * Publishes a candidate's result. The results stream holds one message per candidate: the first device to
 * finish is recorded, a late duplicate comes back 'duplicate'.
 */
export function publishResult(nc: NatsConnection, runId: string, seq: number, nonce: string, body: Uint8Array): Promise<'recorded' | 'duplicate'> {
  return publishFirst(nc, `${runNames(runId).resultSubject}.${seq}.${nonce}`, body);
}

/** The shared run's dataset as the host put it in the object store (read-only for a device). */
export async function fetchDataset(nc: NatsConnection, runId: string): Promise<Uint8Array> {
  const store = await new Objm(nc).open(runNames(runId).dataBucket);
  const result = await store.get('dataset');
  if (!result) throw new Error(`shared run ${runId} has no dataset on the lab server`);
  const chunks: Uint8Array[] = [];
  const reader = result.data.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  if (!(await result.error)) {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  throw new Error(`shared run ${runId}: reading its dataset failed (${(await result.error)?.message})`);
}
