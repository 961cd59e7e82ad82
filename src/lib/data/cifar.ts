import { err, ok, type Result } from '../core/result';
import type { Dataset } from './dataset';
import { dataError, type DataError } from './errors';

const SIDE = 32;
const PLANE = SIDE * SIDE;
/** A CIFAR-10 binary record: one label byte, then 1024 red, 1024 green and 1024 blue bytes. */
export const CIFAR_RECORD = 1 + 3 * PLANE;
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/** Parses CIFAR-10 binary batches (data_batch_N.bin, test_batch.bin) into height x width x channel images. */
export function parseCifar10(parts: readonly { name: string; bytes: Uint8Array }[]): Result<Dataset, DataError> {
  let records = 0;
  for (const { name, bytes } of parts) {
    const extra = bytes.length % CIFAR_RECORD;
    if (bytes.length === 0) return err(dataError('empty', `${name} is empty.`));
    if (extra !== 0) {
      return err(dataError('truncated', `${name} ends inside a record: ${bytes.length.toLocaleString('en')} bytes is ${Math.floor(bytes.length / CIFAR_RECORD)} whole CIFAR-10 records of ${CIFAR_RECORD} bytes and ${extra} bytes more. The file is cut short (or is CIFAR-100, which is not supported).`));
    }
    records += bytes.length / CIFAR_RECORD;
  }
  const pixels = new Uint8Array(records * 3 * PLANE);
  const labels = new Uint8Array(records);
  let r = 0;
  for (const { name, bytes } of parts) {
    for (let offset = 0; offset < bytes.length; offset += CIFAR_RECORD, r++) {
      const label = bytes[offset]!;
      if (label >= CIFAR10_CLASSES.length) return err(dataError('bad-label', `${name}, record ${offset / CIFAR_RECORD + 1}: label ${label} is not a CIFAR-10 class (0-9).`));
      labels[r] = label;
      // planar RRR..GGG..BBB to interleaved RGB, row-major
      for (let i = 0; i < PLANE; i++) for (let c = 0; c < 3; c++) pixels[(r * PLANE + i) * 3 + c] = bytes[offset + 1 + c * PLANE + i]!;
    }
  }
  return ok({ name: 'cifar-10', height: SIDE, width: SIDE, channels: 3, classNames: CIFAR10_CLASSES, pixels, labels, maxValue: 255 });
}
