import * as Plot from '@observablehq/plot';
import type { EpochLog } from '../model/train';
import type { CandidateRecord } from '../records';
import type { AlgorithmName } from '../search/algorithm';
import type { ObjectiveId } from '../search/objectives';
import { axisLabel, displayValue } from './values';

import { FRONT, OTHER } from './palette';
import { plotSample } from './sample';
import { extent } from '../core/stats';

/** Data extent padded by 5%; a single value gets a visible range around it (Plot draws a zero-width domain badly). */
function paddedDomain(values: readonly number[]): [number, number] | undefined {
  const range = extent(values.filter(Number.isFinite));
  if (range === null) return undefined;
  const [lo, hi] = range;
  const pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(lo) * 0.1, 1e-3);
  return [lo - pad, hi + pad];
}

/**
 * Scatter of two objectives, the run's Pareto front highlighted and joined by a step line. With `colour`, a third
 * objective shades every dot (darker = lower), so three objectives read at once; the front stays outlined.
 */
export function paretoChart(
  candidates: readonly CandidateRecord[],
  front: ReadonlySet<string>,
  x: ObjectiveId,
  y: ObjectiveId,
  width = 560,
  colour: ObjectiveId | null = null,
): SVGSVGElement | HTMLElement {
  const rows = candidates
    .filter((c) => c.status === 'done')
    .map((c) => ({
      id: c.id,
      seq: c.seq,
      x: displayValue(c.metrics, x),
      y: displayValue(c.metrics, y),
      z: colour ? displayValue(c.metrics, colour) : 0,
      onFront: front.has(c.id),
    }));
  const frontRows = rows.filter((r) => r.onFront).sort((a, b) => a.x - b.x || a.y - b.y);
  // the axes span every candidate; the dots are the front and a bounded sample of the rest
  const drawn = plotSample(rows, (r) => r.onFront);
  const title = (d: { seq: number; z: number }) => (colour ? `#${d.seq} · ${axisLabel(colour)} ${d.z.toPrecision(3)}` : `#${d.seq}`);
  return Plot.plot({
    width,
    height: Math.round(width * 0.62),
    grid: true,
    x: { label: axisLabel(x), domain: paddedDomain(rows.map((r) => r.x)) },
    y: { label: axisLabel(y), domain: paddedDomain(rows.map((r) => r.y)) },
    ...(colour
      ? { color: { type: 'linear' as const, scheme: 'viridis' as const, legend: true, label: axisLabel(colour), domain: paddedDomain(rows.map((r) => r.z)) } }
      : {}),
    marks: [
      Plot.line(frontRows, { x: 'x', y: 'y', z: null, stroke: FRONT, strokeOpacity: 0.4, curve: 'step-after' }),
      colour
        ? Plot.dot(drawn, {
            x: 'x',
            y: 'y',
            r: 5,
            fill: 'z',
            stroke: (d: { onFront: boolean }) => (d.onFront ? FRONT : 'white'),
            strokeWidth: (d: { onFront: boolean }) => (d.onFront ? 2.5 : 1),
            title,
          })
        : Plot.dot(drawn, { x: 'x', y: 'y', r: 5, fill: (d: { onFront: boolean }) => (d.onFront ? FRONT : OTHER), stroke: 'white', title }),
    ],
  });
}

/**
 * Hypervolume after each evaluation, drawn as the step function it is: only the evaluations that moved it are
 * points (a run of 20,000 candidates is a few hundred steps), dotted while there are few enough to see.
 */
export function hypervolumeChart(curve: readonly { seq: number; hv: number }[], width = 360): SVGSVGElement | HTMLElement {
  const steps = curve.flatMap((p, i) => (i === 0 || i === curve.length - 1 || p.hv !== curve[i - 1]!.hv ? [{ n: i + 1, hv: p.hv }] : []));
  return Plot.plot({
    width,
    height: 200,
    grid: true,
    x: { label: 'Evaluations', domain: [1, Math.max(2, curve.length)], ticks: Math.min(10, Math.max(2, curve.length)), tickFormat: 'd' },
    y: { label: 'Hypervolume (share of reference box)', domain: [0, 1] },
    marks: [Plot.line(steps, { x: 'n', y: 'hv', z: null, stroke: FRONT, curve: 'step-after', ...(steps.length <= 200 ? { marker: 'dot' as const } : {}) })],
  });
}

/** Training and validation accuracy per epoch of one candidate. */
export function epochChart(epochs: readonly EpochLog[], width = 360): SVGSVGElement | HTMLElement {
  const lastEpoch = Math.max(2, ...epochs.map((e) => e.epoch));
  const rows = epochs.flatMap((e) => [
    { epoch: e.epoch, accuracy: e.accuracy * 100, split: 'train' },
    { epoch: e.epoch, accuracy: e.valAccuracy * 100, split: 'validation' },
  ]);
  return Plot.plot({
    width,
    height: 200,
    grid: true,
    color: { legend: true, domain: ['train', 'validation'], range: ['#1c7ed6', FRONT] },
    x: { label: 'Epoch', domain: [1, lastEpoch], ticks: Array.from({ length: lastEpoch }, (_, i) => i + 1), tickFormat: 'd' },
    y: { label: 'Accuracy (%)', domain: [0, 100] },
    marks: [Plot.line(rows, { x: 'epoch', y: 'accuracy', z: 'split', stroke: 'split', marker: 'dot' })],
  });
}

/** A chart as a standalone SVG document (for files written by the headless runner and exports). */
export function standaloneSvg(chart: SVGSVGElement | HTMLElement): string {
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  if (!svg) throw new Error('chart has no SVG');
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${copy.outerHTML}\n`;
}

/** Predicted against measured latency of held-out networks, with the identity line and a +-10% band. */
export function calibrationChart(pairs: readonly { predictedMs: number; measuredMs: number }[], width = 300): SVGSVGElement | HTMLElement {
  const hi = Math.max(1e-3, ...pairs.flatMap((p) => [p.predictedMs, p.measuredMs])) * 1.05;
  const line = [
    { x: 0, y: 0 },
    { x: hi, y: hi },
  ];
  return Plot.plot({
    width,
    height: width,
    grid: true,
    x: { label: 'Measured (ms)', domain: [0, hi] },
    y: { label: 'Predicted (ms)', domain: [0, hi] },
    marks: [
      Plot.areaY(line, { x: 'x', y1: (d: { y: number }) => d.y * 0.9, y2: (d: { y: number }) => d.y * 1.1, fill: '#e7f5ff' }),
      Plot.line(line, { x: 'x', y: 'y', z: null, stroke: '#adb5bd' }),
      Plot.dot(pairs, { x: 'measuredMs', y: 'predictedMs', r: 3, fill: FRONT }),
    ],
  });
}

const ALGORITHM_COLORS: Record<AlgorithmName, string> = { random: '#adb5bd', nsga2: '#1c7ed6', aging: '#37b24d', ours: FRONT, ga: '#7048e8' };

/** Benchmark mode: the table's true front and the points one search has looked up so far. */
export function benchFrontChart(
  trueFront: readonly (readonly [number, number])[],
  points: readonly (readonly [number, number])[],
  costLabel: string,
  width = 520,
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height: Math.round(width * 0.62),
    grid: true,
    x: { label: costLabel, domain: paddedDomain(trueFront.map((p) => p[1])) },
    y: { label: 'Error (%)', domain: paddedDomain(trueFront.map((p) => p[0])) },
    marks: [
      Plot.line(trueFront, {
        x: (d: readonly number[]) => d[1],
        y: (d: readonly number[]) => d[0],
        z: null,
        curve: 'step-after',
        stroke: '#adb5bd',
        strokeDasharray: '4 3',
      }),
      Plot.dot(points, { x: (d: readonly number[]) => d[1], y: (d: readonly number[]) => d[0], r: 3, fill: FRONT, fillOpacity: 0.7 }),
    ],
  });
}

/** Benchmark mode: hypervolume ratio over evaluations, one line per algorithm. */
export function benchHvChart(
  traces: readonly { algorithm: AlgorithmName; hvRatio: readonly number[] }[],
  step: number,
  width = 420,
): SVGSVGElement | HTMLElement {
  const rows = traces.flatMap((t) => t.hvRatio.slice(0, step).map((hv, i) => ({ algorithm: t.algorithm, n: i + 1, hv })));
  return Plot.plot({
    width,
    height: 240,
    grid: true,
    color: { legend: true, domain: traces.map((t) => t.algorithm), range: traces.map((t) => ALGORITHM_COLORS[t.algorithm]) },
    x: { label: 'Evaluations', domain: [1, Math.max(2, ...traces.map((t) => t.hvRatio.length))] },
    y: { label: 'HV ratio', domain: [Math.min(0.8, ...rows.map((r) => r.hv)), 1] },
    marks: [Plot.line(rows, { x: 'n', y: 'hv', z: 'algorithm', stroke: 'algorithm' })],
  });
}
