import * as Plot from '@observablehq/plot';
import type { EpochLog } from '../model/train';
import type { CandidateRecord } from '../run/records';
import type { ObjectiveId } from '../search/objectives';
import { axisLabel, displayValue } from './values';

const FRONT = '#d9480f';
const OTHER = '#adb5bd';

/** Scatter of two objectives, the run's Pareto front highlighted and joined by a step line. */
export function paretoChart(candidates: readonly CandidateRecord[], front: ReadonlySet<string>, x: ObjectiveId, y: ObjectiveId, width = 560): SVGSVGElement | HTMLElement {
  const rows = candidates
    .filter((c) => c.status === 'done')
    .map((c) => ({ id: c.id, seq: c.seq, x: displayValue(c.metrics, x), y: displayValue(c.metrics, y), onFront: front.has(c.id) }));
  const frontRows = rows.filter((r) => r.onFront).sort((a, b) => a.x - b.x || a.y - b.y);
  return Plot.plot({
    width,
    height: Math.round(width * 0.62),
    grid: true,
    x: { label: axisLabel(x), nice: true },
    y: { label: axisLabel(y), nice: true },
    marks: [
      Plot.line(frontRows, { x: 'x', y: 'y', stroke: FRONT, strokeOpacity: 0.4, curve: 'step-after' }),
      Plot.dot(rows, { x: 'x', y: 'y', r: 5, fill: (d: { onFront: boolean }) => (d.onFront ? FRONT : OTHER), stroke: 'white', title: (d: { seq: number }) => `#${d.seq}` }),
    ],
  });
}

/** Hypervolume after each evaluation. */
export function hypervolumeChart(curve: readonly { seq: number; hv: number }[], width = 360): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height: 200,
    grid: true,
    x: { label: 'Evaluations', nice: true },
    y: { label: 'Hypervolume (normalised)', domain: [0, Math.max(0.01, ...curve.map((p) => p.hv)) * 1.05] },
    marks: [Plot.line(curve.map((p, i) => ({ n: i + 1, hv: p.hv })), { x: 'n', y: 'hv', stroke: FRONT, marker: 'dot' })],
  });
}

/** Training and validation accuracy per epoch of one candidate. */
export function epochChart(epochs: readonly EpochLog[], width = 360): SVGSVGElement | HTMLElement {
  const rows = epochs.flatMap((e) => [
    { epoch: e.epoch, accuracy: e.accuracy * 100, split: 'train' },
    { epoch: e.epoch, accuracy: e.valAccuracy * 100, split: 'validation' },
  ]);
  return Plot.plot({
    width,
    height: 200,
    grid: true,
    color: { legend: true, domain: ['train', 'validation'], range: ['#1c7ed6', FRONT] },
    x: { label: 'Epoch', domain: [1, Math.max(2, ...epochs.map((e) => e.epoch))], ticks: Math.max(2, epochs.length) },
    y: { label: 'Accuracy (%)', domain: [0, 100] },
    marks: [Plot.line(rows, { x: 'epoch', y: 'accuracy', stroke: 'split', marker: 'dot' })],
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
