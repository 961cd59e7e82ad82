import type { Dataset } from '../data/dataset';
import type { StoredDatasetMeta } from '../data/stored';
import { database } from './db';

/** Stores an imported dataset: its description and its pixels, in one transaction. */
export async function putDataset(meta: StoredDatasetMeta, dataset: Dataset): Promise<void> {
  const tx = (await database()).transaction(['datasetMeta', 'datasetData'], 'readwrite', { durability: 'strict' });
  await Promise.all([tx.objectStore('datasetMeta').put(meta), tx.objectStore('datasetData').put({ id: meta.id, dataset }), tx.done]);
}

export async function listDatasets(): Promise<StoredDatasetMeta[]> {
  return (await (await database()).getAll('datasetMeta')).sort((a, b) => b.createdAt - a.createdAt);
}

export async function getDataset(id: string): Promise<Dataset | undefined> {
  return (await (await database()).get('datasetData', id))?.dataset;
}
