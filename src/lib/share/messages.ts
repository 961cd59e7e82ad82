import * as v from 'valibot';
import { count, Epoch, FAILURE_CODES, figure, Genome, Limits, list, Manifest, text } from '../bundle/schema';
import { err, ok, type AppError, type Result } from '../core/result';
import { validateGenome } from '../genome/validate';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { DeviceManifest } from '../measure/manifest';
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

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** JSON bytes of a message; NaN and Infinity travel as null, as in run bundles. */
export const encodeMessage = (message: WorkMessage | ResultMessage): Uint8Array => encoder.encode(JSON.stringify(message));

function parse<S extends v.GenericSchema>(schema: S, bytes: Uint8Array, what: string): Result<v.InferOutput<S>, MessageError> {
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
  const parsed = parse(WORK, bytes, 'work message');
  if (!parsed.ok) return parsed;
  const problems = validateGenome(parsed.value.genome, parsed.value.limits);
  if (problems.length > 0) return err({ code: 'bad-message', message: `work message refused: its genome is invalid (${problems[0]!.message})` });
  const work: WorkMessage = parsed.value;
  return ok(work);
}

/** A result the host can record, or why not. */
export function parseResult(bytes: Uint8Array): Result<ResultMessage, MessageError> {
  const parsed = parse(RESULT, bytes, 'result');
  if (!parsed.ok) return parsed;
  const result: ResultMessage = parsed.value;
  return ok(result);
}
