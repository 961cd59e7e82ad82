import * as Plot from '@observablehq/plot';
import type { CandidateRecord } from '../records';
import { OBJECTIVE_INFO, type ObjectiveId } from '../search/objectives';
import { FRONT, OTHER } from './palette';
import { displayValue } from './values';
import { plotSample } from './sample';
import { extent } from '../core/stats';

/**
 * Parallel coordinates: one vertical axis per objective, each scaled from its best (bottom) to its worst (top)
 * value over the run, one line per candidate; the front in colour, the rest grey. The axes' ends are labelled
 * with their real values.
 */
export function parallelChart(
  candidates: readonly CandidateRecord[],
  front: ReadonlySet<string>,
  objectives: readonly ObjectiveId[],
  width = 560,
): SVGSVGElement | HTMLElement {
  const done = candidates.filter((c) => c.status === 'done');
  const ranges = objectives.map((id) => {
    const values = done.map((c) => displayValue(c.metrics, id)).filter(Number.isFinite);
    const [lo, hi] = extent(values) ?? [0, 1];
    return { id, lo, hi };
  });
  const scaled = (c: CandidateRecord, k: number) => {
    const { id, lo, hi } = ranges[k]!;
    const v = displayValue(c.metrics, id);
    return Number.isFinite(v) ? (hi > lo ? (v - lo) / (hi - lo) : 0.5) : 1;
  };
  // grey lines first, so the front's are drawn on top
  const ordered = plotSample(done, (c) => front.has(c.id)).sort((a, b) => Number(front.has(a.id)) - Number(front.has(b.id)));
  const rows = ordered.flatMap((c) => objectives.map((id, k) => ({ seq: c.seq, axis: OBJECTIVE_INFO[id].label, v: scaled(c, k), onFront: front.has(c.id) })));
  const ends = ranges.flatMap(({ id, lo, hi }) => [
    { axis: OBJECTIVE_INFO[id].label, v: 0, text: shortNumber(lo) },
    { axis: OBJECTIVE_INFO[id].label, v: 1, text: shortNumber(hi) },
  ]);
  return Plot.plot({
    width,
    height: 260,
    marginTop: 24,
    marginBottom: 36,
    x: { domain: objectives.map((id) => OBJECTIVE_INFO[id].label), label: null, padding: 0.15 },
    y: { domain: [0, 1], axis: null },
    marks: [
      Plot.ruleX(
        objectives.map((id) => OBJECTIVE_INFO[id].label),
        { stroke: '#868e96' },
      ),
      Plot.line(rows, {
        x: 'axis',
        y: 'v',
        z: 'seq',
        stroke: (d: { onFront: boolean }) => (d.onFront ? FRONT : OTHER),
        strokeOpacity: (d: { onFront: boolean }) => (d.onFront ? 0.9 : 0.45),
        title: (d: { seq: number }) => `#${d.seq}`,
      }),
      Plot.text(ends, { x: 'axis', y: 'v', text: 'text', dx: 4, textAnchor: 'start', fill: '#495057', fontSize: 10 }),
    ],
  });
}

function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(v / 1e3).toPrecision(3)}k`;
  return v.toPrecision(3);
}
