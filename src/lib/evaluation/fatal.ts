import type { Failure } from '../run/records';

/** A message the training worker posts beside Comlink's when it is about to be unusable. */
export const FATAL_KEY = 'evonasFatal';
export type FatalMessage = { readonly [FATAL_KEY]: Failure };

export function isFatal(data: unknown): data is FatalMessage {
  return typeof data === 'object' && data !== null && FATAL_KEY in data;
}
