import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { publishFirst } from './device';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { DeviceManifest } from '../measure/manifest';
import type { LatencyResult } from '../measure/protocol';
import type { BackendPreference } from '../model/names';
import { encodeMessage, parseFront, parseMeasure, type FrontMessage, type MeasureMessage } from './messages';
import { runNames } from './names';

/** The metadata key the host writes the finished run's front under; devices poll it between claims. */
export const FRONT_KEY = 'front';

/** Measures networks on this device (the app: a measurement worker on `backend`); latency in ms, batch 1. */
export type FrontMeasurer = (
  items: readonly { seq: number; genome: CnnGenome }[],
  limits: SpaceLimits,
  latencyRuns: number,
  backend: BackendPreference,
) => Promise<{ manifest: DeviceManifest; results: { seq: number; latency: LatencyResult }[] }>;

/**
 * Device side: when the host has asked for the front, measures it here once and publishes the figures under
 * this device's user key and its own device id (devices sharing one join link have one user key): one message
 * per device, a second is refused by the stream. Returns what it did: null while there is nothing to measure yet.
 */
export async function measureFrontIfAsked(
  nc: NatsConnection,
  runId: string,
  device: { readonly key: string; readonly id: string; readonly measure: FrontMeasurer; readonly backend: BackendPreference },
): Promise<{ readonly candidates: number; readonly recorded: boolean } | { readonly refused: string } | null> {
  const n = runNames(runId);
  const entry = await (await new Kvm(nc).open(n.metaBucket)).get(FRONT_KEY);
  if (!entry || entry.value.length === 0) return null;
  const front = parseFront(entry.value);
  if (!front.ok) return { refused: front.error.message };
  const { candidates, limits, latencyRuns } = front.value;
  const { manifest, results } = await device.measure(candidates, limits, latencyRuns, device.backend);
  const message: MeasureMessage = { v: 1, manifest, results };
  // 'duplicate': this device's measurement is there already
  const sent = await publishFirst(nc, `${n.measureSubject}.${device.key}.${device.id}`, encodeMessage(message));
  return { candidates: results.length, recorded: sent === 'recorded' };
}

/**
 * Host side: asks every device serving the run to measure `front`, and gathers their answers until `expected`
 * devices have answered or `waitMs` has passed. Malformed answers, and answers for networks not on the front,
 * are refused with the reason (`onRefused`) and never returned.
 */
export async function gatherFrontMeasures(
  nc: NatsConnection,
  runId: string,
  front: FrontMessage,
  expected: number,
  waitMs: number,
  onRefused: (reason: string) => void = () => undefined,
): Promise<MeasureMessage[]> {
  const n = runNames(runId);
  await (await new Kvm(nc).open(n.metaBucket)).put(FRONT_KEY, encodeMessage(front));
  if (expected <= 0) return [];
  const onFront = new Set(front.candidates.map((c) => c.seq));
  const consumer = await jetstream(nc).consumers.get(n.measureStream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume();
  const timer = setTimeout(() => void messages.stop(), waitMs);
  const gathered: MeasureMessage[] = [];
  try {
    for await (const msg of messages) {
      const parsed = parseMeasure(msg.data, onFront);
      if (!parsed.ok) onRefused(parsed.error.message);
      else gathered.push(parsed.value);
      if (gathered.length >= expected) break;
    }
  } finally {
    clearTimeout(timer);
    void messages.stop();
  }
  return gathered;
}
