import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's Chromium (CI installs it); the browser tests are skipped with this reason when it is absent. */
export const CHROMIUM_PATH = process.env.TRUSTREC_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING_REASON = existsSync(CHROMIUM_PATH)
  ? undefined
  : `Chromium not found at ${CHROMIUM_PATH} (install the chromium package or set TRUSTREC_CHROMIUM)`;

/** What a report looks like once a real browser has rendered it. */
export interface RenderedReportPage {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly failedRequests: string[];
  readonly tables: { id: string; rows: number; columns: number; firstCells: string[] }[];
  readonly charts: { id: string; width: number; height: number; marks: number; texts: string[] }[];
  readonly title: string;
}

/**
 * Opens `file` (a report.html) in headless Chromium driven by playwright-core, with networking disabled,
 * and collects console errors, page errors, failed requests and the rendered tables and SVG charts.
 */
export async function openReportInChromium(file: string): Promise<RenderedReportPage> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'trustrec-chromium-'));
  // A fresh profile per run (playwright takes it as launchPersistentContext's userDataDir, i.e. --user-data-dir).
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
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
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const failedRequests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        consoleErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    // A self-contained report requests nothing but itself.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const tables = await page.$$eval('table[data-table]', (elements) =>
      elements.map((table) => ({
        id: table.getAttribute('data-table') ?? '',
        rows: table.querySelectorAll('tbody tr').length,
        columns: table.querySelectorAll('thead th').length,
        firstCells: (
          Array.from(table.querySelectorAll('tbody tr td:first-child')) as { textContent: string | null }[]
        ).map((cell) => cell.textContent ?? ''),
      })),
    );
    const charts = await page.$$eval('figure[data-chart]', (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: figure.getAttribute('data-chart') ?? '',
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg ? svg.querySelectorAll('path, rect, line, circle').length : 0,
          texts: svg
            ? (Array.from(svg.querySelectorAll('text')) as { textContent: string | null }[]).map(
                (text) => text.textContent ?? '',
              )
            : [],
        };
      }),
    );
    return { consoleErrors, pageErrors, failedRequests, tables, charts, title: await page.title() };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
