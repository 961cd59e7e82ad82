import { afterEach, describe, expect, it, vi } from 'vitest';
import { toStderr } from '../../scripts/lib/build';

describe("the runner's stdout", () => {
  afterEach(() => vi.restoreAllMocks());

  // console.log writes through process.stdout.write in Node (Vitest replaces console, so the test writes directly)
  it('carries nothing a build prints: stdout during the build goes to stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    const result = await toStderr(async () => {
      process.stdout.write('PWA v1 mode generateSW precache 20 entries\n');
      return 7;
    });
    process.stdout.write('run run-abc-1234\n');
    expect(result).toBe(7);
    expect(err.join('')).toContain('precache 20 entries');
    expect(out.join('')).toBe('run run-abc-1234\n');
  });
});
