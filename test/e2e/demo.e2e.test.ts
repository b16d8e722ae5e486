import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from '../../src/demo/demo.js';
import { tempDir } from '../helpers/store.js';

// Debian's chromium (apt-get install chromium); .ci/run installs it when missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemo>>;
let cleanup: () => void;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  const dir = tempDir();
  cleanup = dir.cleanup;
  demo = await startDemo({
    port: 0,
    databasePath: join(dir.dir, 'demo.db'),
    today: new Date('2026-11-25T10:00:00Z'),
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  cleanup?.();
});

describe('the offline demo page in Chromium', () => {
  it('shows the status, the weekly digest with its chart, a nudge and the App Home', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(demo.url);
    expect(await page.locator('h1').textContent()).toBe('wgbot demo');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Weekly digest — Improve Ops Quality');
    expect(text).toContain('Exit criteria');
    expect(text).toMatch(/Overall\s+[█░]{10}\s+\d+(\.\d)?%/);
    expect(text).toContain('Since the last digest');
    expect(text).toContain('overdue action item');
    expect(text).toContain('My action items');
    // The chart is a real image that loaded: the browser decoded the PNG to its natural size.
    const size = await page.locator('#burnup').evaluate((img) => {
      const i = img as unknown as { naturalWidth: number; naturalHeight: number; complete: boolean };
      return { w: i.naturalWidth, h: i.naturalHeight, done: i.complete };
    });
    // Drawn at 1.5 times the SVG's 640 units: 960 px wide, taller than wide with its three panels.
    expect(size).toMatchObject({ w: 960, done: true });
    expect(size.h).toBeGreaterThan(600);
    // The forecast leads the status and the digest: a verdict and where it comes from.
    const verdict = /(On track|At risk|Off track|No target date) · (100% around|no progress)/;
    expect(text).toMatch(verdict);
    const digestPanel = page.locator('.panel', { hasText: 'Weekly digest — Improve Ops Quality' });
    expect((await digestPanel.textContent()) ?? '').toMatch(verdict);
    expect((await digestPanel.textContent()) ?? '').toMatch(/Since [A-Z][a-z]{2} \d+:/);
    // Slack's own chart block, drawn from its series, with the chart in words under it.
    const lines = await digestPanel.locator('.dataviz polyline').count();
    expect(lines).toBeGreaterThanOrEqual(1);
    expect((await digestPanel.textContent()) ?? '').toContain('Chart: overall ');
    if (process.env.DEMO_SCREENSHOT)
      await page.screenshot({ path: process.env.DEMO_SCREENSHOT, fullPage: true });
    await page.close();
  });
});
