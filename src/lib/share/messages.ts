import * as v from 'valibot';
import { count, Epoch, FAILURE_CODES, figure, Genome, Limits, list, Manifest, MAX_KERNELS, text } from '../bundle/schema';
import { err, ok, type AppError, type Result } from '../core/result';
import { validateGenome } from '../genome/validate';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { DeviceManifest } from '../measure/manifest';
import type { LatencyResult } from '../measure/protocol';
import { BACKENDS } from '../model/names';
import type { EvaluateOutcome } from '../run/evaluator';
import type { Promotion } from '../run/promotion';

/** What the host puts in the work queue for one candidate: all a device needs to train it as the host would. */
export interface WorkMessage {
  readonly v: 1;
  readonly seq: number;
  /** Proves a result answers this very message: the result's subject must name it (`nonce.ts`). */
  readonly nonce: string;
  readonly genome: CnnGenome;
  readonly limits: SpaceLimits;
  readonly seed: number;
  readonly latencyRuns: number;
  readonly promotion?: Promotion;
}

/** What a device sends back: the outcome, the backend it ran on and the device it ran on. */
export interface ResultMessage {
  readonly v: 1;
  readonly seq: number;
  readonly seed: number;
  readonly outcome: EvaluateOutcome;
  readonly manifest: DeviceManifest;
}

/** What the host asks of every joined device once the search is done: measure these networks (the front) here. */
export interface FrontMessage {
  readonly v: 1;
  readonly limits: SpaceLimits;
  readonly latencyRuns: number;
  readonly candidates: readonly { readonly seq: number; readonly genome: CnnGenome }[];
}

/** A device's answer: batch-1 latency of each front network on its own backend, and the device it ran on. */
export interface MeasureMessage {
  readonly v: 1;
  readonly manifest: DeviceManifest;
  readonly results: readonly { readonly seq: number; readonly latency: LatencyResult }[];
}

export type MessageError = AppError<'bad-message'>;

/** Larger than any honest message (a result holds at most a few hundred epochs of figures). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

const WORK = v.strictObject({
  v: v.literal(1),
  seq: count(),
  nonce: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  genome: Genome,
  limits: Limits,
  seed: v.pipe(v.number(), v.integer()),
  latencyRuns: count(100_000),
  promotion: v.optional(v.strictObject({ afterEpoch: count(1000), minValAccuracy: v.number() })),
});

const Latency = v.strictObject({
  coldMs: figure,
  medianMs: figure,
  p25Ms: figure,
  p75Ms: figure,
  cv: figure,
  runs: count(),
  warmupRuns: count(),
  batchSize: count(),
  relative: v.optional(figure),
  rawMedianMs: v.optional(figure),
});
const Evaluation = v.strictObject({
  history: list(Epoch, 1000),
  accuracy: figure,
  valLoss: figure,
  params: count(),
  flops: count(),
  latency: Latency,
  trainMs: figure,
  measureMs: figure,
  leakedTensors: count(),
  inheritedLayers: count(),
  kernelMs: v.optional(list(figure, MAX_KERNELS)),
});
const RESULT = v.strictObject({
  v: v.literal(1),
  seq: count(),
  seed: v.pipe(v.number(), v.integer()),
  manifest: Manifest,
  outcome: v.variant('ok', [
    v.strictObject({ ok: v.literal(true), evaluation: Evaluation, backend: v.optional(v.picklist(BACKENDS)), trainedOn: v.optional(v.picklist(BACKENDS)) }),
    v.strictObject({
      ok: v.literal(false),
      failure: v.strictObject({ code: v.picklist(FAILURE_CODES), message: text() }),
      backend: v.optional(v.picklist(BACKENDS)),
    }),
  ]),
});

/** More than any front a search of this app keeps (a front of a few hundred networks fits a message). */
const MAX_FRONT = 500;
const FRONT = v.strictObject({
  v: v.literal(1),
  limits: Limits,
  latencyRuns: count(100_000),
  candidates: list(v.strictObject({ seq: count(), genome: Genome }), MAX_FRONT),
});
const MEASURE = v.strictObject({
  v: v.literal(1),
  manifest: Manifest,
  results: list(v.strictObject({ seq: count(), latency: Latency }), MAX_FRONT),
});

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** JSON bytes of a message; NaN and Infinity travel as null, as in run bundles. */
export const encodeMessage = (message: WorkMessage | ResultMessage | FrontMessage | MeasureMessage): Uint8Array => encoder.encode(JSON.stringify(message));

/** Bytes of at most MAX_MESSAGE_BYTES, UTF-8 JSON, valid against `schema`; else why not, naming `what`. */
function parseMessage<S extends v.GenericSchema>(schema: S, bytes: Uint8Array, what: string): Result<v.InferOutput<S>, MessageError> {
  if (bytes.length > MAX_MESSAGE_BYTES)
    return err({ code: 'bad-message', message: `${what} refused: ${bytes.length} bytes, over the ${MAX_MESSAGE_BYTES} a message may have` });
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes));
  } catch {
    return err({ code: 'bad-message', message: `${what} refused: not JSON` });
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success)
    return err({ code: 'bad-message', message: `${what} refused: ${v.getDotPath(parsed.issues[0]) ?? 'message'}: ${parsed.issues[0].message}` });
  return ok(parsed.output);
}

/** A work message a device can train, or why not (its genome is checked against its own limits too). */
export function parseWork(bytes: Uint8Array): Result<WorkMessage, MessageError> {
  const parsed = parseMessage(WORK, bytes, 'work message');
  if (!parsed.ok) return parsed;
  const problems = validateGenome(parsed.value.genome, parsed.value.limits);
  if (problems.length > 0) return err({ code: 'bad-message', message: `work message refused: its genome is invalid (${problems[0]!.message})` });
  const work: WorkMessage = parsed.value;
  return ok(work);
}

/** A result the host can record, or why not. */
export function parseResult(bytes: Uint8Array): Result<ResultMessage, MessageError> {
  const parsed = parseMessage(RESULT, bytes, 'result');
  if (!parsed.ok) return parsed;
  const result: ResultMessage = parsed.value;
  return ok(result);
}

/** The front a device is asked to measure, or why not (every genome checked against the message's limits). */
export function parseFront(bytes: Uint8Array): Result<FrontMessage, MessageError> {
  const parsed = parseMessage(FRONT, bytes, 'front to measure');
  if (!parsed.ok) return parsed;
  for (const c of parsed.value.candidates) {
    const problems = validateGenome(c.genome, parsed.value.limits);
    if (problems.length > 0)
      return err({ code: 'bad-message', message: `front to measure refused: candidate ${c.seq}'s genome is invalid (${problems[0]!.message})` });
  }
  const front: FrontMessage = parsed.value;
  return ok(front);
}

/** A device's measurement of the front the host can store, or why not: only candidates of that front, each once. */
export function parseMeasure(bytes: Uint8Array, front: ReadonlySet<number>): Result<MeasureMessage, MessageError> {
  const parsed = parseMessage(MEASURE, bytes, 'front measurement');
  if (!parsed.ok) return parsed;
  const seqs = parsed.value.results.map((r) => r.seq);
  const stray = seqs.find((s) => !front.has(s));
  if (stray !== undefined) return err({ code: 'bad-message', message: `front measurement refused: candidate ${stray} is not on the front` });
  if (new Set(seqs).size !== seqs.length) return err({ code: 'bad-message', message: 'front measurement refused: a candidate is measured twice' });
  const measure: MeasureMessage = parsed.value;
  return ok(measure);
}
