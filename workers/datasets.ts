/// <reference lib="webworker" />
import { err, ok, type AppError, type Result } from '../src/lib/core/result';
import { loadBuiltin, type LoadedDataset } from '../src/lib/data/load';
import type { DatasetChoice } from '../src/lib/records';
import { getDataset } from '../src/lib/store/datasets';

const DATASETS_URL = new URL(`${import.meta.env.BASE_URL}datasets/`, self.location.href).href;

/** Built-in datasets come from the app's own files, imported ones from IndexedDB. */
export async function loadDataset(choice: DatasetChoice): Promise<Result<LoadedDataset, AppError>> {
  if (choice.kind === 'builtin') return loadBuiltin(choice.name, DATASETS_URL);
  const dataset = await getDataset(choice.id);
  return dataset
    ? ok({ dataset, officialTestStart: null })
    : err({ code: 'missing-dataset', message: `The imported dataset "${choice.name}" is no longer stored in this browser; import its files again.` });
}
