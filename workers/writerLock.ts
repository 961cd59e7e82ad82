/// <reference lib="webworker" />

/** One writer per origin: the tab whose search worker holds this Web Lock drives runs; the others only read. */
const WRITER_LOCK = 'evonas-writer';
import type { Role } from '../src/lib/run/events';

let role: Role = 'reader';
let claiming: Promise<Role> | null = null;
let promoted: Promise<void> | null = null;

const holdForever = () => new Promise<never>(() => {});

/** Takes the writer lock if no other tab holds it; held until this worker (its tab) goes away. */
export function claimWriter(): Promise<Role> {
  claiming ??= new Promise<Role>((resolve) => {
    void navigator.locks.request(WRITER_LOCK, { ifAvailable: true }, (lock) => {
      if (!lock) return resolve('reader');
      role = 'writer';
      resolve('writer');
      return holdForever();
    });
  });
  return claiming;
}

/** Resolves when this tab becomes the writer (at once if it is; else when the writing tab closes). */
export function waitForWriter(): Promise<void> {
  if (role === 'writer') return Promise.resolve();
  promoted ??= new Promise<void>((resolve) => {
    void navigator.locks.request(WRITER_LOCK, () => {
      role = 'writer';
      resolve();
      return holdForever();
    });
  });
  return promoted;
}

/** Refuses a write from a read-only tab, with what the user can do about it (claims the lock first if nobody asked yet). */
export async function assertWriter(): Promise<void> {
  if ((await claimWriter()) !== 'writer' && role !== 'writer')
    throw new Error('Another tab of this app is running searches, so this tab is read-only; close that tab to take over here.');
}
