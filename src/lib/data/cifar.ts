import { err, ok, type Result } from '../core/result';
import type { Dataset } from './dataset';
import { dataError, type DataError } from './errors';

const SIDE = 32;
const PLANE = SIDE * SIDE;
/** A CIFAR-10 binary record: one label byte, then 1024 red, 1024 green and 1024 blue bytes. */
export const CIFAR_RECORD = 1 + 3 * PLANE;
/** A CIFAR-100 binary record: a coarse and a fine label byte, then the same 3072 pixel bytes. */
export const CIFAR100_RECORD = 2 + 3 * PLANE;
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;
/** CIFAR-100's fine labels in label order (batches.meta / fine_label_names.txt of the binary release). */
export const CIFAR100_CLASSES = [
  'apple',
  'aquarium_fish',
  'baby',
  'bear',
  'beaver',
  'bed',
  'bee',
  'beetle',
  'bicycle',
  'bottle',
  'bowl',
  'boy',
  'bridge',
  'bus',
  'butterfly',
  'camel',
  'can',
  'castle',
  'caterpillar',
  'cattle',
  'chair',
  'chimpanzee',
  'clock',
  'cloud',
  'cockroach',
  'couch',
  'crab',
  'crocodile',
  'cup',
  'dinosaur',
  'dolphin',
  'elephant',
  'flatfish',
  'forest',
  'fox',
  'girl',
  'hamster',
  'house',
  'kangaroo',
  'keyboard',
  'lamp',
  'lawn_mower',
  'leopard',
  'lion',
  'lizard',
  'lobster',
  'man',
  'maple_tree',
  'motorcycle',
  'mountain',
  'mouse',
  'mushroom',
  'oak_tree',
  'orange',
  'orchid',
  'otter',
  'palm_tree',
  'pear',
  'pickup_truck',
  'pine_tree',
  'plain',
  'plate',
  'poppy',
  'porcupine',
  'possum',
  'rabbit',
  'raccoon',
  'ray',
  'road',
  'rocket',
  'rose',
  'sea',
  'seal',
  'shark',
  'shrew',
  'skunk',
  'skyscraper',
  'snail',
  'snake',
  'spider',
  'squirrel',
  'streetcar',
  'sunflower',
  'sweet_pepper',
  'table',
  'tank',
  'telephone',
  'television',
  'tiger',
  'tractor',
  'train',
  'trout',
  'tulip',
  'turtle',
  'wardrobe',
  'whale',
  'willow_tree',
  'wolf',
  'woman',
  'worm',
] as const;

/** The two binary layouts: record size, bytes before the pixels, which of them is the label, the class names. */
const LAYOUTS = {
  'cifar-10': { record: CIFAR_RECORD, labelAt: 0, classes: CIFAR10_CLASSES },
  'cifar-100': { record: CIFAR100_RECORD, labelAt: 1, classes: CIFAR100_CLASSES },
} as const;
export type CifarVariant = keyof typeof LAYOUTS;

/**
 * Which CIFAR binary a set of files is, from their sizes (whole records of 3073 or 3074 bytes); where both fit,
 * from the names of the official files (data_batch_N.bin and test_batch.bin are CIFAR-10).
 */
export function cifarVariantOf(parts: readonly { name: string; bytes: Uint8Array }[]): CifarVariant {
  const fits = (record: number) => parts.every((p) => p.bytes.length % record === 0);
  if (fits(CIFAR100_RECORD) && !fits(CIFAR_RECORD)) return 'cifar-100';
  if (fits(CIFAR100_RECORD) && fits(CIFAR_RECORD) && !parts.some((p) => /batch/i.test(p.name))) return 'cifar-100';
  return 'cifar-10';
}

/**
 * Parses CIFAR-10 binary batches (data_batch_N.bin, test_batch.bin) or CIFAR-100 binary files (train.bin,
 * test.bin; the fine labels) into height x width x channel images.
 */
export function parseCifar(parts: readonly { name: string; bytes: Uint8Array }[]): Result<Dataset, DataError> {
  const variant = cifarVariantOf(parts);
  const { record, labelAt, classes } = LAYOUTS[variant];
  let records = 0;
  for (const { name, bytes } of parts) {
    const extra = bytes.length % record;
    if (bytes.length === 0) return err(dataError('empty', `${name} is empty.`));
    if (extra !== 0) {
      return err(
        dataError(
          'truncated',
          `${name} ends inside a record: ${bytes.length.toLocaleString('en')} bytes is ${Math.floor(bytes.length / record)} whole CIFAR-10 records of ${record} bytes and ${extra} bytes more (CIFAR-100 records are ${CIFAR100_RECORD} bytes, which does not fit either). The file is cut short.`,
        ),
      );
    }
    records += bytes.length / record;
  }
  const pixels = new Uint8Array(records * 3 * PLANE);
  const labels = new Uint8Array(records);
  let r = 0;
  for (const { name, bytes } of parts) {
    for (let offset = 0; offset < bytes.length; offset += record, r++) {
      const label = bytes[offset + labelAt]!;
      if (label >= classes.length)
        return err(
          dataError('bad-label', `${name}, record ${offset / record + 1}: label ${label} is not a ${variant.toUpperCase()} class (0-${classes.length - 1}).`),
        );
      labels[r] = label;
      // planar RRR..GGG..BBB to interleaved RGB, row-major
      const start = offset + record - 3 * PLANE;
      for (let i = 0; i < PLANE; i++) for (let c = 0; c < 3; c++) pixels[(r * PLANE + i) * 3 + c] = bytes[start + c * PLANE + i]!;
    }
  }
  return ok({ name: variant, height: SIDE, width: SIDE, channels: 3, classNames: classes, pixels, labels, maxValue: 255 });
}
