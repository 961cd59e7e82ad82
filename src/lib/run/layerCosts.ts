import { kernelsMs } from '../costmodel/kernelModel';
import { GROUP_OF, predictOps } from '../costmodel/model';
import { opKernels } from '../costmodel/runtimeKernels';
import type { GraphNode } from '../genome/graph';
import type { CostProfile } from '../measure/profile';

/** One layer's part of a candidate's measured latency and energy. */
export interface LayerCost {
  readonly name: string;
  /** Share of the whole network's cost, in [0, 1]. */
  readonly share: number;
  /** The measured batch-1 latency (ms) apportioned by `share`. */
  readonly latencyMs: number;
  /** The estimated energy per inference (mJ) apportioned by `share`. */
  readonly energyMj: number;
}

export interface LayerCosts {
  readonly layers: readonly LayerCost[];
  /** What the shares rest on: this device's calibrated latency model, or FLOPs when there is no calibration. */
  readonly basis: 'calibrated' | 'flops';
  /** Share of the fixed per-inference overhead (launch, synchronisation) that no layer owns; 0 by FLOPs. */
  readonly overheadShare: number;
}

/**
 * Splits a candidate's measured latency and energy over its layers. Shares come from the calibrated
 * predictions when the run's device has a profile: each layer's kernels by the kernel model (its per-inference
 * constant stays unowned), or in a profile that predates it the per-op terms scaled by their group plus the
 * per-op cost; else from each layer's FLOPs. Energy follows latency (power x time here).
 */
export function layerCosts(nodes: readonly GraphNode[], latencyMs: number, energyMj: number, profile: CostProfile | null): LayerCosts {
  const weights = new Map<string, number>();
  const kernelModel = profile?.model.kernels;
  const network = profile?.model.network;
  if (kernelModel) for (const n of nodes) weights.set(n.name, kernelsMs(kernelModel, opKernels(n.spec, n.inputShape)));
  else if (profile && network)
    for (const op of predictOps(profile.model.kinds, nodes)) weights.set(op.name, Math.max(0, network.scale[GROUP_OF[op.kind]] * op.ms + network.perOpMs));
  else for (const n of nodes) weights.set(n.name, n.flops);
  const overhead = kernelModel ? kernelModel.constantMs : network ? Math.max(0, network.overheadMs) : 0;
  const total = [...weights.values()].reduce((a, b) => a + b, 0) + overhead;
  const layers = nodes.map((n) => {
    const share = total > 0 ? (weights.get(n.name) ?? 0) / total : 0;
    return { name: n.name, share, latencyMs: share * latencyMs, energyMj: share * energyMj };
  });
  return { layers, basis: profile ? 'calibrated' : 'flops', overheadShare: total > 0 ? overhead / total : 0 };
}
