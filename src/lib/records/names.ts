export const BUILTIN_DATASETS = ['digits', 'fashion-mnist'] as const;

export type BuiltinDatasetName = (typeof BUILTIN_DATASETS)[number];

/** The TensorFlow.js backends the app trains on, fastest first; plain names, no tfjs import. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type BackendName = (typeof BACKENDS)[number];

export type BackendPreference = 'auto' | BackendName;

export const OBJECTIVES = ['error', 'params', 'flops', 'latency', 'energy'] as const;

export type ObjectiveId = (typeof OBJECTIVES)[number];

export const ALGORITHMS = ['ours', 'nsga2', 'aging', 'ga', 'random'] as const;

export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Device power profiles an assumed energy figure can rest on (their watts are in energy/energy.ts). */
export const POWER_PROFILE_IDS = ['laptop-integrated', 'laptop-discrete', 'desktop', 'phone'] as const;

export type PowerProfileId = (typeof POWER_PROFILE_IDS)[number];
