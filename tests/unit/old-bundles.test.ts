import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/lib/bundle/bundle';

// Bundles exported by released versions of the app, committed as they were written: each must import in every
// later version. Add a file here whenever the bundle format changes; never edit one.
const DIR = join(process.cwd(), 'tests', 'fixtures', 'exported');

describe('bundles exported by earlier versions', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.evonas.json'));
  it('has at least the bundle of format version 1', () => expect(files).toContain('v1-2026-12-02.evonas.json'));

  for (const file of files) {
    it(`imports ${file} whole`, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const raw = JSON.parse(text) as { run: { id: string }; candidates: { seq: number; metrics: { accuracy: number } }[] };
      const parsed = parseBundle(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(parsed.value.run.id).toBe(raw.run.id);
      expect(parsed.value.candidates.map((c) => [c.seq, c.metrics.accuracy])).toEqual(raw.candidates.map((c) => [c.seq, c.metrics.accuracy]));
    });
  }
});
