import { bundleOf, type RunBundle } from '../bundle/bundle';
import { database } from './db';

/** A stored run as a bundle, or undefined when there is no such run. */
export async function exportRun(runId: string, now: number): Promise<RunBundle | undefined> {
  const tx = (await database()).transaction(['runs', 'snapshots', 'candidates']);
  const [run, snapshot, candidates] = await Promise.all([
    tx.objectStore('runs').get(runId),
    tx.objectStore('snapshots').get(runId),
    tx.objectStore('candidates').index('by-run').getAll(runId),
  ]);
  await tx.done;
  return (
    run &&
    bundleOf(
      run,
      snapshot ?? null,
      candidates.sort((a, b) => a.seq - b.seq),
      now,
    )
  );
}

/**
 * Stores a validated bundle in one transaction: all of it or nothing. A run already stored here is left as
 * it is and the import is refused, so an import can never overwrite anything.
 */
export async function importRun(bundle: RunBundle): Promise<{ ok: true } | { ok: false; message: string }> {
  const tx = (await database()).transaction(['runs', 'snapshots', 'candidates'], 'readwrite', { durability: 'strict' });
  if (await tx.objectStore('runs').getKey(bundle.run.id)) {
    tx.abort();
    await tx.done.catch(() => {});
    return { ok: false, message: `Run ${bundle.run.id} is already stored in this browser; delete it first to import this copy.` };
  }
  await Promise.all([
    tx.objectStore('runs').put(bundle.run),
    bundle.snapshot ? tx.objectStore('snapshots').put(bundle.snapshot) : undefined,
    ...bundle.candidates.map((c) => tx.objectStore('candidates').put(c)),
    tx.done,
  ]);
  return { ok: true };
}
