import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { closeAfterFile } from './after-file';

/** Debian's Chromium; playwright-core never downloads a browser, so the tests use the system one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No sandbox (containers run as root), and nothing that phones home or updates itself during a test. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

/**
 * `describe` when Chromium is installed. Without it a developer's run skips the file with a note,
 * but CI (`process.env.CI`) fails: there the browser tests are part of what a green build promises.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (chromiumAvailable()) return describe(name, body);
  if (process.env.CI) throw new Error(`${CHROMIUM_PATH} is missing, and CI must run the browser tests (.ci/run installs it).`);
  console.warn(`Skipping browser tests "${name}": ${CHROMIUM_PATH} is not installed (apt-get install chromium).`);
  describe.skip(name, body);
}

/**
 * Script errors and console errors of every page of `context`, as they happen (CSP violations and
 * script errors both surface as console errors). Console errors from URLs matching `ignore` are left
 * out. Tests empty the list in beforeEach and expect it empty at the end.
 */
export function collectPageErrors(context: BrowserContext, ignore?: RegExp): string[] {
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  context.on('console', (m) => {
    const url = m.location().url;
    if (m.type() === 'error' && !ignore?.test(url)) errors.push(`${m.text()} (${url})`);
  });
  return errors;
}

/** Headless Chromium with a fresh profile, removed again on close. */
export function launchBrowser(): Promise<TestBrowser> {
  return closeAfterFile(
    (async () => {
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-chromium-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1024, height: 768 },
        locale: 'de-DE',
      });
      const page = context.pages()[0] ?? (await context.newPage());
      return {
        context,
        page,
        close: async () => {
          await context.close();
          fs.rmSync(userDataDir, { recursive: true, force: true });
        },
      };
    })(),
  );
}
