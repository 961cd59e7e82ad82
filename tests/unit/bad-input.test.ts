import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/lib/bundle/bundle';
import { datasetFromFiles } from '../../src/lib/data/files';
import { BAD_DIR, badInputCases } from '../fixtures/cases';

const cases = badInputCases();

const read = (file: string) => new Uint8Array(readFileSync(join(BAD_DIR, file)));

describe('every malformed input in tests/fixtures/bad gets its clear error', () => {
  it('has at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  it.each(cases.filter((c) => c.kind === 'dataset').map((c) => [c.name, c] as const))('dataset: %s', async (_, c) => {
    const result = await datasetFromFiles(
      c.files.map((name) => ({ name, bytes: read(name) })),
      'user',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(c.code);
    expect(result.error.message).toContain(c.message);
    expect(result.error.message).toContain(c.files.length === 1 ? c.files[0]!.replace(/^.*\//, '') : '');
  });

  it.each(cases.filter((c) => c.kind === 'bundle').map((c) => [c.name, c] as const))('run bundle: %s', (_, c) => {
    const text = readFileSync(join(BAD_DIR, c.files[0]!), 'utf8');
    const result = parseBundle(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(c.code);
    expect(result.error.message).toContain(c.message);
  });
});

describe('good inputs', () => {
  it('reads the exported bundle fixture, turning a running run into a paused one', () => {
    const result = parseBundle(readFileSync(join(BAD_DIR, '..', 'good.evonas.json'), 'utf8'));
    expect(result.ok && result.value.candidates.length).toBe(2);
  });

  it('reads IDX images with their labels, and gzip IDX the same', async () => {
    const result = await datasetFromFiles(
      [
        { name: 'images-idx3-ubyte', bytes: read('images-idx3-ubyte') },
        { name: 'labels-idx1-ubyte', bytes: read('labels-idx1-ubyte') },
      ],
      'mine',
    );
    expect(result.ok && [result.value.labels.length, result.value.height, result.value.classNames.length]).toEqual([30, 8, 3]);
  });

  it('reads a pixel CSV of 4-bit values on the 0-16 scale', async () => {
    const result = await datasetFromFiles([{ name: 'digits-like.csv', bytes: read('digits-like.csv') }], 'mine');
    expect(result.ok && [result.value.labels.length, result.value.maxValue]).toEqual([30, 16]);
  });
});
