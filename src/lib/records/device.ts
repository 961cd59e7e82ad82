import type { BackendName, BackendPreference } from './names';

/** What a latency figure was measured on; stored with every run and calibration profile. */
export interface DeviceManifest {
  readonly userAgent: string;
  readonly hardwareConcurrency: number;
  readonly backend: BackendName;
  readonly adapter: { readonly vendor: string; readonly architecture: string; readonly device: string; readonly description: string } | null;
  /** WebGPU device limits, where the backend is WebGPU. */
  readonly gpuLimits: Readonly<Record<string, number>> | null;
  /** Smallest step of performance.now() seen here (5 us when cross-origin isolated, 100 us otherwise in Chrome). */
  readonly timerResolutionMs: number;
  readonly crossOriginIsolated: boolean;
  readonly capturedAt: number;
}

/** Which backend a worker trains on, and why; stored with every result. */
export interface BackendInfo {
  readonly name: BackendName;
  readonly requested: BackendPreference;
  /** Backends tried first that failed, with the reason each gave. */
  readonly skipped: readonly { readonly name: BackendName; readonly reason: string }[];
  /** GPU adapter description where the backend exposes one (vendor, architecture). */
  readonly adapter: string | null;
}

/** Training speed of each backend that starts on this device, for one input shape. */
export interface BackendProbe {
  /** Images per second of a small CNN's training steps (after a warm-up step), per backend that started. */
  readonly imagesPerSecond: Partial<Record<BackendName, number>>;
  /** Backends that did not start, with why. */
  readonly failed: Partial<Record<BackendName, string>>;
  /** The fastest: what candidates train on. */
  readonly fastest: BackendName;
  readonly input: readonly [number, number, number];
  readonly measuredAt: number;
}
