import { Algorithms, createUser, encodeUser, fromSeed } from '@nats-io/jwt';
import { workerPermissions } from './permissions';

/** A device's way into one shared run: a user JWT signed by the lab's account signing key, and its seed. */
export interface WorkerCredentials {
  readonly jwt: string;
  /** The user's private nkey seed: it proves the JWT is this device's. Secret. */
  readonly seed: string;
  /** The user's public key: what a revocation names. */
  readonly user: string;
  /** Unix seconds after which the server refuses the JWT. */
  readonly expiresAt: number;
}

const encoder = new TextEncoder();

/**
 * Mints a fresh user for one run (a new key pair per call: 256-bit ed25519, never reused) with the worker's
 * permissions only, signed by the lab account's signing key so the server needs no restart or reload.
 */
export async function mintWorkerCredentials(
  signingSeed: string,
  accountPublicKey: string,
  runId: string,
  lifetimeSeconds: number,
  nowSeconds: number,
): Promise<WorkerCredentials> {
  const user = createUser();
  const expiresAt = Math.floor(nowSeconds + lifetimeSeconds);
  const jwt = await encodeUser(
    `evonas-worker-${runId}`,
    user,
    fromSeed(encoder.encode(signingSeed)),
    {
      issuer_account: accountPublicKey,
      ...workerPermissions(runId, user.getPublicKey()),
    },
    { algorithm: Algorithms.v2, exp: expiresAt },
  );
  return { jwt, seed: new TextDecoder().decode(user.getSeed()), user: user.getPublicKey(), expiresAt };
}
