import * as v from 'valibot';
import { candidateId } from '../core/ids';
import { err, ok, type AppError, type Result } from '../core/result';
import type { CandidateRecord, RunRecord, SnapshotRecord } from '../records';
import { validateGenome } from '../genome/validate';
import { Bundle, BUNDLE_FORMAT, BUNDLE_VERSION } from './schema';
import { futureTime } from './times';

/** A whole run as one file: the run, its search snapshot and every candidate. Leases stay behind. */
export interface RunBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: typeof BUNDLE_VERSION;
  readonly exportedAt: number;
  readonly run: RunRecord;
  readonly snapshot: SnapshotRecord | null;
  readonly candidates: readonly CandidateRecord[];
}

export type BundleErrorCode = 'too-large' | 'not-json' | 'wrong-schema' | 'inconsistent';
export type BundleError = AppError<BundleErrorCode>;

/** Files larger than this are refused before parsing (a run of 100k candidates is well under it). */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

export function bundleOf(run: RunRecord, snapshot: SnapshotRecord | null, candidates: readonly CandidateRecord[], now: number): RunBundle {
  return { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt: now, run, snapshot, candidates };
}

export const bundleJson = (bundle: RunBundle): string => JSON.stringify(bundle);

/** Where in the file a schema problem is, as a path a person can follow ("candidates[3].genome.blocks[0]"). */
function pathOf(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).reduce((s, item) => (typeof item.key === 'number' ? `${s}[${item.key}]` : `${s}${s ? '.' : ''}${String(item.key)}`), '');
}

/**
 * Reads a run bundle from its text: JSON, then the schema, then cross-record consistency. Never executes
 * anything from the file; every refusal names the problem. A run imported as 'running' comes back 'paused'.
 */
export function parseBundle(textOrBytes: string, sizeBytes = textOrBytes.length, now = Date.now()): Result<RunBundle, BundleError> {
  if (sizeBytes > MAX_BUNDLE_BYTES)
    return err({
      code: 'too-large',
      message: `The file is ${Math.round(sizeBytes / 2 ** 20)} MB; a run bundle may be at most ${MAX_BUNDLE_BYTES / 2 ** 20} MB.`,
    });
  let data: unknown;
  try {
    data = JSON.parse(textOrBytes);
  } catch (e) {
    return err({
      code: 'not-json',
      message: `The file is not JSON (${e instanceof Error ? e.message : String(e)}); export a run from this app to get a bundle.`,
    });
  }
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== BUNDLE_FORMAT) {
    return err({ code: 'wrong-schema', message: `This is not an EvoNAS run bundle (its "format" is not "${BUNDLE_FORMAT}").` });
  }
  const parsed = v.safeParse(Bundle, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    return err({ code: 'wrong-schema', message: `The bundle does not match the run format at ${pathOf(issue) || 'the top level'}: ${issue.message}.` });
  }
  const b = parsed.output;
  const future = futureTime(b, now);
  if (future)
    return err({
      code: 'inconsistent',
      message: `The bundle has a time in the future at ${future.path} (${new Date(future.time).toISOString().slice(0, 10)}); the exporting device's clock was wrong or the file was edited.`,
    });
  const problem = inconsistency(b.run.id, b.snapshot?.runId ?? null, b.candidates) ?? pendingProblem(b);
  if (problem) return err({ code: 'inconsistent', message: problem });
  const run: RunRecord = b.run.status === 'running' ? { ...b.run, status: 'paused' } : b.run;
  return ok({ ...b, run });
}

/** Genomes the resumed run would train must fit the run's own limits (a hand-edited file could ask for anything). */
function pendingProblem(b: { run: RunRecord; snapshot: SnapshotRecord | null }): string | null {
  const limits = b.run.limits;
  if (!limits || !b.snapshot) return null;
  for (const p of b.snapshot.pending) {
    const problems = validateGenome(p.genome, limits);
    if (problems.length) return `Queued candidate ${p.seq} cannot be trained in this run: ${problems[0]!.message}`;
  }
  return null;
}

function inconsistency(runId: string, snapshotRunId: string | null, candidates: readonly { id: string; runId: string; seq: number }[]): string | null {
  if (snapshotRunId !== null && snapshotRunId !== runId) return `The snapshot belongs to run ${snapshotRunId}, not ${runId}.`;
  const seqs = new Set<number>();
  for (const c of candidates) {
    if (c.runId !== runId || c.id !== candidateId(runId, c.seq)) return `Candidate ${c.id} does not belong to run ${runId}.`;
    if (seqs.has(c.seq)) return `Candidate ${c.seq} appears twice.`;
    seqs.add(c.seq);
  }
  return null;
}
