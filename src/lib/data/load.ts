import { err, ok, type Result } from '../core/result';
import { BUILTIN_INFO, type BuiltinDatasetName } from './builtin';
import { datasetFromCsv, datasetFromIdx, concatDatasets } from './assemble';
import { parsePixelCsv } from './csv';
import type { Dataset } from './dataset';
import { dataError, type DataError } from './errors';
import { maybeGunzip } from './gzip';
import { parseIdx, type IdxArray } from './idx';

/** A dataset with, where the source defines one, the index where its official test images start. */
export interface LoadedDataset {
  readonly dataset: Dataset;
  readonly officialTestStart: number | null;
}

type Fetcher = (url: string) => Promise<Response>;

async function fetchBytes(url: string, fetcher: Fetcher): Promise<Result<Uint8Array, DataError>> {
  try {
    const response = await fetcher(url);
    if (!response.ok) return err(dataError('fetch-failed', `Could not load ${url}: the server answered ${response.status}.`));
    return maybeGunzip(new Uint8Array(await response.arrayBuffer()), url);
  } catch (e) {
    return err(dataError('fetch-failed', `Could not load ${url} (${e instanceof Error ? e.message : String(e)}). Is the app still being served?`));
  }
}

async function fetchIdx(url: string, fetcher: Fetcher): Promise<Result<IdxArray, DataError>> {
  const bytes = await fetchBytes(url, fetcher);
  return bytes.ok ? parseIdx(bytes.value, url.split('/').pop()) : bytes;
}

/** Loads a built-in dataset from `baseUrl` (the folder holding the files), decompressing in the browser. */
export async function loadBuiltin(name: BuiltinDatasetName, baseUrl: string, fetcher: Fetcher = fetch): Promise<Result<LoadedDataset, DataError>> {
  const info = BUILTIN_INFO[name];
  const files = info.files;
  if ('csv' in files) {
    const bytes = await fetchBytes(baseUrl + files.csv, fetcher);
    if (!bytes.ok) return bytes;
    const csv = parsePixelCsv(new TextDecoder().decode(bytes.value), files.csv);
    if (!csv.ok) return csv;
    const dataset = datasetFromCsv(csv.value, name, info.classNames, 16);
    return dataset.ok ? ok({ dataset: dataset.value, officialTestStart: null }) : dataset;
  }
  const parts = await Promise.all([files.trainImages, files.trainLabels, files.testImages, files.testLabels].map((f) => fetchIdx(baseUrl + f, fetcher)));
  for (const p of parts) if (!p.ok) return p;
  const [trainImages, trainLabels, testImages, testLabels] = parts.map((p) => (p as { ok: true; value: IdxArray }).value) as [
    IdxArray,
    IdxArray,
    IdxArray,
    IdxArray,
  ];
  const train = datasetFromIdx(trainImages, trainLabels, name, info.classNames);
  if (!train.ok) return train;
  const test = datasetFromIdx(testImages, testLabels, name, info.classNames);
  if (!test.ok) return test;
  return ok({ dataset: concatDatasets(train.value, test.value), officialTestStart: train.value.labels.length });
}
