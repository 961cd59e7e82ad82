import { classCounts, type Dataset } from './dataset';

/** What a person sees of a dataset before searching: its shape, images per class and a few images of each. */
export interface DatasetPreview {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly maxValue: number;
  readonly classNames: readonly string[];
  readonly counts: readonly number[];
  /** The first `perClass` images of each of the first `maxClasses` classes, in class order. */
  readonly samples: readonly { readonly label: number; readonly pixels: Uint8Array }[];
}

export function previewOf(d: Dataset, perClass = 4, maxClasses = 20): DatasetPreview {
  const size = d.height * d.width * d.channels;
  const classes = Math.min(d.classNames.length, maxClasses);
  const picked: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < d.labels.length; i++) {
    const label = d.labels[i]!;
    if (label < classes && picked[label]!.length < perClass) picked[label]!.push(i);
  }
  const samples = picked.flatMap((indices, label) => indices.map((i) => ({ label, pixels: d.pixels.slice(i * size, (i + 1) * size) })));
  return {
    name: d.name,
    height: d.height,
    width: d.width,
    channels: d.channels,
    maxValue: d.maxValue,
    classNames: d.classNames,
    counts: classCounts(d.labels, d.classNames.length),
    samples,
  };
}

/** A sample's pixels as RGBA bytes for an ImageData, scaled from [0, maxValue] to [0, 255]. */
export function rgbaOf(p: Pick<DatasetPreview, 'height' | 'width' | 'channels' | 'maxValue'>, pixels: Uint8Array): Uint8ClampedArray {
  const n = p.height * p.width;
  const out = new Uint8ClampedArray(n * 4);
  const scale = 255 / p.maxValue;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = pixels[i * p.channels + (p.channels === 1 ? 0 : c)]! * scale;
    out[i * 4 + 3] = 255;
  }
  return out;
}
