/*
 * WASM SIMD kernels for the training ops tfjs' WASM backend lacks or runs slowly, compiled by
 * scripts/build-kernels.sh into kernels.wasm.ts. They work in place on tfjs' own heap (the module imports its
 * memory): every pointer is a byte offset there. No stack, no static data: nothing of ours lives in that memory.
 * RELAXED builds use relaxed-SIMD fused multiply-add where they accumulate products.
 */
#include <wasm_simd128.h>

typedef float f32;
typedef int i32;

#ifdef RELAXED
#define MADD(a, b, c) wasm_f32x4_relaxed_madd(a, b, c)
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)
#endif

/* Geometry of a 2-D window op over NHWC maps, as tfjs' Conv2DInfo gives it. */
#define GEOMETRY i32 n, i32 ih, i32 iw, i32 ic, i32 oh, i32 ow, i32 fh, i32 fw, i32 sh, i32 sw, i32 pt, i32 pl, i32 dh, i32 dw

/* Patches transposed: colsT[(ky, kx, c)][(b, y, x)], so dW = colsT . dy needs no transposed operand. */
__attribute__((export_name("im2col_t")))
void im2col_t(const f32 *x, f32 *cols, GEOMETRY) {
  const i32 rows = n * oh * ow;
  for (i32 ky = 0; ky < fh; ky++)
    for (i32 kx = 0; kx < fw; kx++)
      for (i32 c = 0; c < ic; c++) {
        f32 *o = cols + ((ky * fw + kx) * ic + c) * rows;
        for (i32 b = 0; b < n; b++) {
          const f32 *image = x + b * ih * iw * ic + c;
          for (i32 y = 0; y < oh; y++) {
            const i32 iy = y * sh - pt + ky * dh;
            if (iy < 0 || iy >= ih) {
              for (i32 xo = 0; xo < ow; xo++) *o++ = 0;
              continue;
            }
            const f32 *row = image + iy * iw * ic;
            for (i32 xo = 0; xo < ow; xo++) {
              const i32 ix = xo * sw - pl + kx * dw;
              *o++ = (ix >= 0 && ix < iw) ? row[ix * ic] : 0;
            }
          }
        }
      }
}

/* The adjoint of im2col (rows of fh * fw * ic per output pixel), added into dx, which must start zeroed. */
__attribute__((export_name("col2im")))
void col2im(const f32 *cols, f32 *dx, GEOMETRY) {
  for (i32 b = 0; b < n; b++) {
    f32 *image = dx + b * ih * iw * ic;
    for (i32 y = 0; y < oh; y++)
      for (i32 xo = 0; xo < ow; xo++)
        for (i32 ky = 0; ky < fh; ky++) {
          const i32 iy = y * sh - pt + ky * dh;
          for (i32 kx = 0; kx < fw; kx++, cols += ic) {
            const i32 ix = xo * sw - pl + kx * dw;
            if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
            f32 *at = image + (iy * iw + ix) * ic;
            i32 c = 0;
            for (; c + 4 <= ic; c += 4) wasm_v128_store(at + c, wasm_f32x4_add(wasm_v128_load(at + c), wasm_v128_load(cols + c)));
            for (; c < ic; c++) at[c] += cols[c];
          }
        }
  }
}

/*
 * Each window's gradient to the input position that won it: the first maximum in row-major window order (as
 * tfjs' CPU kernel). Four channels at a time: per window a running maximum and its position, then a scatter.
 */
__attribute__((export_name("max_pool_grad")))
void max_pool_grad(const f32 *x, const f32 *dy, f32 *dx, GEOMETRY) {
  (void)dh, (void)dw; /* pooling windows are not dilated; the shared geometry carries them */
  for (i32 b = 0; b < n; b++) {
    const f32 *image = x + b * ih * iw * ic;
    f32 *grad = dx + b * ih * iw * ic;
    for (i32 y = 0; y < oh; y++) {
      const i32 y0 = y * sh - pt < 0 ? 0 : y * sh - pt;
      const i32 y1 = y * sh - pt + fh > ih ? ih : y * sh - pt + fh;
      for (i32 xo = 0; xo < ow; xo++, dy += ic) {
        const i32 x0 = xo * sw - pl < 0 ? 0 : xo * sw - pl;
        const i32 x1 = xo * sw - pl + fw > iw ? iw : xo * sw - pl + fw;
        if (y0 >= y1 || x0 >= x1) continue;
        i32 c = 0;
        for (; c + 4 <= ic; c += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (i32 iy = y0; iy < y1; iy++)
            for (i32 ix = x0; ix < x1; ix++) {
              const i32 i = (iy * iw + ix) * ic + c;
              const v128_t v = wasm_v128_load(image + i);
              const v128_t wins = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, wins);
              at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(i), wasm_i32x4_make(0, 1, 2, 3)), at, wins);
            }
          const i32 a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1), a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
          if (a0 >= 0) grad[a0] += dy[c];
          if (a1 >= 0) grad[a1] += dy[c + 1];
          if (a2 >= 0) grad[a2] += dy[c + 2];
          if (a3 >= 0) grad[a3] += dy[c + 3];
        }
        for (; c < ic; c++) {
          f32 best = -__builtin_inff();
          i32 at = -1;
          for (i32 iy = y0; iy < y1; iy++)
            for (i32 ix = x0; ix < x1; ix++) {
              const i32 i = (iy * iw + ix) * ic + c;
              if (image[i] > best) {
                best = image[i];
                at = i;
              }
            }
          if (at >= 0) grad[at] += dy[c];
        }
      }
    }
  }
}

/*
 * Every (output pixel, filter tap) of a depthwise convolution that lands inside the input, with `g` the output
 * pixel's gradient (oc = ic * m values), `at` the input pixel's offset and `tap` the tap's offset in the filter.
 */
#define FOR_EACH_DEPTHWISE_TAP(BODY)                                                   \
  const i32 oc = ic * m;                                                               \
  for (i32 b = 0; b < n; b++)                                                          \
    for (i32 y = 0; y < oh; y++)                                                       \
      for (i32 xo = 0; xo < ow; xo++) {                                                \
        const f32 *g = dy + ((b * oh + y) * ow + xo) * oc;                             \
        for (i32 ky = 0; ky < fh; ky++) {                                              \
          const i32 iy = y * sh - pt + ky * dh;                                        \
          if (iy < 0 || iy >= ih) continue;                                            \
          for (i32 kx = 0; kx < fw; kx++) {                                            \
            const i32 ix = xo * sw - pl + kx * dw;                                     \
            if (ix < 0 || ix >= iw) continue;                                          \
            const i32 at = ((b * ih + iy) * iw + ix) * ic, tap = (ky * fw + kx) * oc;  \
            BODY                                                                       \
          }                                                                            \
        }                                                                              \
      }

/* Depthwise convolution (multiplier m = oc / ic): dx[b, iy, ix, c] += dy[b, y, x, c * m + k] * w[ky, kx, c, k]. */
__attribute__((export_name("depthwise_backprop_input")))
void depthwise_backprop_input(const f32 *dy, const f32 *w, f32 *dx, GEOMETRY, i32 m) {
  FOR_EACH_DEPTHWISE_TAP({
    f32 *out = dx + at;
    const f32 *wt = w + tap;
    if (m == 1) {
      i32 c = 0;
      for (; c + 4 <= ic; c += 4) wasm_v128_store(out + c, MADD(wasm_v128_load(g + c), wasm_v128_load(wt + c), wasm_v128_load(out + c)));
      for (; c < ic; c++) out[c] += g[c] * wt[c];
    } else {
      for (i32 c = 0; c < ic; c++) {
        f32 sum = 0;
        for (i32 k = 0; k < m; k++) sum += g[c * m + k] * wt[c * m + k];
        out[c] += sum;
      }
    }
  })
}

/* dw[ky, kx, c, k] += x[b, iy, ix, c] * dy[b, y, x, c * m + k]; dw must start zeroed. */
__attribute__((export_name("depthwise_backprop_filter")))
void depthwise_backprop_filter(const f32 *x, const f32 *dy, f32 *dwt, GEOMETRY, i32 m) {
  FOR_EACH_DEPTHWISE_TAP({
    const f32 *in = x + at;
    f32 *wt = dwt + tap;
    if (m == 1) {
      i32 c = 0;
      for (; c + 4 <= ic; c += 4) wasm_v128_store(wt + c, MADD(wasm_v128_load(in + c), wasm_v128_load(g + c), wasm_v128_load(wt + c)));
      for (; c < ic; c++) wt[c] += in[c] * g[c];
    } else {
      for (i32 c = 0; c < ic; c++)
        for (i32 k = 0; k < m; k++) wt[c * m + k] += in[c] * g[c * m + k];
    }
  })
}

/* Zeroes n floats (dx and dw start zeroed). */
__attribute__((export_name("zero")))
void zero(f32 *p, i32 count) {
  __builtin_memset(p, 0, (unsigned)count * sizeof(f32));
}

/* Column sums of a rows x cols matrix (a bias gradient: dy summed over batch and pixels), into out. */
__attribute__((export_name("column_sums")))
void column_sums(const f32 *m, f32 *out, i32 rows, i32 cols) {
  i32 c = 0;
  for (; c + 16 <= cols; c += 16) {
    v128_t a = wasm_f32x4_splat(0), b = a, d = a, e = a;
    for (i32 r = 0; r < rows; r++) {
      const f32 *row = m + r * cols + c;
      a = wasm_f32x4_add(a, wasm_v128_load(row));
      b = wasm_f32x4_add(b, wasm_v128_load(row + 4));
      d = wasm_f32x4_add(d, wasm_v128_load(row + 8));
      e = wasm_f32x4_add(e, wasm_v128_load(row + 12));
    }
    wasm_v128_store(out + c, a), wasm_v128_store(out + c + 4, b), wasm_v128_store(out + c + 8, d), wasm_v128_store(out + c + 12, e);
  }
  for (; c + 4 <= cols; c += 4) {
    v128_t a = wasm_f32x4_splat(0);
    for (i32 r = 0; r < rows; r++) a = wasm_f32x4_add(a, wasm_v128_load(m + r * cols + c));
    wasm_v128_store(out + c, a);
  }
  for (; c < cols; c++) {
    f32 s = 0;
    for (i32 r = 0; r < rows; r++) s += m[r * cols + c];
    out[c] = s;
  }
}

/*
 * C (m x n, row stride ldc) = A . B, where A(i, k) = a[i * sai + k * sak] and B's rows are contiguous:
 * B(k, j) = b[k * ldb + j]. Register blocks of 4 rows x 8 columns (eight accumulators, two B vectors and a
 * broadcast A value: eleven of the sixteen SIMD registers), each over the whole of k; tails by 1 row and by
 * 4 or 1 columns.
 */
#define ROW(r) const f32 *a##r = a + (i + r) * sai;
#define FMA8(r) acc##r##0 = MADD(av, b0, acc##r##0), acc##r##1 = MADD(av, b1, acc##r##1);

__attribute__((export_name("gemm")))
void gemm(const f32 *a, i32 sai, i32 sak, const f32 *b, i32 ldb, f32 *c, i32 ldc, i32 m, i32 n, i32 k) {
  i32 j = 0;
  for (; j + 8 <= n; j += 8) {
    i32 i = 0;
    for (; i + 4 <= m; i += 4) {
      ROW(0) ROW(1) ROW(2) ROW(3)
      v128_t acc00 = wasm_f32x4_splat(0), acc01 = acc00, acc10 = acc00, acc11 = acc00, acc20 = acc00, acc21 = acc00, acc30 = acc00, acc31 = acc00;
      const f32 *bk = b + j;
      for (i32 p = 0, ak = 0; p < k; p++, ak += sak, bk += ldb) {
        const v128_t b0 = wasm_v128_load(bk), b1 = wasm_v128_load(bk + 4);
        v128_t av;
        av = wasm_f32x4_splat(a0[ak]); FMA8(0)
        av = wasm_f32x4_splat(a1[ak]); FMA8(1)
        av = wasm_f32x4_splat(a2[ak]); FMA8(2)
        av = wasm_f32x4_splat(a3[ak]); FMA8(3)
      }
      f32 *cr = c + i * ldc + j;
      wasm_v128_store(cr, acc00), wasm_v128_store(cr + 4, acc01), cr += ldc;
      wasm_v128_store(cr, acc10), wasm_v128_store(cr + 4, acc11), cr += ldc;
      wasm_v128_store(cr, acc20), wasm_v128_store(cr + 4, acc21), cr += ldc;
      wasm_v128_store(cr, acc30), wasm_v128_store(cr + 4, acc31);
    }
    for (; i < m; i++) {
      ROW(0)
      v128_t acc00 = wasm_f32x4_splat(0), acc01 = acc00;
      const f32 *bk = b + j;
      for (i32 p = 0, ak = 0; p < k; p++, ak += sak, bk += ldb) {
        const v128_t b0 = wasm_v128_load(bk), b1 = wasm_v128_load(bk + 4);
        const v128_t av = wasm_f32x4_splat(a0[ak]);
        FMA8(0)
      }
      wasm_v128_store(c + i * ldc + j, acc00), wasm_v128_store(c + i * ldc + j + 4, acc01);
    }
  }
  for (; j + 4 <= n; j += 4) {
    i32 i = 0;
    for (; i + 4 <= m; i += 4) {
      ROW(0) ROW(1) ROW(2) ROW(3)
      v128_t acc0 = wasm_f32x4_splat(0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      const f32 *bk = b + j;
      for (i32 p = 0, ak = 0; p < k; p++, ak += sak, bk += ldb) {
        const v128_t b0 = wasm_v128_load(bk);
        acc0 = MADD(wasm_f32x4_splat(a0[ak]), b0, acc0);
        acc1 = MADD(wasm_f32x4_splat(a1[ak]), b0, acc1);
        acc2 = MADD(wasm_f32x4_splat(a2[ak]), b0, acc2);
        acc3 = MADD(wasm_f32x4_splat(a3[ak]), b0, acc3);
      }
      wasm_v128_store(c + i * ldc + j, acc0), wasm_v128_store(c + (i + 1) * ldc + j, acc1);
      wasm_v128_store(c + (i + 2) * ldc + j, acc2), wasm_v128_store(c + (i + 3) * ldc + j, acc3);
    }
    for (; i < m; i++) {
      const f32 *a0 = a + i * sai;
      v128_t acc = wasm_f32x4_splat(0);
      const f32 *bk = b + j;
      for (i32 p = 0, ak = 0; p < k; p++, ak += sak, bk += ldb) acc = MADD(wasm_f32x4_splat(a0[ak]), wasm_v128_load(bk), acc);
      wasm_v128_store(c + i * ldc + j, acc);
    }
  }
  for (; j < n; j++)
    for (i32 i = 0; i < m; i++) {
      const f32 *a0 = a + i * sai;
      f32 s = 0;
      for (i32 p = 0; p < k; p++) s += a0[p * sak] * b[p * ldb + j];
      c[i * ldc + j] = s;
    }
}

/* B transposed into contiguous rows: out(k, j) = b[j * ldb + k], for a gemm whose B is stored the other way. */
__attribute__((export_name("transpose")))
void transpose(const f32 *b, i32 ldb, f32 *out, i32 k, i32 n) {
  for (i32 j = 0; j < n; j++)
    for (i32 p = 0; p < k; p++) out[p * n + j] = b[j * ldb + p];
}

/* Patch rows for output pixels [r0, r1) (pixel r = (b, y, x) in row-major order): cols[r - r0][(ky, kx, c)]. */
__attribute__((export_name("im2col_rows")))
void im2col_rows(const f32 *x, f32 *cols, GEOMETRY, i32 r0, i32 r1) {
  (void)n;
  for (i32 r = r0; r < r1; r++) {
    const i32 b = r / (oh * ow), y = (r / ow) % oh, xo = r % ow;
    const f32 *image = x + b * ih * iw * ic;
    for (i32 ky = 0; ky < fh; ky++) {
      const i32 iy = y * sh - pt + ky * dh;
      for (i32 kx = 0; kx < fw; kx++, cols += ic) {
        const i32 ix = xo * sw - pl + kx * dw;
        if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) {
          for (i32 c = 0; c < ic; c++) cols[c] = 0;
          continue;
        }
        const f32 *at = image + (iy * iw + ix) * ic;
        i32 c = 0;
        for (; c + 4 <= ic; c += 4) wasm_v128_store(cols + c, wasm_v128_load(at + c));
        for (; c < ic; c++) cols[c] = at[c];
      }
    }
  }
}

/* Adds the bias to every row of a rows x cols matrix and applies ReLU when relu is 1: a convolution's epilogue. */
__attribute__((export_name("bias_activation")))
void bias_activation(f32 *m, const f32 *bias, i32 rows, i32 cols, i32 relu) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (i32 r = 0; r < rows; r++, m += cols) {
    i32 c = 0;
    for (; c + 4 <= cols; c += 4) {
      v128_t v = wasm_f32x4_add(wasm_v128_load(m + c), wasm_v128_load(bias + c));
      wasm_v128_store(m + c, relu ? wasm_f32x4_max(v, zero) : v);
    }
    for (; c < cols; c++) {
      const f32 v = m[c] + bias[c];
      m[c] = relu && v < 0 ? 0 : v;
    }
  }
}
