import { err, ok, type Result } from '../core/result';
import { datasetFromCsv, datasetFromIdx } from './assemble';
import { parseCifar } from './cifar';
import { parsePixelCsv } from './csv';
import type { Dataset } from './dataset';
import { dataError, type DataError } from './errors';
import { maybeGunzip, type SizeFromHead } from './gzip';
import { idxHeader, parseIdx, type IdxArray } from './idx';

/** A file a person chose (or passed to the CLI): its name and bytes, gzip or not. */
export interface InputFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Limits that keep a bad file from taking the tab down with it. */
export const FILE_LIMITS = { maxBytes: 512 * 1024 * 1024, maxImages: 1_000_000, maxSide: 256, minImages: 20, minPerClass: 2 } as const;

type Kind = 'idx' | 'cifar' | 'csv';

function kindOf(file: InputFile): Result<Kind, DataError> {
  const b = file.bytes;
  if (/\.bin$/i.test(file.name.replace(/\.gz$/i, ''))) return ok('cifar');
  if ((b.length >= 2 && b[0] === 0 && b[1] === 0) || /idx\d|ubyte/i.test(file.name)) return ok('idx');
  if (/\.csv$/i.test(file.name.replace(/\.gz$/i, '')) || /^[\d\s,.\-]*$/.test(new TextDecoder().decode(b.subarray(0, 512)))) return ok('csv');
  const head = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return err(
    dataError(
      'unknown-format',
      `${file.name} is not a dataset file this app reads (it starts with "${head}"): use IDX (optionally .gz), a pixel CSV (pixels then label per row), or CIFAR-10/100 binary (.bin).`,
    ),
  );
}

/** Class names "0".."K-1" up to the largest label; at least two distinct labels are needed to learn anything. */
function classNamesFor(labels: Uint8Array, name: string): Result<string[], DataError> {
  if (new Set(labels).size < 2)
    return err(dataError('too-few-classes', `${name}: every image has label ${labels[0] ?? 0}; a classifier needs at least two classes.`));
  const classes = labels.reduce((m, l) => Math.max(m, l), 0) + 1;
  // {0, 200} would make 201 outputs, 199 of them never seen
  const used = new Set(labels).size;
  if (classes > 2 * used)
    return err(dataError('bad-label', `${name}: labels run to ${classes - 1}, but only ${used} classes have images; number the classes 0 to ${used - 1}.`));
  return ok(Array.from({ length: classes }, (_, i) => String(i)));
}

function idxDataset(parts: readonly { file: InputFile; idx: IdxArray }[], name: string): Result<Dataset, DataError> {
  const images = parts.filter((p) => p.idx.dims.length >= 3);
  const labels = parts.filter((p) => p.idx.dims.length === 1);
  if (images.length !== 1 || labels.length !== 1 || parts.length !== 2) {
    return err(
      dataError(
        'missing-file',
        `IDX needs exactly one image file and one label file together; got ${images.length} image and ${labels.length} label file(s) (${parts.map((p) => p.file.name).join(', ')}).`,
      ),
    );
  }
  const classNames = classNamesFor(labels[0]!.idx.data, labels[0]!.file.name);
  return classNames.ok ? datasetFromIdx(images[0]!.idx, labels[0]!.idx, name, classNames.value) : classNames;
}

function csvDataset(file: InputFile, name: string): Result<Dataset, DataError> {
  const csv = parsePixelCsv(new TextDecoder().decode(file.bytes), file.name);
  if (!csv.ok) return csv;
  const classNames = classNamesFor(csv.value.labels, file.name);
  if (!classNames.ok) return classNames;
  // 4-bit pixels (the UCI digits) are scaled by 16, anything else as 8-bit
  const dataset = datasetFromCsv(csv.value, file.name, classNames.value, csv.value.maxPixel <= 16 ? 16 : 255);
  return dataset.ok ? ok({ ...dataset.value, name }) : dataset;
}

/** Refuses datasets too small to split or too large for a browser; `name` says which files. */
export function checkDatasetSize(d: Dataset, name: string): Result<Dataset, DataError> {
  const n = d.labels.length;
  if (n < FILE_LIMITS.minImages) return err(dataError('empty', `${name} holds ${n} images; a search needs at least ${FILE_LIMITS.minImages}.`));
  if (n > FILE_LIMITS.maxImages)
    return err(
      dataError('too-large', `${name} holds ${n.toLocaleString('en')} images; at most ${FILE_LIMITS.maxImages.toLocaleString('en')} fit in a browser search.`),
    );
  if (d.height > FILE_LIMITS.maxSide || d.width > FILE_LIMITS.maxSide)
    return err(dataError('too-large', `${name}: images of ${d.height}x${d.width} are too large; at most ${FILE_LIMITS.maxSide}x${FILE_LIMITS.maxSide}.`));
  if (d.height < 4 || d.width < 4) return err(dataError('bad-shape', `${name}: images of ${d.height}x${d.width} are too small; at least 4x4.`));
  if (d.channels !== 1 && d.channels !== 3)
    return err(dataError('bad-shape', `${name}: images of ${d.channels} channels; a search takes 1 (grey) or 3 (colour, RGB).`));
  return checkClasses(d, name);
}

/** Refuses a class with images but fewer than FILE_LIMITS.minPerClass of them: training and validation both need one. */
function checkClasses(d: Dataset, name: string): Result<Dataset, DataError> {
  const counts = new Map<number, number>();
  for (const label of d.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const few = [...counts].sort((a, b) => a[0] - b[0]).find(([, n]) => n < FILE_LIMITS.minPerClass);
  if (few)
    return err(
      dataError(
        'too-few-classes',
        `${name}: class ${d.classNames[few[0]] ?? few[0]} has ${few[1]} image${few[1] === 1 ? '' : 's'}; every class needs at least ${FILE_LIMITS.minPerClass} (one to train on, one to validate).`,
      ),
    );
  return ok(d);
}

/** What a gzip file's first inflated bytes must look like, by its name: CSV is text, anything else but CIFAR may be IDX. */
function headCheckFor(name: string): SizeFromHead | undefined {
  const plain = name.replace(/\.gz$/i, '');
  if (/\.bin$/i.test(plain)) return undefined; // CIFAR records are any bytes
  if (/\.csv$/i.test(plain))
    return (head) =>
      head.subarray(0, 4096).includes(0)
        ? err(dataError('unknown-format', `${name} is not a text CSV file (it holds zero bytes); a pixel CSV has numbers separated by commas.`))
        : ok(Infinity);
  return (head) => idxSizeFromHead(head, name);
}

/** An IDX header's declared size, for refusing a gzip bomb early; a file not starting 00 00 declares nothing here. */
function idxSizeFromHead(head: Uint8Array, name: string): Result<number | null, DataError> {
  if (head.length < 4) return ok(null);
  if (head[0] !== 0 || head[1] !== 0) return ok(Infinity);
  const header = idxHeader(head, name);
  return header.ok ? ok(header.value?.totalBytes ?? null) : header;
}

/**
 * A dataset from user files: IDX images + labels (gzip or not), one pixel CSV, or CIFAR-10/100 binary files.
 * Every refusal names the file and the problem; nothing is half-read.
 */
export async function datasetFromFiles(files: readonly InputFile[], name: string): Promise<Result<Dataset, DataError>> {
  if (files.length === 0) return err(dataError('missing-file', 'Choose at least one dataset file.'));
  const plain: InputFile[] = [];
  for (const f of files) {
    if (f.bytes.length > FILE_LIMITS.maxBytes)
      return err(dataError('too-large', `${f.name} is ${Math.round(f.bytes.length / 2 ** 20)} MB; at most ${FILE_LIMITS.maxBytes / 2 ** 20} MB per file.`));
    const bytes = await maybeGunzip(f.bytes, f.name, FILE_LIMITS.maxBytes, headCheckFor(f.name));
    if (!bytes.ok) return bytes;
    if (bytes.value.length === 0) return err(dataError('empty', `${f.name} is empty.`));
    plain.push({ name: f.name, bytes: bytes.value });
  }
  const kinds: Kind[] = [];
  for (const f of plain) {
    const k = kindOf(f);
    if (!k.ok) return k;
    kinds.push(k.value);
  }
  if (new Set(kinds).size > 1)
    return err(
      dataError('mixed-formats', `These files mix formats (${plain.map((f, i) => `${f.name}: ${kinds[i]}`).join(', ')}); choose files of one dataset.`),
    );
  let dataset: Result<Dataset, DataError>;
  switch (kinds[0]!) {
    case 'idx': {
      const parts: { file: InputFile; idx: IdxArray }[] = [];
      for (const file of plain) {
        const idx = parseIdx(file.bytes, file.name);
        if (!idx.ok) return idx;
        parts.push({ file, idx: idx.value });
      }
      dataset = idxDataset(parts, name);
      break;
    }
    case 'csv':
      if (plain.length !== 1) return err(dataError('missing-file', `Choose one CSV file; got ${plain.length}.`));
      dataset = csvDataset(plain[0]!, name);
      break;
    case 'cifar':
      dataset = parseCifar(plain);
      if (dataset.ok) dataset = ok({ ...dataset.value, name });
      break;
  }
  return dataset.ok ? checkDatasetSize(dataset.value, plain.map((f) => f.name).join(' + ')) : dataset;
}
