import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { calibrationGrid } from '../../src/lib/costmodel/grid';
import { fitKernelModel, fitKernelModelCrossValidated } from '../../src/lib/costmodel/kernelFit';
import { dispatchOf, kernelMs, kernelNetworkMs, kernelsMs, KERNEL_TERMS, scaledKernelModel, type KernelModel } from '../../src/lib/costmodel/kernelModel';
import { fitKinds, fitNetwork, networkFeatures, predictNetworkMs, type CostModel } from '../../src/lib/costmodel/model';
import { kernelOpSamples, refinedModel } from '../../src/lib/costmodel/online';
import { KERNEL_KINDS, networkKernels, opKernels, type KernelInstance } from '../../src/lib/costmodel/runtimeKernels';
import { opInstanceOf } from '../../src/lib/costmodel/features';
import { lowerGenome, type GraphNode } from '../../src/lib/genome/graph';
import { sampleGenome } from '../../src/lib/genome/sample';
import type { CostProfile } from '../../src/lib/measure/profile';
import { layerCosts } from '../../src/lib/run/layerCosts';
import { FASHION_LIMITS } from './helpers';

/** A device whose kernels cost what per-kind terms say, and whose networks pay a constant and a dispatch per kernel. */
function syntheticDevice(seed: number, slowdown = 1): KernelModel {
  const rng = Rng.fromSeed(seed);
  const terms = Object.fromEntries(
    KERNEL_KINDS.map((k) => [
      k,
      Object.fromEntries(
        KERNEL_TERMS.map((t) => {
          const scale = {
            count: 0.002 + 0.01 * rng.next(),
            mMacs: 0.5,
            mIn: 1,
            mOut: 0.5,
            mLoops: 2,
            mMacs1x1: 0.1,
            mMacs5x5: 0.1,
            mMacs7x7: 0.5,
            mPaddingMacs: 0.2,
            mPixels: 1,
            mTaps: 0.2,
            mValidMacs: 0.3,
          }[t];
          return [t, t === 'count' ? scale * slowdown : scale * rng.next() * slowdown];
        }),
      ),
    ]),
  ) as KernelModel['terms'];
  return { version: 1, terms, constantMs: 0.03 * slowdown, dispatchMs: 0.002 * slowdown };
}

const networks = (n: number, seed: number): (readonly GraphNode[])[] => {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => lowerGenome(sampleGenome(FASHION_LIMITS, rng), FASHION_LIMITS).nodes);
};

const within10 = (model: CostModel, nets: readonly (readonly GraphNode[])[], truth: (k: readonly KernelInstance[]) => number): number =>
  nets.filter((nodes) => Math.abs(predictNetworkMs(model, nodes) / truth(networkKernels(nodes)) - 1) <= 0.1).length / nets.length;

describe('the kernel-level latency model', () => {
  const device = syntheticDevice(1);
  const truth = (k: readonly KernelInstance[]) => kernelNetworkMs(device, k);
  const grid = calibrationGrid('full', 28, 1, Rng.fromSeed(2));
  // microbenchmarks run ops alone, hot: cheaper than inside a network, so they can only be a weak prior
  const opSamples = grid.map((point) => ({ op: opInstanceOf(point.spec, point.input)!, ms: 0.7 * truth(opKernels(point.spec, point.input)), point }));

  it('recovers a device that costs kernels per kind, from whole networks with the microbenchmarks as prior', () => {
    const fit = networks(120, 3);
    const model = fitKernelModel(
      fit.map((nodes) => ({ kernels: networkKernels(nodes), measuredMs: truth(networkKernels(nodes)) })),
      kernelOpSamples(opSamples),
    );
    expect(model.version).toBe(1);
    const heldOut = networks(40, 4);
    const errors = heldOut.map((nodes) => Math.abs(kernelNetworkMs(model, networkKernels(nodes)) / truth(networkKernels(nodes)) - 1));
    expect(Math.max(...errors)).toBeLessThan(0.05);
    // every coefficient stays non-negative: no network can be predicted to cost less than its parts
    for (const k of KERNEL_KINDS) for (const t of KERNEL_TERMS) expect(model.terms[k][t]).toBeGreaterThanOrEqual(0);
  });

  it('refines a calibration with the networks a search measured on a slower device state', () => {
    const fit = networks(60, 5);
    const kinds = fitKinds(opSamples);
    const networkSamples = fit.map((nodes) => ({ ...networkFeatures(kinds, nodes), measuredMs: truth(networkKernels(nodes)), kernels: networkKernels(nodes) }));
    const base = {
      model: {
        kinds,
        network: fitNetwork(networkSamples),
        kernels: fitKernelModel(
          networkSamples.map((s) => ({ kernels: s.kernels, measuredMs: s.measuredMs })),
          kernelOpSamples(opSamples),
        ),
      },
      networkSamples,
      opSamples,
    };
    // the search's networks run 1.5x as long as the calibration's (a throttled or busier device)
    const slower = syntheticDevice(1, 1.5);
    const slowTruth = (k: readonly KernelInstance[]) => kernelNetworkMs(slower, k);
    const searched = networks(80, 6).map((nodes) => ({ nodes, measuredMs: slowTruth(networkKernels(nodes)) }));
    const heldOut = networks(30, 7);
    const refined = refinedModel(base, searched)!;
    expect(within10(base.model, heldOut, slowTruth)).toBe(0);
    expect(within10(refined, heldOut, slowTruth)).toBeGreaterThan(0.5);
    expect(refinedModel(base, [])).toBe(base.model);
  });

  it('fits per-kernel terms on kernel timings inside networks where whole networks are noisy, chosen by cross-validation', () => {
    const rng = Rng.fromSeed(11);
    // whole-network times off by up to ±12% each (a noisy device), every kernel's own time exact
    const sample = (nodes: readonly GraphNode[]) => {
      const kernels = networkKernels(nodes);
      return { kernels, measuredMs: truth(kernels) * (0.88 + 0.24 * rng.next()), kernelMs: kernels.map((k) => kernelMs(device, k)) };
    };
    const fit = networks(100, 12).map(sample);
    const heldOut = networks(40, 13);
    const share = (model: KernelModel) =>
      heldOut.filter((nodes) => Math.abs(kernelNetworkMs(model, networkKernels(nodes)) / truth(networkKernels(nodes)) - 1) <= 0.05).length / heldOut.length;
    const withTimings = fitKernelModelCrossValidated(fit, []);
    expect(withTimings.timingWeight).toBeGreaterThan(0);
    expect(withTimings.dispatchMs).toBeGreaterThan(0);
    expect(share(withTimings)).toBeGreaterThan(share(fitKernelModel(fit, [])));
    expect(share(withTimings)).toBeGreaterThan(0.9);
    // timings that misstate every conv (a profiler that charges them its own overhead) are left out
    const misleading = fit.map((n) => ({
      ...n,
      measuredMs: truth(n.kernels),
      kernelMs: n.kernels.map((k, i) => n.kernelMs[i]! * (k.kind === 'conv' ? 3 : 1)),
    }));
    expect(fitKernelModelCrossValidated(misleading, []).timingWeight).toBe(0);
  });

  it('trusts a search candidate timed in quiet more than one whose samples scattered (timed while disturbed)', () => {
    const nets = networks(30, 14);
    // every third candidate was timed while something else ran: 40% slower, its samples spread by half
    const measured = nets.map((nodes, i) => ({ nodes, measuredMs: truth(networkKernels(nodes)) * (i % 3 ? 1 : 1.4), spread: i % 3 ? 0.05 : 0.5 }));
    const heldOut = networks(30, 15);
    const share = (model: CostModel) =>
      heldOut.filter((nodes) => Math.abs(predictNetworkMs(model, nodes) / truth(networkKernels(nodes)) - 1) <= 0.1).length / heldOut.length;
    const trusting = refinedModel(null, measured)!;
    const blind = refinedModel(
      null,
      measured.map(({ nodes, measuredMs }) => ({ nodes, measuredMs })),
    )!;
    expect(share(trusting)).toBeGreaterThan(share(blind));
    expect(share(trusting)).toBeGreaterThan(0.6);
  });

  it("learns each kind from the kernels timed inside a search's first candidates, without a calibration", () => {
    // eight candidates, each with its kernels' own times (as the WASM and CPU backends profile them)
    const measured = networks(8, 16).map((nodes) => {
      const kernels = networkKernels(nodes);
      return { nodes, measuredMs: truth(kernels), kernelMs: kernels.map((k) => kernelMs(device, k)) };
    });
    const heldOut = networks(40, 17);
    const timed = refinedModel(null, measured)!;
    const untimed = refinedModel(
      null,
      measured.map(({ nodes, measuredMs }) => ({ nodes, measuredMs })),
    )!;
    expect(timed.kernels!.timingWeight).toBeGreaterThan(0);
    expect(within10(timed, heldOut, truth)).toBeGreaterThanOrEqual(0.9);
    expect(within10(timed, heldOut, truth)).toBeGreaterThan(within10(untimed, heldOut, truth) + 0.1);
  });

  it('fits what the engine does around each kind of kernel where a convolution costs more around it than an add', () => {
    // a fused convolution's bookkeeping costs 10x an element-wise kernel's, as on WASM (~5 µs against ~0.5)
    const kindDispatchMs = Object.fromEntries(KERNEL_KINDS.map((k) => [k, k === 'conv' ? 0.02 : 0.002]));
    const uneven: KernelModel = { ...device, kindDispatchMs };
    const unevenTruth = (k: readonly KernelInstance[]) => kernelNetworkMs(uneven, k);
    const timed = (nodes: readonly GraphNode[]) => {
      const kernels = networkKernels(nodes);
      return { kernels, measuredMs: unevenTruth(kernels), kernelMs: kernels.map((k) => kernelMs(uneven, k)) };
    };
    const fit = networks(60, 18).map(timed);
    const heldOut = networks(60, 19).map((nodes) => networkKernels(nodes));
    const worst = (model: KernelModel) => Math.max(...heldOut.map((k) => Math.abs(kernelNetworkMs(model, k) / unevenTruth(k) - 1)));
    const options = { timingWeight: 0.1 };
    const oneForAll = fitKernelModel(fit, [], options);
    const perKind = fitKernelModel(fit, [], { ...options, kindDispatch: { priorMs: 0.005, weight: 0.001 } });
    expect(perKind.kindDispatchMs!.conv! / 0.02).toBeGreaterThan(0.85);
    expect(perKind.kindDispatchMs!.add!).toBeLessThan(0.005);
    expect(worst(perKind)).toBeLessThan(0.05);
    expect(worst(perKind)).toBeLessThan(worst(oneForAll) / 3);
    // a kind the networks never ran keeps the prior, and a model without per-kind figures uses its one dispatch
    expect(dispatchOf({ ...perKind, kindDispatchMs: { conv: 0.02 } }, 'add')).toBe(0.005);
    expect(dispatchOf(device, 'conv')).toBe(device.dispatchMs);
    // a slower device state scales the dispatches with everything else
    const slower = scaledKernelModel(perKind, 2);
    expect(kernelsMs(slower, heldOut[0]!)).toBeCloseTo(2 * kernelsMs(perKind, heldOut[0]!), 9);
  });

  it("prices a search's 7x7 depthwise kernels from their own timings, where the shared terms under-price them", () => {
    // XNNPACK's depthwise costs ~4x per multiply-add at 5x5 and 7x7 what it does at 3x3
    const windowed: KernelModel = { ...device, terms: { ...device.terms, depthwise: { ...device.terms.depthwise, mMacs5x5: 2, mMacs7x7: 2 } } };
    const windowedTruth = (k: readonly KernelInstance[]) => kernelNetworkMs(windowed, k);
    const wide = (nodes: readonly GraphNode[]) => networkKernels(nodes).some((k) => k.kind === 'depthwise' && (k.window ?? 0) >= 5);
    const measured = networks(20, 20).map((nodes) => {
      const kernels = networkKernels(nodes);
      return { nodes, measuredMs: windowedTruth(kernels), kernelMs: kernels.map((k) => kernelMs(windowed, k)) };
    });
    expect(measured.filter((m) => wide(m.nodes)).length).toBeGreaterThan(2);
    const heldOut = networks(120, 21).filter(wide);
    expect(heldOut.length).toBeGreaterThan(10);
    expect(within10(refinedModel(null, measured)!, heldOut, windowedTruth)).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps predicting with the per-op terms a profile stored before the kernel model has', () => {
    const nodes = networks(1, 8)[0]!;
    const kinds = fitKinds(opSamples);
    const old: CostModel = { kinds, network: fitNetwork([]) };
    const refined = refinedModel({ model: old, networkSamples: [], opSamples }, [{ nodes, measuredMs: 2 }])!;
    expect(refined.kernels).toBeUndefined();
    expect(predictNetworkMs(refined, nodes)).toBeGreaterThan(0);
  });

  it('splits a candidate over its layers by their kernels, the per-inference constant unowned', () => {
    const nodes = networks(1, 9)[0]!;
    const model: CostModel = { kinds: fitKinds(opSamples), network: fitNetwork([]), kernels: device };
    const costs = layerCosts(nodes, 1, 1, { id: 'p', model } as unknown as CostProfile);
    expect(costs.overheadShare).toBeCloseTo(device.constantMs / truth(networkKernels(nodes)), 9);
    expect(costs.layers.reduce((s, l) => s + l.share, 0) + costs.overheadShare).toBeCloseTo(1, 9);
    nodes.forEach((n, i) => {
      const own = opKernels(n.spec, n.inputShape).reduce((s, k) => s + kernelMs(device, k) + device.dispatchMs!, 0);
      expect(costs.layers[i]!.share).toBeCloseTo(own / truth(networkKernels(nodes)), 6);
    });
  });
});
