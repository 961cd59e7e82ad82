import type { Page } from 'playwright-core';
import type {} from '../../src/headless';
import { frontToRetrain, testedPicks, type TestedCandidate } from '../../src/lib/run/frontTest';
import type { CandidateRecord } from '../../src/lib/records';
import { frontReport } from '../../src/lib/run/report';

const describe = (c: TestedCandidate) =>
  `#${c.seq} test_acc=${c.fullRetrain.testAccuracy.toFixed(4)} params=${c.metrics.params} energy_mj=${c.metrics.energyMj.toFixed(3)}`;

/**
 * `npm run search -- --retrain-front`: the run's front (and the report's picks) trained again on the whole
 * training split, one after another, each scored on the test split; prints a line each, then the picks.
 */
export async function retrainFront(page: Page, runId: string, epochsOverride: number | undefined, log: (line: string) => void): Promise<void> {
  const { run, candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
  if (!run) throw new Error(`run ${runId} vanished from storage`);
  const report = frontReport(candidates, 1);
  const networks = frontToRetrain(run, candidates, report ? [report.best, report.chosen] : []);
  const tested: CandidateRecord[] = [];
  for (const c of networks) {
    const epochs = epochsOverride ?? c.genome.training.epochs;
    const done = await page.evaluate(([id, seq, e]) => window.evonas.retrainFull(id, seq, e), [runId, c.seq, epochs] as const);
    tested.push(done);
    const t = done.fullRetrain!;
    log(
      `retrained candidate ${c.seq} epochs=${t.epochs} val_acc=${c.metrics.accuracy.toFixed(4)} test_acc=${t.testAccuracy.toFixed(4)} params=${c.metrics.params} train_images=${t.trainImages} test_images=${t.testImages} train_s=${(t.trainMs / 1000).toFixed(1)}`,
    );
  }
  for (const cost of ['params', 'energyMj'] as const) {
    const picks = testedPicks(tested, 1, cost);
    if (picks)
      log(
        `test, by ${cost === 'params' ? 'parameters' : 'energy'}: most accurate ${describe(picks.best)}; cheapest within 1 point ${describe(picks.cheapest)} (${picks.costRatio.toFixed(2)}x cheaper)`,
      );
  }
}
