import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { assertChromium, CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export interface BrowserSession {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves dist/ on localhost (a secure context, as WebGPU needs) and opens it in headless Chromium.
 * `profileDir` keeps the browser profile, and so IndexedDB, between invocations; the port must stay the
 * same for that, since storage belongs to the origin.
 */
export async function openSession(root: string, port: number, profileDir: string | undefined, pagePath: string): Promise<BrowserSession> {
  assertChromium();
  let server: PreviewServer;
  try {
    server = await preview({ root, logLevel: 'silent', preview: { port, strictPort: true, host: '127.0.0.1' } });
  } catch (e) {
    throw new Error(`cannot serve on port ${port} (${e instanceof Error ? e.message : String(e)}); pass --port with a free port`);
  }
  const origin = `http://localhost:${port}`;
  const context = await chromium.launchPersistentContext(profileDir ?? mkdtempSync(join(tmpdir(), 'evonas-profile-')), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    origin: `${origin}${pagePath}`,
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
    },
  };
}
