import { plain, plainShared, relaxed, relaxedShared } from './kernels.wasm';

type P = number;
/** A 2-D window op's geometry over NHWC maps, in the order kernels.c takes it (tfjs' Conv2DInfo fields). */
export type Geometry = [
  n: number,
  ih: number,
  iw: number,
  ic: number,
  oh: number,
  ow: number,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  pt: number,
  pl: number,
  dh: number,
  dw: number,
];

/** The exports of kernels.c; every pointer is a byte offset into tfjs' WASM heap. */
export interface SimdKernels {
  im2col_t(x: P, cols: P, ...g: Geometry): void;
  col2im(cols: P, dx: P, ...g: Geometry): void;
  max_pool_grad(x: P, dy: P, dx: P, ...g: Geometry): void;
  depthwise_backprop_input(dy: P, w: P, dx: P, ...g: [...Geometry, number]): void;
  depthwise_backprop_filter(x: P, dy: P, dw: P, ...g: [...Geometry, number]): void;
  zero(p: P, count: number): void;
  column_sums(m: P, out: P, rows: number, cols: number): void;
  /** c (m x n, row stride ldc) = A . B with A(i, k) = a[i * sai + k * sak] and B(k, j) = b[k * ldb + j]. */
  gemm(a: P, sai: number, sak: number, b: P, ldb: number, c: P, ldc: number, m: number, n: number, k: number): void;
  transpose(b: P, ldb: number, out: P, k: number, n: number): void;
  im2col_rows(x: P, cols: P, ...g: [...Geometry, number, number]): void;
  bias_activation(m: P, bias: P, rows: number, cols: number, relu: number): void;
  /** Whether these kernels use relaxed-SIMD fused multiply-add. */
  readonly relaxed: boolean;
}

/** The emscripten module behind tfjs' WASM backend: its memory is exported (plain build) or kept (threaded). */
interface EmscriptenModule {
  readonly wasmMemory?: WebAssembly.Memory;
  readonly asm?: { readonly memory?: WebAssembly.Memory };
}

/** f32x4.relaxed_madd on three zero vectors: validates only where the browser has relaxed SIMD. */
const RELAXED_PROBE = Uint8Array.from([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  61,
  1,
  59,
  0,
  253,
  12,
  ...new Array<number>(16).fill(0),
  253,
  12,
  ...new Array<number>(16).fill(0),
  253,
  12,
  ...new Array<number>(16).fill(0),
  253,
  133,
  2,
  11,
]);

let enabled = true;
/** Turns the SIMD kernels off (the JavaScript loops serve), e.g. to test both paths against the CPU backend. */
export function setSimdKernels(on: boolean): void {
  enabled = on;
}

const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/**
 * This project's SIMD kernels on the memory of tfjs' WASM backend (`backend.wasm`), or null where they cannot
 * run (no SIMD, an unexpected tfjs build): callers then use their JavaScript loops. Relaxed-SIMD FMA is used
 * where the browser validates it. One instance per heap.
 */
export function simdKernels(emscripten: unknown): SimdKernels | null {
  if (!enabled) return null;
  const module = emscripten as EmscriptenModule | undefined;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (instances.has(memory)) return instances.get(memory)!;
  let kernels: SimdKernels | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const fma = WebAssembly.validate(RELAXED_PROBE);
    const bytes = decode(fma ? (shared ? relaxedShared : relaxed) : shared ? plainShared : plain);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    kernels = { ...(instance.exports as unknown as Omit<SimdKernels, 'relaxed'>), relaxed: fma };
  } catch {
    kernels = null; // e.g. a browser without WASM SIMD: the JavaScript loops serve
  }
  instances.set(memory, kernels);
  return kernels;
}
