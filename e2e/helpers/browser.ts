import fs from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { IN_CI } from '../../test/helpers/databases';
import {
  appBehind,
  helperGivesCode,
  markEnrolled,
  unspentTotpCode,
} from '../../test/helpers/staff-second-factor';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Whether browser tests can run. Without Chromium they are skipped with a reason, except
 * under CI=true, where a missing Chromium is a failure.
 */
export function browserSkipReason(): string | undefined {
  if (fs.existsSync(CHROMIUM)) return undefined;
  if (IN_CI)
    throw new Error(`Chromium not found at ${CHROMIUM}: under CI=true browser tests may not be skipped`);
  return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
      '--disable-dev-shm-usage',
    ],
  });
}

const scriptless = new WeakSet<BrowserContext>();

export async function newContext(
  browser: Browser,
  options: { javaScriptEnabled?: boolean; locale?: string } = {},
): Promise<BrowserContext> {
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await browser.newContext({ javaScriptEnabled, locale: options.locale ?? 'pl-PL' });
  if (!javaScriptEnabled) scriptless.add(context);
  else await withAxe(context);
  return context;
}

/**
 * axe-core in every page of the context before the page's own scripts, as Chromium's init
 * script: compiled once and taken from the compilation cache after, where evaluating the same
 * half-megabyte source in each page cost about as much as the checks themselves. It bypasses
 * the pages' Content-Security-Policy, as the test driver's evaluation does.
 */
async function withAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: AXE_SOURCE });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Logs in through the password form (the demo accounts share one password) and waits for the
 * page it leads to: each role's landing page (src/views/navigation.ts), /pisma for a resident.
 * A member of staff also gives the second factor, as with the app at hand: the code when the
 * code page asks for it; without the app yet, it is set up on the page the login leads to and
 * the login is made again with its code. The server must come
 * from `startServer` (e2e/helpers/server.ts), which tells where the account's secret is.
 */
export async function logInWithPassword(
  page: Page,
  baseUrl: string,
  email: string,
  password = 'demo-password-123',
): Promise<void> {
  await page.goto(`${baseUrl}/logowanie`);
  await page.getByLabel('Adres e-mail').fill(email);
  await page.getByLabel('Hasło').fill(password);
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await page.waitForURL((url) => url.pathname !== '/logowanie');
  const next = new URL(page.url()).pathname;
  if (next !== '/logowanie/kod' && next !== '/konto/2fa') return;
  const app = appBehind(baseUrl);
  if (!(await helperGivesCode(app, email))) return;
  if (next === '/konto/2fa') {
    await clickAndLoad(page, page.getByRole('button', { name: 'Włącz logowanie dwuskładnikowe' }));
    await page.locator('input[name="code"]').fill(await unspentTotpCode(app, email));
    await clickAndLoad(page, page.getByRole('button', { name: 'Potwierdź i włącz' }));
    markEnrolled(app, email);
    await clickAndLoad(page, page.getByRole('button', { name: 'Wyloguj się' }));
    return logInWithPassword(page, baseUrl, email, password);
  }
  await giveStaffCode(page, baseUrl, email);
}

/** On the login's code page: gives a member of staff's current code and waits for the page after it. */
export async function giveStaffCode(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.locator('input[name="code"]').fill(await unspentTotpCode(appBehind(baseUrl), email));
  await page.getByRole('button', { name: 'Potwierdź', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/logowanie/kod');
}

/**
 * Clicks a link or a form's button and waits until the page it leads to has loaded. Waiting
 * for the load state right after a click may see the old page (the navigation has not begun),
 * so the wait for the next page's load event starts before the click.
 */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page and fails on any serious or critical
 * violation. Works with JavaScript disabled too: axe is evaluated by the test driver, not the page.
 */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const violations = await axeViolations(page);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe found serious or critical violations on ${label}`,
  );
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // A page with JavaScript disabled cannot run axe; check the same HTML in a scripting context.
  let target = page;
  let scratch: BrowserContext | undefined;
  if (scriptless.has(page.context())) {
    const html = await page.content();
    const browser = page.context().browser();
    if (!browser) throw new Error('no browser');
    scratch = await browser.newContext({ javaScriptEnabled: true });
    await withAxe(scratch);
    target = await scratch.newPage();
    await target.goto(page.url());
    // The exact markup the scriptless page got, with its styles, in a page that can run axe.
    await target.setContent(html.replace(/<script\b[^>]*><\/script>/g, ''), { waitUntil: 'load' });
  }
  try {
    // A page whose document came from elsewhere (e.g. set by the test) has no axe yet.
    if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(AXE_SOURCE);
    return (await target.evaluate(async () => {
      // @ts-expect-error axe is defined by the evaluated source
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations;
    })) as AxeViolation[];
  } finally {
    await scratch?.close();
  }
}
