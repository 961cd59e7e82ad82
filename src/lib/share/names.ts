/**
 * What a shared run is called on the lab's NATS server: one work-queue stream of candidates, one stream of
 * results, a key-value bucket of run metadata and an object store for the dataset, all named from the run id.
 * Run ids (`run-<time>-<rand>`) are already valid stream, bucket and subject tokens.
 */
export interface RunNames {
  /** Candidates to train, one message each on `<workSubject>.<seq>`; a work queue (each taken once). */
  readonly workStream: string;
  readonly workSubject: string;
  /** The durable pull consumer every device claims from: its ack wait is a candidate's lease. */
  readonly consumer: string;
  /** Results on `<resultSubject>.<seq>.<nonce>`, one message per subject: the first write wins. */
  readonly resultStream: string;
  readonly resultSubject: string;
  /** Each device's measurement of the finished run's front, on `<measureSubject>.<user key>.<device id>`: one each. */
  readonly measureStream: string;
  readonly measureSubject: string;
  /** Run metadata (limits, budget, dataset id and digest; the front to measure once the search is done). */
  readonly metaBucket: string;
  /** What only the host reads: the secret its candidates' nonces derive from. */
  readonly hostBucket: string;
  /** The dataset's bytes, for devices that do not hold it. */
  readonly dataBucket: string;
  /** Replies to a worker's requests come on this prefix only, so it can subscribe to nothing else. */
  readonly inboxPrefix: string;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

export { LAB_ADDRESS } from '../records';

/** Throws on an id that is not a single safe token: it ends up in subjects and permissions. */
export function runNames(runId: string): RunNames {
  if (!RUN_ID.test(runId)) throw new RangeError(`run id "${runId}" is not a valid shared-run name (letters, digits, - and _ only)`);
  return {
    workStream: `EVONAS_${runId}_WORK`,
    workSubject: `evonas.${runId}.work`,
    consumer: 'devices',
    resultStream: `EVONAS_${runId}_RESULTS`,
    resultSubject: `evonas.${runId}.result`,
    measureStream: `EVONAS_${runId}_MEASURES`,
    measureSubject: `evonas.${runId}.measure`,
    metaBucket: `evonas_${runId}`,
    hostBucket: `evonas_${runId}_host`,
    dataBucket: `evonas_${runId}_data`,
    inboxPrefix: `_INBOX_${runId}`,
  };
}
