import { expect, test } from '@playwright/test';
import { openHeadless } from './helpers';

/**
 * The kernels this project registers, against tfjs' own, where they really run: WASM in Chromium (threaded
 * memory, relaxed-SIMD FMA) and WebGPU (SwiftShader here). Node's unit tests cover CPU and plain-SIMD WASM.
 */
for (const backend of ['wasm', 'webgpu'] as const) {
  test(`fused optimizers, the fused convolution and the training gradients match tfjs on ${backend}`, async ({ page }) => {
    test.setTimeout(180_000);
    await openHeadless(page);
    const { checks, relaxedSimd } = await page.evaluate((b) => window.evonas.checkKernels(b), backend);
    console.log(JSON.stringify({ backend, relaxedSimd, checks }));
    expect(checks.length).toBe(8);
    for (const c of checks) expect(c.maxRelError, c.name).toBeLessThan(c.name.startsWith('adam') || c.name.startsWith('momentum') ? 1e-5 : 1e-4);
    // Chromium has relaxed SIMD: our WASM kernels run with fused multiply-add there
    expect(relaxedSimd).toBe(true);
  });
}
