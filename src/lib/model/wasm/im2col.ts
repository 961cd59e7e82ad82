import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Patches of an NHWC input as rows: row (n, oy, ox) holds the kh x kw x cin window that output pixel reads
 * (zeros where the window hangs over the padding). `cols` is rows x (kh * kw * cin), row-major.
 */
export function im2col(x: Float32Array, cols: Float32Array, c: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } = c;
  const { top, left } = c.padInfo;
  const rowLength = filterHeight * filterWidth * inChannels;
  let row = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        let o = row * rowLength;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight - top + fy * dilationHeight;
          for (let fx = 0; fx < filterWidth; fx++, o += inChannels) {
            const ix = ox * strideWidth - left + fx * dilationWidth;
            if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) cols.fill(0, o, o + inChannels);
            else cols.set(x.subarray(image + (iy * inWidth + ix) * inChannels, image + (iy * inWidth + ix + 1) * inChannels), o);
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each row's window back into an NHWC gradient (which must start zeroed). */
export function col2im(cols: Float32Array, dx: Float32Array, c: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } = c;
  const { top, left } = c.padInfo;
  const rowLength = filterHeight * filterWidth * inChannels;
  let row = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, row++) {
        let o = row * rowLength;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight - top + fy * dilationHeight;
          for (let fx = 0; fx < filterWidth; fx++, o += inChannels) {
            const ix = ox * strideWidth - left + fx * dilationWidth;
            if (iy < 0 || iy >= inHeight || ix < 0 || ix >= inWidth) continue;
            const at = image + (iy * inWidth + ix) * inChannels;
            for (let ch = 0; ch < inChannels; ch++) dx[at + ch]! += cols[o + ch]!;
          }
        }
      }
    }
  }
}
