import type { Permissions } from '@nats-io/jwt';
import { runNames } from './names';

/**
 * What a device joined to one run may do, and nothing more: claim and acknowledge that run's candidates,
 * publish its results and, under its own user key `user` (then a device id: devices may share a link), its measurement of the front, read its metadata and
 * dataset, and hear replies on its own inbox prefix. It cannot
 * publish into the work queue, read results or the host's secret, touch another run, or manage streams.
 */
export function workerPermissions(runId: string, user: string): Permissions {
  const n = runNames(runId);
  const kv = `KV_${n.metaBucket}`;
  const obj = `OBJ_${n.dataBucket}`;
  return {
    pub: {
      allow: [
        `$JS.API.CONSUMER.INFO.${n.workStream}.${n.consumer}`,
        `$JS.API.CONSUMER.MSG.NEXT.${n.workStream}.${n.consumer}`,
        `$JS.ACK.${n.workStream}.${n.consumer}.>`,
        `${n.resultSubject}.*.*`,
        `${n.measureSubject}.${user}.*`,
        // the metadata and the dataset, read-only: stream info, direct and stored message reads, and the
        // ordered consumer an object-store read creates and deletes on the data stream (opening an object
        // store asks for the account's JetStream info first: usage counts only, no stream's contents)
        '$JS.API.INFO',
        `$JS.API.STREAM.INFO.${kv}`,
        `$JS.API.DIRECT.GET.${kv}.>`,
        `$JS.API.STREAM.MSG.GET.${kv}`,
        `$JS.API.STREAM.INFO.${obj}`,
        `$JS.API.DIRECT.GET.${obj}.>`,
        `$JS.API.STREAM.MSG.GET.${obj}`,
        `$JS.API.CONSUMER.CREATE.${obj}`,
        `$JS.API.CONSUMER.CREATE.${obj}.>`,
        `$JS.API.CONSUMER.DELETE.${obj}.>`,
        `$JS.API.CONSUMER.MSG.NEXT.${obj}.>`,
      ],
    },
    sub: { allow: [`${n.inboxPrefix}.>`] },
  };
}
