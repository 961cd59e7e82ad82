import type { Failure } from '../records';

/** A message the training worker posts beside Comlink's when it is about to be unusable. */
export const FATAL_KEY = 'evonasFatal';
export type FatalMessage = { readonly [FATAL_KEY]: Failure };

export function isFatal(data: unknown): data is FatalMessage {
  return typeof data === 'object' && data !== null && FATAL_KEY in data;
}

/** A sign of life the worker posts while it blocks on purpose (quiet measurement), so its watchdog waits. */
export const ALIVE_KEY = 'evonasAlive';
export const ALIVE_MESSAGE = { [ALIVE_KEY]: true } as const;

export function isAlive(data: unknown): boolean {
  return typeof data === 'object' && data !== null && ALIVE_KEY in data;
}
