/// <reference lib="webworker" />
import { expose } from 'comlink';
import { calibrate, type CalibrationOptions, type CalibrationProgress } from '../src/lib/measure/calibrate';
import { captureManifest, deviceKey, type DeviceManifest } from '../src/lib/measure/manifest';
import type { CostProfile } from '../src/lib/measure/profile';
import { sustainInference } from '../src/lib/measure/sustain';
import { benchTraining, type TrainBenchOptions, type TrainBenchResult } from '../src/lib/measure/trainbench';
import { loadBuiltin } from '../src/lib/data/load';
import { labelsAt, normalizedPixels } from '../src/lib/data/dataset';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, trySetBackend, type BackendInfo, type BackendName, type BackendPreference } from '../src/lib/model/backend';
import { checkKernels, type KernelCheck } from '../src/lib/model/selfcheck';
import { simdKernels } from '../src/lib/model/wasm/simd/module';
import type { PowerCalibration } from '../src/lib/measure/profile';
import { getPowerCalibration, getProfile, putPowerCalibration, putProfile } from '../src/lib/store/profiles';
import type { CnnGenome, SpaceLimits } from '../src/lib/genome/types';
import { buildModel } from '../src/lib/model/build';
import { measureModel } from '../src/lib/measure/latency';
import { atUsualTime, type LatencyProtocol, type LatencyResult } from '../src/lib/measure/protocol';
import { SpeedReference } from '../src/lib/measure/speedReference';

let device: { backend: BackendInfo; manifest: DeviceManifest } | null = null;
const DATASETS_URL = new URL(`${import.meta.env.BASE_URL}datasets/`, self.location.href).href;
let cancelled = false;

function ready(): { backend: BackendInfo; manifest: DeviceManifest } {
  if (!device) throw new Error('The measurement worker has not chosen a backend yet.');
  return device;
}

/** Measurement apart from training: calibration and sustained workloads run in this worker only. */
const api = {
  /** Chooses the backend (once per worker), describes the device and returns its stored profile, if any. */
  async init(requested: BackendPreference): Promise<{ backend: BackendInfo; manifest: DeviceManifest; profile: CostProfile | null }> {
    if (!device) {
      const backend = await selectBackend(requested);
      device = { backend, manifest: captureManifest(backend.name) };
    }
    return { ...device, profile: (await getProfile(deviceKey(device.manifest))) ?? null };
  },
  /** Calibrates the cost model on this worker's backend and stores it as this device's profile. */
  async calibrate(options: CalibrationOptions, onProgress: (p: CalibrationProgress) => void): Promise<CostProfile> {
    const { manifest } = ready();
    cancelled = false;
    const result = await calibrate(
      options,
      (p) => void onProgress(p),
      () => cancelled,
    );
    const { height, width, channels } = options.limits;
    const profile: CostProfile = {
      id: deviceKey(manifest),
      manifest,
      createdAt: Date.now(),
      grid: options.grid,
      input: { height, width, channels },
      model: result.model,
      accuracy: result.accuracy,
      opSamples: result.opSamples,
      networkSamples: result.networkSamples,
      durationMs: result.durationMs,
    };
    await putProfile(profile);
    return profile;
  },
  /** Runs inference flat out for `ms` (a battery calibration's load phase); returns images per second. */
  async sustain(ms: number, shape: [number, number, number], classes: number): Promise<number> {
    ready();
    cancelled = false;
    return sustainInference(ms, shape, classes, () => cancelled);
  },
  powerCalibration: async (): Promise<PowerCalibration | null> => (await getPowerCalibration()) ?? null,
  savePowerCalibration: (calibration: PowerCalibration): Promise<void> => putPowerCalibration(calibration),
  /** Trains the reference CNN (or a genome) on Fashion-MNIST on this worker's backend (the bench:train benchmark). */
  async benchTrain(options: TrainBenchOptions): Promise<TrainBenchResult> {
    ready();
    const loaded = await loadBuiltin('fashion-mnist', DATASETS_URL);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const d = loaded.value.dataset;
    const n = Math.min(d.labels.length, (options.warmupSteps + options.steps) * options.batchSize);
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    return benchTraining(normalizedPixels(d, indices), labelsAt(d, indices), options);
  },
  /**
   * Measures batch-1 latency of each genome on this worker's backend (weights drawn from the seed: latency does
   * not depend on their values), for comparing a run's front across devices.
   */
  async remeasure(
    items: readonly { seq: number; genome: CnnGenome }[],
    limits: SpaceLimits,
    protocol: LatencyProtocol,
    onProgress: (done: number) => void,
  ): Promise<{ manifest: DeviceManifest; results: { seq: number; latency: LatencyResult }[] }> {
    const { manifest } = ready();
    cancelled = false;
    const results: { seq: number; latency: LatencyResult }[] = [];
    // each network timed against the speed reference, all taken to its usual time over the whole batch at the end
    const reference = await SpeedReference.start(limits, protocol);
    try {
      for (const { seq, genome } of items) {
        if (cancelled) throw new Error('Re-measuring was cancelled.');
        const model = buildModel(genome, limits, seq + 1);
        try {
          results.push({ seq, latency: await measureModel(model, protocol, reference) });
        } finally {
          model.dispose();
        }
        void onProgress(results.length);
      }
    } finally {
      reference.dispose();
    }
    const usualMs = reference.usualMs();
    return { manifest, results: results.map((r) => ({ ...r, latency: atUsualTime(r.latency, usualMs) })) };
  },
  /** This project's kernels against tfjs' own on `backend` (src/lib/model/selfcheck.ts), and whether relaxed SIMD ran. */
  async checkKernels(backend: BackendName): Promise<{ checks: KernelCheck[]; relaxedSimd: boolean | null }> {
    const checks = await checkKernels(backend);
    await trySetBackend('wasm');
    const kernels = simdKernels((tf.backend() as unknown as { wasm?: unknown }).wasm);
    return { checks, relaxedSimd: kernels ? kernels.relaxed : null };
  },
  cancel(): void {
    cancelled = true;
  },
};

export type MeasureApi = typeof api;
expose(api);
