import type { BackendProbe } from '../model/probe';
import { database } from './db';

export async function loadProbe(key: string): Promise<BackendProbe | undefined> {
  return (await (await database()).get('probes', key))?.probe;
}

export async function saveProbe(key: string, probe: BackendProbe): Promise<void> {
  await (await database()).put('probes', { key, probe });
}
