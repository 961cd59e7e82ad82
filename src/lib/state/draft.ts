import type { RunConfig } from '../records';

type Writable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] extends object ? Writable<T[K]> : T[K] };

/** A run configuration the set-up form can edit in place; frozen into a RunConfig when the run starts. */
export type ConfigDraft = Omit<Writable<RunConfig>, 'dataset'> & { dataset: RunConfig['dataset'] };

export function draftOf(config: RunConfig): ConfigDraft {
  return { ...config, objectives: [...config.objectives], budget: { ...config.budget }, power: { ...config.power } };
}
