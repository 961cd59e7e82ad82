/// <reference lib="webworker" />
import { transfer } from 'comlink';
import { datasetFromFiles } from '../src/lib/data/files';
import { datasetFromImages, IMAGE_FILE } from '../src/lib/data/images';
import { previewOf, type DatasetPreview } from '../src/lib/data/preview';
import { metaOf, newDatasetId, type StoredDatasetMeta } from '../src/lib/data/stored';
import type { DatasetChoice } from '../src/lib/records';
import { listDatasets, putDataset } from '../src/lib/store/datasets';
import { loadDataset } from './datasets';
import { throttled } from '../src/lib/core/throttle';
import { assertWriter } from './writerLock';

/** The search worker's dataset calls: the list, a preview, and importing a person's files. */
export const datasetApi = {
  listDatasets,
  /** Images per class and a few images of each, for a look at a dataset before searching it. */
  async previewDataset(choice: DatasetChoice): Promise<{ ok: true; preview: DatasetPreview } | { ok: false; message: string }> {
    const loaded = await loadDataset(choice);
    if (!loaded.ok) return { ok: false, message: loaded.error.message };
    const preview = previewOf(loaded.value.dataset);
    return transfer(
      { ok: true, preview },
      preview.samples.map((s) => s.pixels.buffer as ArrayBuffer),
    );
  },
  /**
   * Reads a person's dataset files (IDX, CSV, CIFAR-10/100 binary, or a folder of class folders of images,
   * resized to imageSide x imageSide when given) and stores the dataset; a bad file is refused with a
   * message naming it, and nothing is stored.
   */
  async importDataset(
    files: readonly { name: string; path: string; bytes: Uint8Array }[],
    name: string,
    imageSide: number | null = null,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ ok: true; meta: StoredDatasetMeta } | { ok: false; message: string }> {
    await assertWriter();
    // a chosen folder (paths like "cat/1.png") holds images; loose files are dataset files
    const images = files.every((f) => f.path.includes('/')) && files.some((f) => IMAGE_FILE.test(f.name));
    const parsed = images
      ? await datasetFromImages(
          files.map((f) => ({ path: f.path, blob: new Blob([f.bytes as Uint8Array<ArrayBuffer>]) })),
          name,
          imageSide,
          throttled(onProgress, (done, total) => done >= total),
        )
      : await datasetFromFiles(files, name);
    if (!parsed.ok) return { ok: false, message: parsed.error.message };
    const meta = metaOf(
      newDatasetId(Date.now(), Math.random),
      parsed.value,
      files.map((f) => f.path),
      Date.now(),
    );
    await putDataset(meta, parsed.value);
    return { ok: true, meta };
  },
};
