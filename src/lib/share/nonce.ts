import { sha256Hex } from './sha256';

/** Where the host keeps the secret of a shared run, in a bucket only the host may read. */
export const HOST_SECRET_KEY = 'secret';

/** 256 random bits, fresh per shared run. */
export function newHostSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * The nonce of candidate `seq`: the first 128 bits of SHA-256(secret || seq). A device learns a nonce only by
 * claiming that candidate, so it cannot answer candidates it was never given, nor ones not issued yet; and the
 * host recomputes it after a reload without storing anything per candidate.
 */
export async function candidateNonce(secret: Uint8Array, seq: number): Promise<string> {
  return (await sha256Hex(new Uint8Array([...secret, ...new TextEncoder().encode(`:${seq}`)]))).slice(0, 32);
}
