import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { SpaceLimits } from '../../src/lib/genome/types';

export const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The real bytes of a vendored dataset file, decompressed when `gunzip`. */
export function datasetBytes(file: string, gunzip = false): Uint8Array {
  const raw = readFileSync(repoFile(`public/datasets/${file}`));
  return new Uint8Array(gunzip ? gunzipSync(raw) : raw);
}

export const DIGIT_LIMITS: SpaceLimits = {
  height: 8,
  width: 8,
  channels: 1,
  classes: 10,
  maxParams: 100_000,
  maxFlops: 500_000,
  maxEpochs: 3,
  maxBlocks: 4,
  maxLayersPerBlock: 4,
};

export const FASHION_LIMITS: SpaceLimits = { ...DIGIT_LIMITS, height: 28, width: 28 };
