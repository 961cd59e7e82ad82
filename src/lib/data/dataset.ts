/** An image classification dataset as typed arrays: pixels in [0, maxValue], one label per image. */
export interface Dataset {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classNames: readonly string[];
  /** Row-major pixels, N x H x W x C. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  /** The largest pixel value of the format (16 for the digits, 255 for 8-bit images). */
  readonly maxValue: number;
}

/** Pixels scaled to [0, 1] as float32, for a list of image indices. */
export function normalizedPixels(d: Dataset, indices: ArrayLike<number>): Float32Array {
  const size = d.height * d.width * d.channels;
  const out = new Float32Array(indices.length * size);
  const scale = 1 / d.maxValue;
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]! * size;
    for (let j = 0; j < size; j++) out[i * size + j] = d.pixels[src + j]! * scale;
  }
  return out;
}

/** Labels for a list of image indices. */
export function labelsAt(d: Dataset, indices: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: indices.length }, (_, i) => d.labels[indices[i]!]!);
}

/** Images per class, for previews and stratification checks. */
export function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}
