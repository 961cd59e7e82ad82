import type { Failure, FailureCode } from '../records';

/** What each failure means for the user, shown with the detail the worker gave. */
export const FAILURE_LABELS: Record<FailureCode, string> = {
  'nan-loss': 'Training diverged (loss became NaN or infinite); training stopped at the next check (every batch on CPU and WASM, every 16 on a GPU).',
  'out-of-memory': 'Out of memory: this network does not fit the device at its batch size.',
  'worker-crash': 'The training worker crashed; a fresh one continues the search.',
  'worker-hang': 'The training worker stopped responding and was restarted.',
  'device-lost': 'The GPU device was lost; a fresh worker and device continue the search.',
  'backend-unavailable': 'The TensorFlow.js backend failed to load; the search goes on with the next backend.',
  'training-error': 'Training failed with an error.',
  'interrupted-repeatedly': 'The tab or browser died every time this candidate trained; it was given up so the search can go on.',
  'not-prepared': 'The training worker had no dataset loaded.',
  'lost-device': 'In a shared run, every device that claimed this candidate left or went silent before finishing it; it was given up so the search can go on.',
};

export const failure = (code: FailureCode, detail: string): Failure => ({ code, message: detail });

/** The words a table or CSV shows for a failure: the label, then the worker's own detail. */
export const describeFailure = (f: Failure): string => `${FAILURE_LABELS[f.code]} (${f.message})`;

const OOM = /out of memory|allocation failed|array buffer allocation|failed to allocate|OOM|createBuffer|exceeds the max|Invalid array length|too large/i;
const DEVICE_LOST = /device (was |is )?lost|GPUDevice.*destroyed|instance dropped/i;

/** Sorts an error thrown while training into a failure code by what it says. */
export function classifyError(e: unknown): Failure {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || OOM.test(message)) return failure('out-of-memory', message);
  if (DEVICE_LOST.test(message)) return failure('device-lost', message);
  return failure('training-error', message);
}

/** Attempts after which a candidate that keeps dying with its tab is recorded as failed. */
export const MAX_ATTEMPTS = 3;
/** Default silence from the training worker after which the candidate is declared hung. */
export const WATCHDOG_MS = 180_000;

/** IndexedDB refused a write because the origin's storage is full. */
export function isQuotaError(e: unknown): boolean {
  return (
    (e instanceof Error || (typeof DOMException !== 'undefined' && e instanceof DOMException)) && (e.name === 'QuotaExceededError' || /quota/i.test(e.message))
  );
}

export const QUOTA_MESSAGE =
  'Storage is full: the browser refused to store more of this run (QuotaExceededError). Nothing already stored was lost. Free space (export and delete old runs, or allow more storage) and press Resume.';
