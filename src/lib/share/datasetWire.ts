import * as v from 'valibot';
import { count, list, text } from '../bundle/schema';
import { err, ok, type AppError, type Result } from '../core/result';
import type { Dataset } from '../data/dataset';
import type { StoredDatasetMeta } from '../data/stored';

/**
 * An imported dataset as one byte string for the devices of a shared run: a 4-byte header length, the header
 * (JSON: its description), then the pixels and the labels. Decoding checks every size against the header.
 */
export type WireError = AppError<'bad-dataset'>;

const HEADER = v.strictObject({
  v: v.literal(1),
  meta: v.strictObject({
    id: text(100),
    name: text(200),
    files: list(text(500), 10_000),
    images: count(),
    height: count(4096),
    width: count(4096),
    channels: count(64),
    classNames: list(text(200), 10_000),
    createdAt: v.number(),
  }),
  maxValue: v.pipe(v.number(), v.minValue(1), v.maxValue(65535)),
});

export function encodeDataset(meta: StoredDatasetMeta, dataset: Dataset): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ v: 1, meta, maxValue: dataset.maxValue }));
  const out = new Uint8Array(4 + header.length + dataset.pixels.length + dataset.labels.length);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  out.set(dataset.pixels, 4 + header.length);
  out.set(dataset.labels, 4 + header.length + dataset.pixels.length);
  return out;
}

export function decodeDataset(bytes: Uint8Array): Result<{ meta: StoredDatasetMeta; dataset: Dataset }, WireError> {
  const bad = (why: string) =>
    err<WireError>({ code: 'bad-dataset', message: `The shared run's dataset is damaged (${why}); ask the host to share the run again.` });
  if (bytes.length < 4) return bad('too short');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (headerLength > Math.min(1 << 20, bytes.length - 4)) return bad('header length');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + headerLength)));
  } catch {
    return bad('header is not JSON');
  }
  const parsed = v.safeParse(HEADER, json);
  if (!parsed.success) return bad(`header: ${v.getDotPath(parsed.issues[0]) ?? ''} ${parsed.issues[0].message}`);
  const { meta, maxValue } = parsed.output;
  const pixelCount = meta.images * meta.height * meta.width * meta.channels;
  if (bytes.length !== 4 + headerLength + pixelCount + meta.images)
    return bad(`${bytes.length} bytes for ${meta.images} images of ${meta.height}x${meta.width}x${meta.channels}`);
  const pixels = bytes.slice(4 + headerLength, 4 + headerLength + pixelCount);
  const labels = bytes.slice(4 + headerLength + pixelCount);
  if (labels.some((l) => l >= meta.classNames.length)) return bad('a label beyond the class list');
  return ok({
    meta,
    dataset: { name: meta.name, height: meta.height, width: meta.width, channels: meta.channels, classNames: meta.classNames, pixels, labels, maxValue },
  });
}
