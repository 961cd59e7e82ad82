import type { FrontReport } from './report';
import type { CandidateRecord, RunRecord } from '../records';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const row = (label: string, c: CandidateRecord) =>
  `| ${label} | #${c.seq} | ${pct(c.metrics.accuracy)} | ${c.fullRetrain ? pct(c.fullRetrain.testAccuracy) : 'not retrained'} | ${c.metrics.energyMj.toFixed(3)} mJ | ${c.metrics.params.toLocaleString('en')} | ${c.metrics.latencyMs.toFixed(3)} ms |`;

/** Where the test accuracies come from, or nothing while neither pick was retrained. */
function testSource(r: FrontReport): string[] {
  const t = r.best.fullRetrain ?? r.chosen.fullRetrain;
  if (!t) return [];
  return [
    `- Test accuracy: each network trained again on all ${t.trainImages.toLocaleString('en')} training images (${t.epochs} epoch(s)), then scored once on ${t.testImages.toLocaleString('en')} test images the search never saw.`,
  ];
}

/** The report as Markdown: the sentence, both candidates, the sources, the run it came from. */
export function reportMarkdown(run: RunRecord, r: FrontReport): string {
  return [
    `# EvoNAS report: ${run.config.dataset.name}, run ${run.id}`,
    '',
    `Within ${r.tolerancePoints.toFixed(1)} accuracy points of the most accurate network: **${r.summary}**.`,
    '',
    '| | candidate | validation accuracy | test accuracy | energy / inference | parameters | latency (batch 1) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row('most accurate', r.best),
    row(`cheapest within ${r.tolerancePoints.toFixed(1)} points`, r.chosen),
    '',
    `- Energy: ${r.sources.energy}.`,
    `- Latency: ${r.sources.latency}.`,
    `- Parameters: ${r.sources.params}.`,
    ...testSource(r),
    `- Search: ${run.config.algorithm}, ${run.config.evaluations} evaluations, seed ${run.config.seed}, objectives ${run.config.objectives.join(', ')}; device: ${run.device?.userAgent ?? run.userAgent}.`,
    '',
  ].join('\n');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** A standalone HTML page (no script, inline SVG plot) of the same report. */
export function reportHtml(run: RunRecord, r: FrontReport, plotSvg: string): string {
  const md = reportMarkdown(run, r).split('\n');
  const table = md.filter((l) => l.startsWith('|') && !l.startsWith('| ---'));
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>EvoNAS report ${escapeHtml(run.id)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}</style></head><body>
<h1>${escapeHtml(md[0]!.replace(/^# /, ''))}</h1>
<p>Within ${r.tolerancePoints.toFixed(1)} accuracy points of the most accurate network: <strong>${escapeHtml(r.summary)}</strong>.</p>
<table>${table
    .map(
      (l, i) =>
        `<tr>${cells(l)
          .map((c) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`))
          .join('')}</tr>`,
    )
    .join('')}</table>
<ul>${md
    .filter((l) => l.startsWith('- '))
    .map((l) => `<li>${escapeHtml(l.slice(2))}</li>`)
    .join('')}</ul>
${plotSvg.replace(/^<\?xml[^>]*>/, '')}
</body></html>
`;
}
