import { BUILTIN_DATASETS, BUILTIN_INFO } from '../data/builtin';
import { POWER_PROFILES, type PowerProfileId } from '../energy/energy';
import { ALGORITHMS } from '../search/algorithm';
import { OBJECTIVES, OBJECTIVE_INFO } from '../search/objectives';
import { ALGORITHM_LABELS } from '../search/registry';

/** Everything the set-up form offers, with the labels people see. */
export const SETUP_CHOICES = {
  datasets: BUILTIN_DATASETS.map((id) => ({ id, label: BUILTIN_INFO[id].label })),
  algorithms: ALGORITHMS.map((id) => ({ id, label: ALGORITHM_LABELS[id] })),
  objectives: OBJECTIVES.map((id) => ({ id, label: OBJECTIVE_INFO[id].label })),
  backends: [
    { id: 'auto', label: 'Best available (WebGPU, WebGL, WASM, CPU)' },
    { id: 'webgpu', label: 'WebGPU' },
    { id: 'webgl', label: 'WebGL' },
    { id: 'wasm', label: 'WASM (SIMD, threads)' },
    { id: 'cpu', label: 'CPU (plain JS)' },
  ] as const,
  powerProfiles: (Object.keys(POWER_PROFILES) as PowerProfileId[]).map((id) => ({ id, label: `${POWER_PROFILES[id].label} (${POWER_PROFILES[id].watts} W)` })),
};
