import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasetFromCsv, datasetFromIdx } from '../../src/lib/data/assemble';
import { BUILTIN_INFO } from '../../src/lib/data/builtin';
import { CIFAR100_CLASSES, CIFAR10_CLASSES, cifarVariantOf } from '../../src/lib/data/cifar';
import { datasetFromFiles } from '../../src/lib/data/files';
import { parsePixelCsv } from '../../src/lib/data/csv';
import { maybeGunzip } from '../../src/lib/data/gzip';
import { idxHeader, parseIdx, type IdxArray } from '../../src/lib/data/idx';
import { loadBuiltin } from '../../src/lib/data/load';
import { datasetBytes, repoFile } from './helpers';

const testLabels = datasetBytes('t10k-labels-idx1-ubyte.gz', true);
const testImages = datasetBytes('t10k-images-idx3-ubyte.gz', true);
const digitsText = new TextDecoder().decode(datasetBytes('digits.csv.gz', true));
const fashionNames = BUILTIN_INFO['fashion-mnist'].classNames;
const digitNames = BUILTIN_INFO.digits.classNames;

const idx = (bytes: Uint8Array): IdxArray => {
  const r = parseIdx(bytes);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('IDX loader on real Fashion-MNIST bytes', () => {
  it('reads the test images and labels', () => {
    const images = idx(testImages);
    expect(images.dims).toEqual([10000, 28, 28]);
    const ds = datasetFromIdx(images, idx(testLabels), 'fashion', fashionNames);
    expect(ds.ok && ds.value.labels.length).toBe(10000);
  });

  it.each([
    ['wrong magic', (b: Uint8Array) => Uint8Array.from([0x50, 0x4b, 3, 4, ...b.subarray(4, 64)]), 'bad-magic'],
    ['a non-byte element type', (b: Uint8Array) => Uint8Array.from([0, 0, 0x0d, ...b.subarray(3)]), 'unsupported-type'],
    ['a header cut short', (b: Uint8Array) => b.subarray(0, 10), 'truncated'],
    ['data cut short', (b: Uint8Array) => b.subarray(0, b.length - 100), 'truncated'],
    [
      'extra bytes at the end',
      (b: Uint8Array) => {
        const out = new Uint8Array(b.length + 7);
        out.set(b);
        return out;
      },
      'trailing-bytes',
    ],
    ['an empty file', () => new Uint8Array(0), 'bad-magic'],
  ])('rejects %s with an actionable message', (_name, cut, code) => {
    const r = parseIdx(cut(testImages), 't10k-images');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/t10k-images/);
    }
  });

  it('rejects images and labels whose counts differ', () => {
    const trainLabels = idx(datasetBytes('train-labels-idx1-ubyte.gz', true));
    const r = datasetFromIdx(idx(testImages), trainLabels, 'fashion', fashionNames);
    expect(!r.ok && r.error.code).toBe('count-mismatch');
    expect(!r.ok && r.error.message).toMatch(/10000 images but 60000 labels/);
  });

  it('rejects swapped image and label files', () => {
    const r = datasetFromIdx(idx(testLabels), idx(testImages), 'fashion', fashionNames);
    expect(!r.ok && r.error.code).toBe('bad-shape');
  });

  it('rejects labels beyond the class list', () => {
    const labels = idx(testLabels.slice());
    labels.data[5] = 42;
    const r = datasetFromIdx(idx(testImages), labels, 'fashion', fashionNames);
    expect(!r.ok && r.error.message).toMatch(/image 6 has label 42/);
  });
});

const parseIdxHead = (head: Uint8Array) => {
  const h = idxHeader(head, 'zeros-images-idx3-ubyte.gz');
  return h.ok ? { ok: true as const, value: h.value?.totalBytes ?? null } : h;
};

describe('gzip', () => {
  it('reports a gzip stream cut short', async () => {
    const gz = new Uint8Array(readFileSync(repoFile('public/datasets/t10k-labels-idx1-ubyte.gz')));
    const r = await maybeGunzip(gz.subarray(0, gz.length / 2), 'labels.gz');
    expect(!r.ok && r.error.code).toBe('bad-gzip');
  });

  it('stops a file that inflates past the limit there, naming the file, and still inflates one at the limit', async () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 2 ** 20))); // 64 MB of zeros in ~64 kB
    const r = await maybeGunzip(bomb, 'zeros.idx.gz', 2 ** 20);
    expect(r).toMatchObject({ ok: false, error: { code: 'too-large', message: /^zeros\.idx\.gz decompresses to more than 1 MB \(stopped there\)/ } });
    const fits = await maybeGunzip(new Uint8Array(gzipSync(new Uint8Array(2 ** 20).fill(7))), 'ones.gz', 2 ** 20);
    expect(fits.ok && fits.value.length === 2 ** 20 && fits.value.every((b) => b === 7)).toBe(true);
  });

  it('refuses a gzip IDX from its header before inflating it: a bomb of zeros, a huge declared size, extra data', async () => {
    const idxHead = (dims: number[]) => {
      const head = new Uint8Array(4 + 4 * dims.length);
      head.set([0, 0, 8, dims.length]);
      dims.forEach((d, i) => new DataView(head.buffer).setUint32(4 + 4 * i, d, false));
      return head;
    };
    const withData = (head: Uint8Array, bytes: number) => {
      const out = new Uint8Array(head.length + bytes);
      out.set(head);
      return new Uint8Array(gzipSync(out));
    };
    // 64 MB of zeros under a 1 MB cap: the header ("type 0x0") refuses it, not the cap after inflating 1 MB
    const zeros = new Uint8Array(gzipSync(new Uint8Array(64 * 2 ** 20)));
    const bomb = await maybeGunzip(zeros, 'zeros-images-idx3-ubyte.gz', 2 ** 20, (head) => (head.length < 4 ? { ok: true, value: null } : parseIdxHead(head)));
    expect(bomb).toMatchObject({ ok: false, error: { code: 'unsupported-type', message: /^zeros-images-idx3-ubyte\.gz stores type 0x0/ } });
    const huge = await datasetFromFiles([{ name: 'huge-images-idx3-ubyte.gz', bytes: withData(idxHead([1_000_000, 256, 256]), 1000) }], 'x');
    expect(huge).toMatchObject({ ok: false, error: { code: 'too-large', message: /^huge-images-idx3-ubyte\.gz declares 62500 MB/ } });
    const extra = await datasetFromFiles([{ name: 'extra-images-idx3-ubyte.gz', bytes: withData(idxHead([30, 8, 8]), 30 * 64 + 2 ** 20) }], 'x');
    const csvBomb = await datasetFromFiles([{ name: 'zeros.csv.gz', bytes: zeros }], 'x');
    expect(csvBomb).toMatchObject({ ok: false, error: { code: 'unknown-format', message: /^zeros\.csv\.gz is not a text CSV file/ } });
    // refused while inflating (the message of the stream check, not of the parser after it)
    expect(extra).toMatchObject({ ok: false, error: { code: 'trailing-bytes', message: /decompresses to more bytes than its header describes/ } });
  });

  it('passes uncompressed bytes through', async () => {
    const r = await maybeGunzip(testLabels, 'labels');
    expect(r.ok && r.value).toBe(testLabels);
  });
});

describe('pixel CSV budgets', () => {
  it('refuses a row wider than any image before allocating for it, and a ragged row before the buffer is sized', () => {
    const wide = `${new Array(2 ** 20).fill('0').join(',')}\n${'1,2\n'.repeat(200_000)}`;
    const started = performance.now();
    const r = parsePixelCsv(wide, 'wide.csv');
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'too-large', message: /^wide\.csv: line 1 has 1,048,576 values; a row holds at most 196,608 pixels/ },
    });
    const ragged = parsePixelCsv(`${new Array(785).fill('1').join(',')}\n${'1,2\n'.repeat(200_000)}`, 'ragged.csv');
    expect(ragged).toMatchObject({ ok: false, error: { code: 'ragged-row', message: /^ragged\.csv, line 2: 2 values, but line 1 has 785/ } });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('pixel CSV loader on the real digits', () => {
  it('reads 1,797 8x8 images with labels 0-9', () => {
    const csv = parsePixelCsv(digitsText);
    if (!csv.ok) throw new Error(csv.error.message);
    expect(csv.value.rows).toBe(1797);
    expect(csv.value.columns).toBe(64);
    expect(csv.value.maxPixel).toBe(16);
    const ds = datasetFromCsv(csv.value, 'digits', digitNames, 16);
    expect(ds.ok && [ds.value.height, ds.value.width, ds.value.channels]).toEqual([8, 8, 1]);
  });

  const lines = digitsText.split('\n');
  it.each([
    ['a ragged row', () => [...lines.slice(0, 4), lines[4]!.split(',').slice(1).join(','), ...lines.slice(5)].join('\n'), 'ragged-row', /line 5: 64 values/],
    [
      'text in a pixel',
      () => [...lines.slice(0, 9), lines[9]!.replace(/^\d+/, 'abc'), ...lines.slice(10)].join('\n'),
      'not-numeric',
      /line 10, column 1: "abc"/,
    ],
    ['a negative value', () => lines[0]!.replace(/^\d+/, '-3'), 'not-numeric', /line 1, column 1/],
    [
      'a header row',
      () =>
        [
          'p0,' +
            lines[0]!
              .split(',')
              .slice(1)
              .map((_, i) => `p${i + 1}`)
              .join(','),
          ...lines,
        ].join('\n'),
      'not-numeric',
      /line 1/,
    ],
    ['no rows', () => '\n\n', 'empty', /no rows/],
  ])('rejects %s', (_name, make, code, message) => {
    const r = parsePixelCsv(make(), 'digits.csv');
    expect(!r.ok && r.error.code).toBe(code);
    expect(!r.ok && r.error.message).toMatch(message);
  });

  it('rejects a non-square pixel count', () => {
    const csv = parsePixelCsv('1,2,3,0\n4,5,6,1\n');
    expect(csv.ok).toBe(true);
    const r = csv.ok ? datasetFromCsv(csv.value, 'odd', digitNames, 16) : null;
    expect(r && !r.ok && r.error.code).toBe('bad-shape');
  });
});

describe('built-in loading through fetch', () => {
  const serveRepo = async (url: string) => new Response(readFileSync(repoFile(`public/datasets/${url.split('/').pop()}`)));

  it('loads Fashion-MNIST with its official test set marked', async () => {
    const r = await loadBuiltin('fashion-mnist', 'http://localhost/datasets/', serveRepo);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.dataset.labels.length).toBe(70000);
    expect(r.value.officialTestStart).toBe(60000);
  });

  it('turns a missing file into a message', async () => {
    const r = await loadBuiltin('digits', 'http://localhost/datasets/', async () => new Response('', { status: 404 }));
    expect(!r.ok && r.error.message).toMatch(/answered 404/);
  });
});

describe('CIFAR binary loader', () => {
  /** `n` records with label bytes `labels(i)` before planar R, G, B planes whose bytes encode (record, plane). */
  const records = (n: number, labels: (i: number) => number[]) =>
    Uint8Array.from(
      Array.from({ length: n }, (_, i) => [
        ...labels(i),
        ...Array.from({ length: 3 * 1024 }, (_, k) => (i * 7 + Math.floor(k / 1024) * 50 + (k % 1024)) % 256),
      ]).flat(),
    );

  it('reads CIFAR-10 batches: one label byte, RGB interleaved from the planes', async () => {
    const r = await datasetFromFiles(
      [
        { name: 'data_batch_1.bin', bytes: records(20, (i) => [i % 10]) },
        { name: 'test_batch.bin', bytes: records(5, () => [9]) },
      ],
      'mine',
    );
    if (!r.ok) throw new Error(r.error.message);
    expect([r.value.height, r.value.width, r.value.channels, r.value.labels.length]).toEqual([32, 32, 3, 25]);
    expect(r.value.classNames).toEqual(CIFAR10_CLASSES);
    expect(Array.from(r.value.labels.slice(0, 11))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    // image 3, pixel 5: R from plane 0, G from plane 1, B from plane 2
    expect(Array.from(r.value.pixels.slice((3 * 1024 + 5) * 3, (3 * 1024 + 5) * 3 + 3))).toEqual([26, 76, 126]);
  });

  it('reads CIFAR-100: coarse then fine label byte, the fine one kept with its 100 names', async () => {
    const r = await datasetFromFiles([{ name: 'train.bin', bytes: records(60, (i) => [i % 20, ((i % 30) * 3) % 100]) }], 'c100');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.classNames).toHaveLength(100);
    expect(r.value.classNames[Number(r.value.labels[7])]).toBe(CIFAR100_CLASSES[21]);
    expect(Array.from(r.value.pixels.slice((3 * 1024 + 5) * 3, (3 * 1024 + 5) * 3 + 3))).toEqual([26, 76, 126]);
  });

  it('tells CIFAR-10 from CIFAR-100 by record size, and by the official names where both fit', () => {
    expect(cifarVariantOf([{ name: 'x.bin', bytes: new Uint8Array(3073 * 4) }])).toBe('cifar-10');
    expect(cifarVariantOf([{ name: 'x.bin', bytes: new Uint8Array(3074 * 4) }])).toBe('cifar-100');
    const both = new Uint8Array(3073 * 3074);
    expect(cifarVariantOf([{ name: 'data_batch_1.bin', bytes: both }])).toBe('cifar-10');
    expect(cifarVariantOf([{ name: 'train.bin', bytes: both }])).toBe('cifar-100');
  });

  it('rejects a fine label beyond 99', async () => {
    const r = await datasetFromFiles([{ name: 'test.bin', bytes: records(21, (i) => [0, i === 4 ? 140 : 3]) }], 'c100');
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'bad-label', message: expect.stringMatching(/test.bin, record 5: label 140 is not a CIFAR-100 class \(0-99\)/) },
    });
  });
});
