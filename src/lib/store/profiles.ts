import { withSearchSamples, type CostProfile, type PowerCalibration, type SearchSample } from '../measure/profile';
import { database } from './db';

export async function getProfile(id: string): Promise<CostProfile | undefined> {
  return (await database()).get('profiles', id);
}

export async function putProfile(profile: CostProfile): Promise<void> {
  const tx = (await database()).transaction('profiles', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.put(profile), tx.done]);
}

/** Adds a finished run's measured candidates to a profile, read and written in one transaction. */
export async function keepSearchSamples(profileId: string, samples: readonly SearchSample[]): Promise<void> {
  const tx = (await database()).transaction('profiles', 'readwrite', { durability: 'strict' });
  const profile = await tx.store.get(profileId);
  if (profile) await tx.store.put(withSearchSamples(profile, samples));
  await tx.done;
}

export async function getPowerCalibration(): Promise<PowerCalibration | undefined> {
  return (await database()).get('power', 'battery');
}

export async function putPowerCalibration(calibration: PowerCalibration): Promise<void> {
  const tx = (await database()).transaction('power', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.put(calibration), tx.done]);
}
