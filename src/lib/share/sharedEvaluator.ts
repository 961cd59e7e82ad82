import { jetstream, jetstreamManager, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { Interrupted, type EvaluateOutcome, type EvaluateRequest, type Evaluator, type Prepared } from '../run/evaluator';
import { failure } from '../run/failures';
import type { RunConfig } from '../records';
import { encodeMessage, parseResult, type FrontMessage, type MeasureMessage, type ResultMessage, type WorkMessage } from './messages';
import { gatherFrontMeasures } from './frontOnDevices';
import { runNames } from './names';
import { unprovisionRun } from './provision';
import { candidateNonce, HOST_SECRET_KEY } from './nonce';
import { QueueDepth } from './activeDevices';

/** The most candidates a shared run keeps in flight unless its config's `workers` says otherwise: a class of 50. */
export const MAX_IN_FLIGHT = 100;

export interface SharedRunEvents {
  /** A message refused (malformed, unknown candidate, wrong nonce): never recorded. */
  readonly onRefused?: (reason: string) => void;
  /** A result recorded, with the device it came from. */
  readonly onResult?: (result: ResultMessage) => void;
  /** Runs on `terminate`: what else the host opened for the run (its connection, its local workers). */
  readonly dispose?: () => void;
}

/**
 * The host side of a shared run behind the Evaluator interface: `evaluate` puts the candidate in the run's
 * work queue and resolves with the first valid result any device publishes for it, or with `lost-device`
 * once the queue's delivery cap has given it up. The run loop above it is the one of a local run, so the
 * host records, snapshots and resumes exactly as it does alone. `local` prepares the dataset summary.
 */
export class SharedEvaluator implements Evaluator {
  readonly #waiting = new Map<number, { resolve: (outcome: EvaluateOutcome) => void; reject: (e: Error) => void }>();
  /** The first valid result per candidate, also those read before the loop asked (a reloaded host reads the whole stream). */
  readonly #arrived = new Map<number, EvaluateOutcome>();
  /** Work-stream sequence of each candidate's message: what the delivery-cap advisory names. */
  readonly #byStreamSeq = new Map<number, number>();
  #secret: Uint8Array | null = null;
  #results: ConsumerMessages | null = null;
  #advisories: Subscription | null = null;
  readonly #depth = new QueueDepth();

  /** Twice the devices serving the run (at least 2, at most `workers`): the queue stays that deep as devices come and go. */
  readonly capacity = this.#depth.capacity;

  constructor(
    private readonly nc: NatsConnection,
    private readonly runId: string,
    private readonly local: Evaluator,
    private readonly events: SharedRunEvents = {},
  ) {}

  async prepare(config: RunConfig): Promise<Prepared> {
    const prepared = await this.local.prepare(config, 1);
    const n = runNames(this.runId);
    const secret = await (await new Kvm(this.nc).open(n.hostBucket)).get(HOST_SECRET_KEY);
    if (!secret) throw new Error(`shared run ${this.runId} has no host secret on the lab server: was it provisioned?`);
    this.#secret = secret.value;
    this.#close();
    const consumer = await jetstream(this.nc).consumers.get(n.resultStream, { deliver_policy: DeliverPolicy.All });
    this.#results = await consumer.consume();
    void this.#readResults(this.#results, this.#secret);
    this.#advisories = this.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${n.workStream}.${n.consumer}`, {
      callback: (_e, msg) => this.#givenUp(msg.json<{ stream_seq?: number }>().stream_seq),
    });
    const most = config.workers ?? MAX_IN_FLIGHT;
    // pull requests waiting (idle devices) and claims held (training ones) on the work consumer
    this.#depth.follow(most, async () => {
      const info = await (await jetstreamManager(this.nc)).consumers.info(n.workStream, n.consumer);
      return { waiting: info.num_waiting, claimed: info.num_ack_pending };
    });
    return { ...prepared, workers: most };
  }

  async evaluate(request: EvaluateRequest): Promise<EvaluateOutcome> {
    if (request.seq === undefined || !this.#secret) throw new Error('a shared run evaluates numbered candidates after prepare()');
    const seq = request.seq;
    const early = this.#arrived.get(seq);
    if (early) return early;
    const done = new Promise<EvaluateOutcome>((resolve, reject) => this.#waiting.set(seq, { resolve, reject }));
    // an interrupt may land while the work is being published: the rejection is the caller's, once returned
    done.catch(() => undefined);
    const n = runNames(this.runId);
    const work: WorkMessage = {
      v: 1,
      seq,
      nonce: await candidateNonce(this.#secret, seq),
      genome: request.genome,
      limits: request.limits,
      seed: request.seed,
      latencyRuns: request.latencyRuns,
      ...(request.promotion ? { promotion: request.promotion } : {}),
    };
    // the message id makes a reloaded host's second publish of the same candidate a no-op (the stream's day-long window)
    try {
      const ack = await jetstream(this.nc).publish(`${n.workSubject}.${seq}`, encodeMessage(work), { msgID: `${this.runId}-${seq}` });
      this.#byStreamSeq.set(ack.seq, seq);
    } catch (e) {
      this.#waiting.delete(seq);
      throw e;
    }
    return done;
  }

  /** Pause or Stop: what is in flight is answered `Interrupted`; its queued work stays for the resume. */
  interrupt(): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiting) w.reject(new Interrupted());
  }

  /** The run is over here: stop reading results, answer what is in flight, release what the host opened. */
  terminate(): void {
    this.#close();
    this.interrupt();
    this.events.dispose?.();
  }

  /**
   * Asks every device serving the run (as the queue shows them now and over the last seconds) to measure `front` on itself, and
   * gathers their figures for at most `waitMs`; the run's streams stay until `end()`. `own`: devices of the
   * host itself among them (it measured the run already, so it is not asked again).
   */
  async measureFront(front: FrontMessage, waitMs: number, own = 0): Promise<MeasureMessage[]> {
    const expected = (await this.#depth.devicesNow()) - own;
    return gatherFrontMeasures(this.nc, this.runId, front, expected, waitMs, this.events.onRefused);
  }

  /** The run has ended for good (done or stopped): its streams go, so joined devices stop and leave. */
  async end(): Promise<void> {
    this.#close();
    await unprovisionRun(this.nc, this.runId);
  }

  #close(): void {
    this.#depth.stop();
    this.#results?.stop();
    this.#advisories?.unsubscribe();
    this.#results = null;
    this.#advisories = null;
  }

  /** Records the first valid result per candidate; only a result naming the nonce its work carried counts. */
  async #readResults(messages: ConsumerMessages, secret: Uint8Array): Promise<void> {
    const prefix = `${runNames(this.runId).resultSubject}.`;
    for await (const msg of messages) {
      const [seqText, nonce] = msg.subject.slice(prefix.length).split('.');
      const parsed = parseResult(msg.data);
      if (!parsed.ok) {
        this.events.onRefused?.(parsed.error.message);
        continue;
      }
      const result = parsed.value;
      if (String(result.seq) !== seqText || nonce !== (await candidateNonce(secret, result.seq))) {
        this.events.onRefused?.(`result for candidate ${seqText} refused: it names a candidate that was not issued to its sender`);
        continue;
      }
      if (this.#arrived.has(result.seq)) continue;
      this.#arrived.set(result.seq, result.outcome);
      this.events.onResult?.(result);
      this.#waiting.get(result.seq)?.resolve(result.outcome);
      this.#waiting.delete(result.seq);
    }
  }

  #givenUp(streamSeq: number | undefined): void {
    const seq = streamSeq === undefined ? undefined : this.#byStreamSeq.get(streamSeq);
    if (seq === undefined || streamSeq === undefined) return;
    const waiting = this.#waiting.get(seq);
    this.#waiting.delete(seq);
    waiting?.resolve({ ok: false, failure: failure('lost-device', 'every device that claimed it left before finishing') });
    // the work queue keeps a message past its delivery cap: take it out so nobody trains it later
    void jetstreamManager(this.nc)
      .then((jsm) => jsm.streams.deleteMessage(runNames(this.runId).workStream, streamSeq))
      .catch(() => undefined);
  }
}
