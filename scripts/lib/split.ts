import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltinDatasetName } from '../../src/lib/data/builtin';
import { labelsAt, normalizedPixels } from '../../src/lib/data/dataset';
import { loadBuiltin } from '../../src/lib/data/load';
import { prepareSplit, splitSeedOf } from '../../src/lib/data/prepare';
import type { RunConfig } from '../../src/lib/records';

export interface WrittenSplit {
  readonly shape: [number, number, number];
  readonly classes: number;
  readonly files: { readonly train_x: string; readonly train_y: string; readonly val_x: string; readonly val_y: string };
}

/**
 * The app's own split of a built-in dataset for a run's seed and budget, written where a native peer reads it
 * (float32 NHWC in [0, 1], int32 labels): both sides train and score on the same images.
 */
export async function writeSplit(root: string, name: BuiltinDatasetName, config: RunConfig, dir: string): Promise<WrittenSplit> {
  const loaded = await loadBuiltin(name, join(root, 'public/datasets/'), async (url) => new Response(readFileSync(url)));
  if (!loaded.ok) throw new Error(loaded.error.message);
  const d = loaded.value.dataset;
  const split = prepareSplit(loaded.value, splitSeedOf(config.seed), config.budget);
  const files = { train_x: join(dir, 'train_x.f32'), train_y: join(dir, 'train_y.i32'), val_x: join(dir, 'val_x.f32'), val_y: join(dir, 'val_y.i32') };
  writeFileSync(files.train_x, normalizedPixels(d, split.train));
  writeFileSync(files.train_y, labelsAt(d, split.train));
  writeFileSync(files.val_x, normalizedPixels(d, split.validation));
  writeFileSync(files.val_y, labelsAt(d, split.validation));
  return { shape: [d.height, d.width, d.channels], classes: d.classNames.length, files };
}
