import { err, ok, type Result } from '../core/result';
import type { PixelCsv } from './csv';
import type { Dataset } from './dataset';
import { dataError, type DataError } from './errors';
import type { IdxArray } from './idx';

function checkLabels(labels: Uint8Array, classNames: readonly string[], name: string): DataError | null {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= classNames.length) {
      return dataError(
        'bad-label',
        `${name}: image ${i + 1} has label ${labels[i]}, but there are only ${classNames.length} classes (0-${classNames.length - 1}).`,
      );
    }
  }
  return null;
}

/** Joins an IDX image file (N x H x W, or N x H x W x C) and its label file (N). */
export function datasetFromIdx(images: IdxArray, labels: IdxArray, name: string, classNames: readonly string[]): Result<Dataset, DataError> {
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    return err(
      dataError(
        'bad-shape',
        `${name}: the image file has ${images.dims.length} dimensions (${images.dims.join(' x ')}); images need N x height x width (x channels).`,
      ),
    );
  }
  if (labels.dims.length !== 1) {
    return err(
      dataError('bad-shape', `${name}: the label file has ${labels.dims.length} dimensions; labels need exactly one. Did you swap the image and label files?`),
    );
  }
  if (images.dims[0] !== labels.dims[0]) {
    return err(dataError('count-mismatch', `${name}: ${images.dims[0]} images but ${labels.dims[0]} labels; the two files must come from the same set.`));
  }
  const badLabel = checkLabels(labels.data, classNames, name);
  if (badLabel) return err(badLabel);
  return ok({
    name,
    height: images.dims[1]!,
    width: images.dims[2]!,
    channels: images.dims[3] ?? 1,
    classNames,
    pixels: images.data,
    labels: labels.data,
    maxValue: 255,
  });
}

/** A pixel CSV as square single-channel images (the side is the square root of the pixel columns). */
export function datasetFromCsv(csv: PixelCsv, name: string, classNames: readonly string[], maxValue: number): Result<Dataset, DataError> {
  const side = Math.round(Math.sqrt(csv.columns));
  if (side * side !== csv.columns) {
    return err(dataError('bad-shape', `${name}: ${csv.columns} pixel columns is not a square image; expected e.g. 64 (8x8) or 784 (28x28).`));
  }
  const badLabel = checkLabels(csv.labels, classNames, name);
  if (badLabel) return err(badLabel);
  return ok({ name, height: side, width: side, channels: 1, classNames, pixels: csv.pixels, labels: csv.labels, maxValue });
}

/** Appends `b` after `a` (same image shape), e.g. a test file after its training file. */
export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  const pixels = new Uint8Array(a.pixels.length + b.pixels.length);
  pixels.set(a.pixels);
  pixels.set(b.pixels, a.pixels.length);
  const labels = new Uint8Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { ...a, pixels, labels };
}
