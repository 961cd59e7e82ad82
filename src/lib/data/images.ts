import { err, ok, type Result } from '../core/result';
import type { Dataset } from './dataset';
import { dataError, type DataError } from './errors';
import { checkDatasetSize, FILE_LIMITS } from './files';

/** An image file from a chosen folder: its path inside the folder ("cat/1.png") and its contents. */
export interface ImageFile {
  readonly path: string;
  readonly blob: Blob;
}

export const IMAGE_FILE = /\.(png|jpe?g|gif|webp|bmp)$/i;

/** The class of an image is the name of the folder it sits in. */
const classOf = (path: string): string => path.split('/').slice(-2, -1)[0] ?? '';

/** Decodes an image, scaled to side x side when `side` is given (the browser's high-quality smoothing). */
async function decode(file: ImageFile, side: number | null): Promise<Result<ImageData, DataError>> {
  try {
    const bitmap = await createImageBitmap(file.blob);
    const canvas = new OffscreenCanvas(side ?? bitmap.width, side ?? bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) return err(dataError('not-an-image', 'This browser cannot read image pixels (no 2D canvas).'));
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return ok(context.getImageData(0, 0, canvas.width, canvas.height));
  } catch {
    return err(dataError('not-an-image', `${file.path} could not be decoded as an image; remove it or export it again as PNG or JPEG.`));
  }
}

/**
 * A dataset from a folder of class folders ("cat/1.png", "dog/7.jpg"), decoded by the browser. With `side`,
 * every image is resized to side x side; without, all must share one size. Greyscale when every pixel is
 * grey, else RGB. Errors name the file.
 */
export async function datasetFromImages(
  files: readonly ImageFile[],
  name: string,
  side: number | null = null,
  onProgress?: (decoded: number, total: number) => void,
): Promise<Result<Dataset, DataError>> {
  if (side !== null && !(Number.isInteger(side) && side >= 4 && side <= FILE_LIMITS.maxSide)) {
    return err(dataError('bad-shape', `Resize to ${side} px is not possible: choose a whole number of pixels from 4 to ${FILE_LIMITS.maxSide}.`));
  }
  const images = files.filter((f) => IMAGE_FILE.test(f.path));
  if (images.length === 0) return err(dataError('empty', 'The chosen folder holds no PNG, JPEG, GIF, WebP or BMP images.'));
  const classNames = [...new Set(images.map((f) => classOf(f.path)))].sort();
  if (classNames.length < 2 || classNames.includes('')) {
    return err(dataError('too-few-classes', "Choose a folder with one sub-folder per class (e.g. cat/, dog/), each holding that class's images."));
  }
  const decoded: { rgba: Uint8ClampedArray; label: number }[] = [];
  let size: { width: number; height: number; path: string } | null = null;
  for (const file of images) {
    const image = await decode(file, side);
    if (!image.ok) return image;
    const { width, height, data } = image.value;
    size ??= { width, height, path: file.path };
    if (width !== size.width || height !== size.height) {
      return err(
        dataError(
          'images-differ',
          `${file.path} is ${width}x${height} but ${size.path} is ${size.width}x${size.height}; all images must have one size: choose a size to resize them to.`,
        ),
      );
    }
    decoded.push({ rgba: data, label: classNames.indexOf(classOf(file.path)) });
    onProgress?.(decoded.length, images.length);
  }
  const { width, height } = size!;
  const grey = decoded.every(({ rgba }) => rgba.every((_, i) => i % 4 !== 0 || (rgba[i] === rgba[i + 1] && rgba[i] === rgba[i + 2])));
  const channels = grey ? 1 : 3;
  const pixels = new Uint8Array(decoded.length * width * height * channels);
  decoded.forEach(({ rgba }, n) => {
    for (let p = 0; p < width * height; p++) for (let c = 0; c < channels; c++) pixels[(n * width * height + p) * channels + c] = rgba[p * 4 + c]!;
  });
  return checkDatasetSize(
    { name, height, width, channels, classNames, pixels, labels: Uint8Array.from(decoded, (d) => d.label), maxValue: 255 },
    `The folder ${name}`,
  );
}
