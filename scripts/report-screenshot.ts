/**
 * `npm run report:screenshot`: opens <reports>/conformance.html in a real browser and saves a
 * screenshot of its summary to <reports>/conformance-summary.png; fails when the page does not show
 * the summary it should (header, cards, certificate line), so it doubles as the check that the report
 * renders offline. Uses Debian's chromium (apt-get install chromium) through Playwright's
 * executablePath, with the network off: an external asset would show as a failed request.
 *
 * Not part of `npm test`: CI does not install a browser. Run it after `npm run conformance`.
 *
 *   npm run report:screenshot [-- <output.png>]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
const html = resolve(reports, 'conformance.html');
const executablePath = process.env.SPT_CHROMIUM ?? '/usr/bin/chromium';
let positionals: string[] = [];
try {
  ({ positionals } = parseArgs({ allowPositionals: true, options: {} }));
} catch (error) {
  console.error(`report:screenshot: ${(error as Error).message}; usage: npm run report:screenshot [-- <output.png>]`);
  process.exit(2);
}
const output = positionals[0] ?? join(reports, 'conformance-summary.png');

if (!existsSync(html)) {
  console.error(`report:screenshot: ${html} does not exist: run npm run conformance first.`);
  process.exit(2);
}
if (!existsSync(executablePath)) {
  console.error(`report:screenshot: no browser at ${executablePath}: apt-get install chromium, or set SPT_CHROMIUM to a Chromium binary.`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, offline: true });
  const page = await context.newPage();
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) outside.push(request.url());
  });
  await page.goto(pathToFileURL(html).href);
  const problems: string[] = [];
  if ((await page.locator('h1').textContent()) !== 'SPT conformance report') problems.push('no report header');
  if ((await page.locator('.card').count()) < 7) problems.push('the summary cards are missing');
  if (!(await page.locator('.cert').isVisible())) problems.push('the certificate line is missing');
  if (outside.length) problems.push(`the page asked for ${outside.length} resource(s) outside the file: ${outside.slice(0, 3).join(', ')}`);
  // From the top of the page to the end of the exit-code paragraph: environment, summary, certificate.
  const box = await page.locator('.cert + p').boundingBox();
  const bottom = box ? Math.ceil(box.y + box.height + 12) : 600;
  await page.screenshot({ path: output, clip: { x: 0, y: 0, width: 1280, height: Math.min(bottom, 1400) } });
  if (problems.length) {
    console.error(`report:screenshot: ${html} does not render as it should: ${problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`report:screenshot: ${output}`);
  }
} finally {
  await browser.close();
}
