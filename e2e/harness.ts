/**
 * End-to-end helpers: the real app (on a fresh database cloned from the
 * migrated template) listening on a free port and serving the built web app,
 * a real SMTP server, Debian's Chromium driven by playwright-core, and an axe
 * scan of every page a journey visits.
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../src/server/db/embedded.js';
import { zonedDateTime } from '../src/server/export/tabular.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../src/server/testing/harness.js';
import { htmlProblems } from '../src/web/testing/htmlValidity.js';

export interface E2E {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  newPage: (opts?: {
    viewport?: { width: number; height: number };
    /** The browser's time zone (IANA), for pages that show times in the viewer's zone. */
    timezoneId?: string;
  }) => Promise<{ page: Page; context: BrowserContext }>;
  /** Pages scanned so far, for the report at the end of a file. */
  scanned: string[];
  close: () => Promise<void>;
}

/** `port`: listen there (known beforehand, e.g. for an OpenID provider's redirect URI); else a free one. */
export async function startE2E(opts: { env?: Record<string, string>; port?: number } = {}): Promise<E2E> {
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp({
    smtp: true,
    env: { PUBLIC_URL: baseUrl, ...opts.env },
    // E2E_WEB_ROOT lets several engineers on one machine test their own builds
    // (`npx vite build --outDir /tmp/web-x`) without overwriting each other's dist/web.
    webRoot: path.resolve(process.env.E2E_WEB_ROOT ?? 'dist/web'),
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    t,
    baseUrl,
    browser,
    scanned: [],
    async newPage(opts = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: opts.viewport ?? { width: 1280, height: 900 },
        ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
      });
      contexts.push(context);
      return { page: await context.newPage(), context };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Runs axe on the current page and validates its HTML (the live DOM,
 * serialized, through html-validate), failing with a readable list of what
 * either found.
 */
export async function expectAccessible(e: E2E, page: Page, label: string): Promise<void> {
  // Let requests settle first. On a loaded machine the network has once failed to go quiet for
  // 30 s (a dashboard, CI of 4 December); the scan then goes ahead once the h1 is there, since
  // the page's own content is what is checked, not how long the network took.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // Pages render their h1 once their data has arrived; scanning a loading state proves nothing.
  await page.locator('h1').first().waitFor();
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const problems = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  const invalid = await htmlProblems(await page.content());
  e.scanned.push(`${label} ${new URL(page.url()).pathname}`);
  expect(problems, `axe violations on ${label} (${page.url()})`).toEqual([]);
  expect(invalid, `invalid HTML on ${label} (${page.url()})`).toEqual([]);
}

/**
 * Follows a link of the primary navigation by its text, opening the drop-down
 * group that holds it first when the link is not shown (staff see grouped
 * menus; the link may also be shown directly).
 */
export async function navTo(page: Page, label: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Primary navigation' });
  const link = nav.getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible())) {
    const text = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    await nav
      .locator('li')
      .filter({ has: page.locator('.usa-nav__submenu a', { hasText: text }) })
      .locator('button.usa-nav__link')
      .click();
  }
  await link.click();
}

/** Signs in through the sign-in page (with the test password unless told) and waits for the dashboard. */
export async function signIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('heading', { level: 1, name: /dashboard/i }).waitFor();
}

/**
 * Uploads an evidence document on a claim's page through its form (what the
 * document is, then the file) and waits until the page lists it.
 */
export async function uploadClaimDocument(
  page: Page,
  kind: string,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  await page.getByLabel('What is the document?').selectOption(kind);
  await page.locator('#document-file').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload document' }).click();
  await page.getByRole('link', { name: `Open ${file.name}` }).waitFor();
}

/** The error message shown next to a form field (by the field's id), or null when it has none. */
export async function fieldError(page: Page, fieldId: string): Promise<string | null> {
  const message = page.locator(`#${fieldId}-error`);
  return (await message.count()) ? message.innerText() : null;
}

/** The text of the page's main region. */
export const mainText = (page: Page): Promise<string> => page.locator('main').innerText();

/** "2027-04-12T09:00" for an instant, as a wall clock in the zone (what a datetime-local input takes). */
export const wallClock = (ms: number, timeZone: string): string =>
  zonedDateTime(new Date(ms).toISOString(), timeZone)!.replace(' ', 'T');

/** "1:00 PM CST": an instant's time of day in the zone with its abbreviation, as the web shows times. */
export const zonedTime = (ms: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(ms));

/** Clicks a download link (by its accessible name) and returns the file's suggested name and text. */
export async function downloadLink(
  page: Page,
  name: string | RegExp,
): Promise<{ filename: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name }).first().click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { filename: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * With E2E_SHOTS=dir, saves a full-page screenshot of the page as dir/name.png for a person to
 * look at (docs/ keeps some: `E2E_SHOTS=docs`); without it, does nothing.
 */
export async function saveShot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SHOTS)
    await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png`, fullPage: true });
}

/** How far the page, and each table's scrolling box, is wider than its room (0 when nothing scrolls sideways). */
export async function sidewaysOverflow(page: Page): Promise<{ page: number; tables: number[] }> {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tables: Array.from(document.querySelectorAll('main .data-table')).map(
      (box) => box.scrollWidth - box.clientWidth,
    ),
  }));
}

/**
 * Every body cell of the page's stacked tables (DataTable stacked) that does not show its column's
 * name above it on this screen: the name must be on the cell as data-label, be the header's text,
 * and be drawn (the ::before content); empty when all do. Also says when a header row is still shown.
 */
export async function unlabelledStackedCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const tables = Array.from(document.querySelectorAll<HTMLTableElement>('main .data-table--stacked table'));
    if (tables.length === 0) problems.push('no stacked table on the page');
    tables.forEach((table, t) => {
      const head = table.tHead!;
      if (getComputedStyle(head).display !== 'none') problems.push(`table ${t}: the header row is shown`);
      const names = Array.from(head.rows[0]!.cells).map((th) => {
        const copy = th.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('[aria-hidden="true"], .usa-sr-only').forEach((n) => n.remove());
        return th.dataset.label ?? copy.textContent!.trim();
      });
      for (const row of Array.from(table.tBodies[0]!.rows))
        Array.from(row.cells).forEach((cell, i) => {
          const label = cell.getAttribute('data-label');
          const drawn = getComputedStyle(cell, '::before').content;
          if (!names[i]) return;
          if (label !== names[i] || drawn !== JSON.stringify(names[i]))
            problems.push(`table ${t}, column ${i}: label ${label}, drawn ${drawn}, header ${names[i]}`);
        });
    });
    return problems;
  });
}
