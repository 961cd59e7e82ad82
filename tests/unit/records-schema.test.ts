import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Candidate, Config, Run, Snapshot } from '../../src/lib/bundle/schema';
import type { CandidateRecord, RunConfig, RunRecord, SnapshotRecord } from '../../src/lib/records';

/**
 * The records in src/lib/records and the bundle schema describe the same JSON. These checks run in
 * `npm run check` (tsc over tests/): a field added to a record but not to the schema, or a schema that
 * produces something a record cannot hold, fails the build.
 */
type Output<S extends v.GenericSchema> = v.InferOutput<S>;
/** Keys of a record the schema does not know: a strict schema would refuse that record's export. */
type Missing<R, S extends v.GenericSchema> = Exclude<keyof R, keyof Output<S>>;

describe('records and the bundle schema', () => {
  it('every record key is in its schema', () => {
    expectTypeOf<Missing<RunRecord, typeof Run>>().toEqualTypeOf<never>();
    expectTypeOf<Missing<RunConfig, typeof Config>>().toEqualTypeOf<never>();
    expectTypeOf<Missing<CandidateRecord, typeof Candidate>>().toEqualTypeOf<never>();
    expectTypeOf<Missing<SnapshotRecord, typeof Snapshot>>().toEqualTypeOf<never>();
  });

  it('what a schema accepts is a record', () => {
    expectTypeOf<Output<typeof Run>>().toExtend<RunRecord>();
    expectTypeOf<Output<typeof Config>>().toExtend<RunConfig>();
    expectTypeOf<Output<typeof Candidate>>().toExtend<CandidateRecord>();
    expectTypeOf<Output<typeof Snapshot>>().toExtend<SnapshotRecord>();
  });

  it('a strict schema refuses a key no record has', () => {
    const config = { dataset: { kind: 'builtin', name: 'digits' }, extra: 1 };
    expect(v.safeParse(Config, config).success).toBe(false);
  });
});
