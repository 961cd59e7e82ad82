import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Evaluator } from '../run/evaluator';
import type { RunConfig } from '../records';
import { mintWorkerCredentials } from './credentials';
import { joinUrl } from './join';
import { runNames } from './names';
import { sha256Hex } from './sha256';
import { provisionRun } from './provision';
import { SharedEvaluator, type SharedRunEvents } from './sharedEvaluator';

/** What lets a host run shared searches on a lab server (`npm run lab -- start` writes it as host-key.json). */
export interface LabKey {
  /** The host user's credentials file (JWT and seed). */
  readonly hostCreds: string;
  /** The lab account's signing key seed: it mints per-run device users. */
  readonly signingSeed: string;
  readonly account: string;
}

/** How long a join link works: a school day. After it, devices need a fresh link. */
export const JOIN_LIFETIME_S = 12 * 3600;

/** The run's configuration as devices receive it: without the host's sharing settings of the host's. */
export function configForDevices(config: RunConfig): RunConfig {
  const { share: _share, ...rest } = config;
  return rest;
}

async function isProvisioned(nc: NatsConnection, runId: string): Promise<boolean> {
  const jsm = await jetstreamManager(nc);
  return jsm.streams.info(runNames(runId).workStream).then(
    () => true,
    () => false,
  );
}

/**
 * Becomes the host of a shared run on `nc` (connected with the lab key's host credentials): creates the run's
 * streams the first time (a resumed host finds them), with the imported dataset's bytes (`datasetWire.ts`) for
 * devices that lack it, and returns the evaluator the run loop drives.
 */
export async function hostSharedRun(
  nc: NatsConnection,
  runId: string,
  config: RunConfig,
  local: Evaluator,
  dataset: Uint8Array | null,
  events: SharedRunEvents = {},
): Promise<SharedEvaluator> {
  if (config.dataset.kind === 'stored' && !dataset) throw new Error('This shared run is on an imported dataset that is no longer stored in this browser.');
  if (!(await isProvisioned(nc, runId))) {
    const meta: Record<string, string> = { config: JSON.stringify(configForDevices(config)), ...(dataset ? { datasetDigest: await sha256Hex(dataset) } : {}) };
    await provisionRun(nc, runId, meta, dataset);
  }
  return new SharedEvaluator(nc, runId, local, events);
}

/** A fresh join link for one more device (each link is its own user, limited to this run). */
export async function mintJoinLink(key: LabKey, runId: string, appUrl: string, server: string, nowSeconds: number): Promise<string> {
  const credentials = await mintWorkerCredentials(key.signingSeed, key.account, runId, JOIN_LIFETIME_S, nowSeconds);
  return joinUrl(appUrl, server, runId, credentials);
}
