import { expect, test } from '@playwright/test';
import type { CandidateRecord } from '../../src/lib/records';
import { openHeadless, tinyConfig } from './helpers';

test('the app runs under a CSP without unsafe-eval, on every backend, and no request leaves its origin', async ({ page, context, baseURL }) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|unsafe-eval|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to load: CSP ${e.violatedDirective} ${e.blockedURI}`)),
  );

  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("connect-src 'self'");

  await openHeadless(page);
  for (const backend of ['cpu', 'webgl', 'webgpu'] as const) {
    const runId = await page.evaluate((c) => window.evonas.start(c), tinyConfig(backend, 2));
    expect(await page.evaluate(() => window.evonas.waitForEnd())).toBe('done');
    const { candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
    expect(candidates.map((c: CandidateRecord) => [c.status, c.backend])).toEqual([
      ['done', backend],
      ['done', backend],
    ]);
  }
  expect(violations).toEqual([]);
  const origin = new URL(baseURL!).origin;
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
});
