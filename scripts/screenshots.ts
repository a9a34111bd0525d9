import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, logInWithPassword, newContext } from '../e2e/helpers/browser';
import { startServer } from '../e2e/helpers/server';

/**
 * `npm run screenshots`: the main pages of each role, with the demo data, at a phone's width
 * (390 px) and a desktop's (1280 px), written to docs/screenshots/<name>-<width>.png. The
 * window's first screen only, so the files stay small; the README shows a few of them.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs/screenshots');
const WIDTHS = [390, 1280] as const;
const HEIGHT = { 390: 844, 1280: 800 } as const;

interface Shot {
  name: string;
  path: string | ((page: Page, base: string) => Promise<string>);
  /** Scrolled to before the picture: what the page is about, when it is below the first screen. */
  show?: string;
}

const SHOTS: { who?: string; shots: Shot[] }[] = [
  {
    shots: [
      { name: 'home', path: '/' },
      { name: 'office-box-page', path: '/esp/umczestochowa' },
      { name: 'login', path: '/logowanie' },
    ],
  },
  {
    who: 'mieszkaniec@example.pl',
    shots: [
      { name: 'resident-letters', path: '/pisma', show: 'main table' },
      { name: 'resident-new-letter', path: '/pisma/nowe?urzad=umczestochowa' },
      { name: 'resident-inbox', path: '/skrzynka' },
    ],
  },
  {
    who: 'urzednik@example.pl',
    shots: [
      { name: 'clerk-box', path: '/urzad/umczestochowa/skrzynka', show: 'main table' },
      {
        name: 'clerk-document',
        path: async (page, base) => {
          await page.goto(`${base}/urzad/umczestochowa/skrzynka`);
          const href = await page.locator('main table a.govuk-link').first().getAttribute('href');
          if (!href) throw new Error('no document in the demo box');
          return href;
        },
      },
    ],
  },
  { who: 'punkt@example.pl', shots: [{ name: 'officer-desk', path: '/punkt' }] },
  {
    who: 'admin@example.pl',
    shots: [
      { name: 'admin', path: '/admin' },
      { name: 'office-admin-tokens', path: '/urzad/umczestochowa/tokeny' },
    ],
  },
];

async function main(): Promise<void> {
  fs.mkdirSync(out, { recursive: true });
  const server = await startServer();
  // The demo's platform admin also administers the demo office, to show its pages too.
  await server.app.services.grantRole({
    actorId: null,
    email: 'admin@example.pl',
    role: 'office-admin',
    officeId: 'umczestochowa',
  });
  const browser = await launchBrowser();
  const written: string[] = [];
  try {
    for (const group of SHOTS) {
      const context = await newContext(browser);
      // The cookie choice made, so the banner does not cover every picture.
      await context.addCookies([{ name: 'cookie_consent', value: 'declined', url: server.url }]);
      const page = await context.newPage();
      if (group.who) await logInWithPassword(page, server.url, group.who);
      for (const shot of group.shots) {
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: HEIGHT[width] });
          const target = typeof shot.path === 'string' ? shot.path : await shot.path(page, server.url);
          await page.goto(`${server.url}${target}`, { waitUntil: 'load' });
          if (shot.show)
            await page
              .locator(shot.show)
              .first()
              .evaluate((e) => e.scrollIntoView());
          const file = path.join(out, `${shot.name}-${width}.png`);
          await page.screenshot({ path: file, fullPage: false });
          written.push(path.relative(root, file));
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`screenshots: ${written.length} files\n${written.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
