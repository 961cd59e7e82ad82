import type { DatasetChoice } from '../records';
import type { Dataset } from './dataset';

/** What the app keeps about an imported dataset besides its pixels. */
export interface StoredDatasetMeta {
  readonly id: string;
  readonly name: string;
  readonly files: readonly string[];
  readonly images: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classNames: readonly string[];
  readonly createdAt: number;
}

export function metaOf(id: string, dataset: Dataset, files: readonly string[], now: number): StoredDatasetMeta {
  return {
    id,
    name: dataset.name,
    files,
    images: dataset.labels.length,
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    classNames: dataset.classNames,
    createdAt: now,
  };
}

/** The run configuration's reference to an imported dataset. */
export function choiceOf(meta: StoredDatasetMeta): DatasetChoice {
  return {
    kind: 'stored',
    id: meta.id,
    name: meta.name,
    shape: { height: meta.height, width: meta.width, channels: meta.channels },
    classNames: meta.classNames,
    images: meta.images,
  };
}

/** A fresh id for an imported dataset. */
export const newDatasetId = (now: number, random: () => number): string => `data-${now.toString(36)}-${Math.floor(random() * 36 ** 4).toString(36)}`;

/** A dataset's name from the first file chosen: "train-images-idx3-ubyte.gz" -> "train-images-idx3-ubyte". */
export const datasetNameOf = (fileName: string): string => fileName.replace(/(\.gz)?$/i, '').replace(/\.[^.]*$/, '') || 'dataset';
