// The HTML report opened in a real browser (Debian's chromium, headless): it must render
// with no console errors and no request leaving the page, and its chart must have one bar per
// result with a measured recovery. A screenshot is kept for people to look at.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import sample from '../../src/report/fixtures/sample-report.json' with { type: 'json' };
import slower from '../../src/report/fixtures/sample-report-slower.json' with { type: 'json' };
import performanceRun from '../../src/report/fixtures/performance-report.json' with { type: 'json' };
import { compareReports } from '../../src/report/compare.ts';
import type { RunReport } from '../../src/report/model.ts';
import { renderHtml } from '../../src/report/render/html.ts';

const CHROMIUM = process.env.PERSIST_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url).pathname;
const OUT = join(ROOT, 'reports', 'html-check');
const report = sample as RunReport;
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  await mkdir(OUT, { recursive: true });
});
afterAll(() => browser?.close());

/** The HTML written to reports/html-check/NAME.html, opened, with a full-page screenshot beside it. */
async function open(name: string, html: string) {
  const file = join(OUT, `${name}.html`);
  await writeFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) requests.push(request.url());
  });
  await page.goto(`file://${file}`);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return { page, problems, requests };
}

/** The widths of the page's tables that are wider than its column (none, when every table fits). */
async function tablesWiderThanThePage(page: Awaited<ReturnType<typeof open>>['page']): Promise<number[]> {
  const column = await page.locator('body').evaluate((body) => body.clientWidth);
  const widths = await page.locator('table').evaluateAll((tables) => tables.map((table) => table.getBoundingClientRect().width));
  return widths.filter((width) => width > column);
}

describe('the HTML report in headless chromium', () => {
  test('renders without console errors or outside requests; one chart bar per measured result', async () => {
    const { page, problems, requests } = await open('report', renderHtml(report));

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    const measured = report.results.filter((r) => r.timings.summary.recovery !== undefined);
    expect(measured.length).toBeGreaterThan(0);
    expect(await page.locator('svg.chart g.bar').count()).toBe(measured.length);
    expect(await page.locator('#verdict .verdict').textContent()).toBe('PASSED');
    // The first table answers the question: per storage type, what survived and how long it took to be back.
    expect(await page.locator('table').first().locator('thead th').allTextContents()).toEqual([
      'Storage',
      'survives a restart',
      'recovery after a restart',
      'survives a recreate',
      'recovery after a recreate',
      'visible on the host',
      'kept off disk',
    ]);
    expect(await page.locator('#glance tbody tr').count()).toBeGreaterThan(0);
    expect(await tablesWiderThanThePage(page)).toEqual([]);
    // Every result has its evidence, folded away until asked for.
    expect(await page.locator('#evidence details').count()).toBe(report.results.length + report.controls.length);
    await page.close();
  });

  test('a comparison with a baseline and a backup table render too', async () => {
    const current = structuredClone(slower as RunReport);
    const backupCell = structuredClone(current.results[0]!);
    Object.assign(backupCell, {
      id: 'postgres/backup-restore/helper-tar-quiesced',
      disruption: 'backup-restore',
      details: {
        kind: 'backup',
        method: 'helper-tar',
        mode: 'quiesced',
        commands: [],
        archive: { name: 'a.tar.gz', bytes: 7_000_000, sha256: null, entries: 10 },
        integrity: 'verified',
        restoredServiceStarted: true,
        crashRecovery: false,
        rpo: null,
      },
    });
    current.results.push(backupCell);
    const { page, problems } = await open('compared', renderHtml({ ...current, comparison: compareReports(report, current, undefined, true) }));
    expect(problems).toEqual([]);
    expect(await page.locator('#verdict .verdict').textContent()).toBe('NOT PASSED');
    expect(await page.locator('#comparison tr.regression').count()).toBe(1);
    expect(await page.locator('#backups tbody tr').count()).toBe(1);
    await page.close();
  });

  test('the storage performance section: one chart per metric, a bar per storage type with its trial range drawn', async () => {
    const measured = performanceRun as RunReport;
    const performance = measured.performance!;
    const { page, problems, requests } = await open('performance', renderHtml(measured));
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    const metrics = new Set(performance.figures.map((figure) => figure.metric));
    expect(await page.locator('#performance figure.perf').count()).toBe(metrics.size);
    for (const metric of metrics) {
      const chart = page.locator(`#performance figure.perf[data-metric="${metric}"]`);
      expect(await chart.locator('g.bar').count()).toBe(4);
      // Three trials per figure: every bar has its range; a bar is as long as its median says.
      expect(await chart.locator('g.bar line.spread').count()).toBe(4);
      const widths = await chart.locator('g.bar rect').evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('width'))));
      const medians = performance.figures.filter((figure) => figure.metric === metric).map((figure) => figure.median);
      const longest = widths.indexOf(Math.max(...widths));
      expect(medians[longest]).toBe(Math.max(...medians));
    }
    expect(await page.locator('#performance table.perf-claims tbody tr').count()).toBe(performance.claims.length);
    expect(await page.locator('#performance').textContent()).toContain('caught: the benchmark saw the throttle');
    await page.close();
  });
});

describe('tables fit the page', () => {
  test('a table of many checked items with long paths (as the bind-mount scenario writes) stays within the page', async () => {
    const wide = structuredClone(report);
    const base = wide.results[0]!;
    const items = Array.from({ length: 12 }, (_, index) => ({
      item:
        index === 0
          ? `/var/lib/docker/volumes/${'persist-harness-bind-mount-source-'.repeat(6)}${index}`
          : `the host folder's file number ${index} read back through the container, same bytes`,
      expected: 'visible' as const,
      observed: 'visible' as const,
    }));
    wide.results = [{ ...base, id: 'bind/long-items', scenario: 'bind-mounts', storage: 'bind-mount', disruption: 'none', items }];
    const { page, problems } = await open('wide-items', renderHtml(wide));
    expect(problems).toEqual([]);
    expect(await page.locator('table.items').count()).toBe(1);
    expect(await tablesWiderThanThePage(page)).toEqual([]);
    await page.close();
  });
});
