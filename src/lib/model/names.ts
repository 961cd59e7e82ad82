/** The TensorFlow.js backends the app trains on, fastest first; plain names, no tfjs import. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = 'auto' | BackendName;
