import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * The adjoint of im2col (patch rows of kh * kw * cin, one row per output pixel): adds each row's window back
 * into an NHWC gradient, which must start zeroed. Plain index loops: with one or a few channels, per-tap
 * subarray views cost more than the arithmetic.
 */
export function col2im(cols: Float32Array, dx: Float32Array, c: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } =
    c;
  const { top, left } = c.padInfo;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * strideHeight - top + fy * dilationHeight;
          const rowInside = iy >= 0 && iy < inHeight;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * strideWidth - left + fx * dilationWidth;
            if (rowInside && ix >= 0 && ix < inWidth) {
              const at = image + (iy * inWidth + ix) * inChannels;
              for (let ch = 0; ch < inChannels; ch++) dx[at + ch]! += cols[o++]!;
            } else {
              o += inChannels;
            }
          }
        }
      }
    }
  }
}

/**
 * im2col transposed: `colsT` is (kh * kw * cin) x rows, so the filter gradient is a plain product
 * colsT . dy, which the WASM backend's matmul runs on its fast path (a transposed left operand is slow).
 */
export function im2colT(x: Float32Array, colsT: Float32Array, c: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, dilationHeight, dilationWidth } =
    c;
  const { top, left } = c.padInfo;
  const rows = batchSize * outHeight * outWidth;
  for (let fy = 0; fy < filterHeight; fy++) {
    for (let fx = 0; fx < filterWidth; fx++) {
      for (let ch = 0; ch < inChannels; ch++) {
        let o = ((fy * filterWidth + fx) * inChannels + ch) * rows;
        for (let n = 0; n < batchSize; n++) {
          const image = n * inHeight * inWidth * inChannels + ch;
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * strideHeight - top + fy * dilationHeight;
            if (iy < 0 || iy >= inHeight) {
              colsT.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            const rowStart = image + iy * inWidth * inChannels;
            for (let ox = 0; ox < outWidth; ox++) {
              const ix = ox * strideWidth - left + fx * dilationWidth;
              colsT[o++] = ix >= 0 && ix < inWidth ? x[rowStart + ix * inChannels]! : 0;
            }
          }
        }
      }
    }
  }
}
