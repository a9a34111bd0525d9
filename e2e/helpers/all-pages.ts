import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { answeredLetter } from '../../test/helpers/answered-letter';
import { issueReceipt, type IssuedReceipt } from '../../test/helpers/issued-receipt';
import { startMailCatcher, type MailCatcher } from '../../test/helpers/mail';
import { browserSkipReason, expectAccessible, launchBrowser, logInWithPassword, newContext } from './browser';
import { startServer, type RunningServer } from './server';
import { pageProblems } from './page-checks';

/**
 * Every page of every role, at a phone's and a desktop's width, in Polish and English: no
 * horizontal overflow, no duplicate ids, axe clean, and (at both widths, in Polish) a visible
 * keyboard focus with enough contrast on every focusable element. The pages are found by
 * crawling the same-origin links from each role's landing page, so a new page linked from
 * anywhere is covered without a change here; pages that need data or a form's result come
 * from seeds and actions.
 * One test file per role (e2e/all-pages-*.test.ts), each with its own server, so the roles run
 * side by side and each file stays well within the suite's per-file time limit.
 */
const skip = browserSkipReason();

export type RoleName = 'anonymous' | 'resident' | 'clerk' | 'confirmation officer' | 'office admin' | 'admin';
const WIDTHS = [1280, 390] as const;
const LANGS = ['pl', 'en'] as const;

/**
 * Links never followed: the end of a session, files and machine-readable endpoints.
 */
const NOT_A_PAGE = [
  /^\/wyloguj/,
  /^\/api\/v1\//,
  /^\/assets\//,
  /^\/login-gov-pl\//,
  /^\/konto\/eksport/,
  /^\/healthz|^\/readyz/,
  /\/pliki\//,
  /\.(xml|pdf|csv|json|zip|png|ico|xsd|wsdl)$/,
];

/** A page's address with its ids generalised: one document page stands for all documents. */
function pageKind(path: string): string {
  return path
    .replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/g, '/:id')
    .replace(/\/\d+(?=\/|$)/g, '/:n');
}

interface Action {
  name: string;
  /** Leaves the page showing a form's result (a POST answer cannot be visited by address). */
  run(page: Page, base: string): Promise<void>;
}

interface Role {
  name: RoleName;
  email?: string;
  /** Run before the role's visit: e.g. a role granted to a demo account. */
  prepare?: () => Promise<void>;
  seeds: string[];
  actions: Action[];
}

export function describeAllPages(roleName: RoleName): void {
  describe(`every page of the ${roleName}, at 390 px and 1280 px, in Polish and English`, { skip }, () => {
    let server: RunningServer;
    let browser: Browser;
    let issued: IssuedReceipt;
    let mail: MailCatcher;
    const covered = new Map<string, Set<string>>();

    before(async () => {
      mail = await startMailCatcher();
      server = await startServer({ env: { SMTP_URL: mail.url } });
      browser = await launchBrowser();
      // A document filed through the API: a receipt to verify and one more row in the office's box.
      issued = await issueReceipt(server.app);
      // A letter of the resident answered and collected: its UPP, proof of sending and UPD as pages.
      await (await answeredLetter(server.app, mail)).confirm();
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
      await mail?.close();
      const lines = [...covered].map(
        ([role, pages]) => `${role} (${pages.size}):\n  ${[...pages].join('\n  ')}`,
      );
      console.log(
        `pages covered, each at ${WIDTHS.join(' and ')} px in ${LANGS.join(' and ')}:\n${lines.join('\n')}`,
      );
    });

    const verificationResult: Action = {
      name: 'verification result (POST /weryfikacja)',
      async run(page, base) {
        await page.goto(`${base}/weryfikacja?id=${issued.receiptId}`);
        await page.setInputFiles('#receipt', { name: 'UPP.xml', mimeType: 'text/xml', buffer: issued.xml });
        await page.setInputFiles(
          '#files',
          issued.files.map((f) => ({
            name: f.name,
            mimeType: 'application/octet-stream',
            buffer: f.content,
          })),
        );
        await submit(page);
        await page.locator('.govuk-panel__title').waitFor();
      },
    };
    const registrationErrors: Action = {
      name: 'registration form with errors (POST /rejestracja)',
      async run(page, base) {
        await page.goto(`${base}/rejestracja`);
        await page.fill('#email', 'not-an-address');
        await submit(page);
        await page.locator('.govuk-error-summary').waitFor();
      },
    };

    const roles = (): Role[] => [
      {
        name: 'anonymous',
        seeds: [
          '/',
          '/esp/umczestochowa',
          `/weryfikacja?id=${issued.receiptId}`,
          '/logowanie',
          '/rejestracja',
          '/reset-hasla',
          '/api/errors',
          '/profil-zaufany',
        ],
        actions: [verificationResult, registrationErrors],
      },
      {
        name: 'resident',
        email: 'mieszkaniec@example.pl',
        seeds: ['/pisma/nowe', '/pisma/dokument', '/profil-zaufany', '/konto/haslo', '/konto/2fa'],
        actions: [
          verificationResult,
          {
            name: "a draft's check page (after POST /pisma/nowe)",
            async run(page, base) {
              await page.goto(`${base}/pisma/nowe`);
              // A title of its own each time: the letters list links drafts by their titles.
              drafts += 1;
              await page.fill('#title', `Wniosek nr ${drafts} o wydanie zaświadczenia o zameldowaniu`);
              await page.fill('#place', 'Częstochowa');
              await page.fill('#body', 'Proszę o wydanie zaświadczenia o zameldowaniu.');
              await submit(page, LETTER_SAVE);
              await page.waitForURL(/\/pisma\/szkic\/[0-9a-f-]+$/);
            },
          },
          {
            name: 'letter form with errors (POST /pisma/nowe)',
            async run(page, base) {
              await page.goto(`${base}/pisma/nowe`);
              await submit(page, LETTER_SAVE);
              await page.locator('.govuk-error-summary').waitFor();
            },
          },
        ],
      },
      { name: 'clerk', email: 'urzednik@example.pl', seeds: [], actions: [] },
      { name: 'confirmation officer', email: 'punkt@example.pl', seeds: ['/punkt'], actions: [] },
      {
        name: 'office admin',
        email: 'urzednik@example.pl',
        prepare: async () => {
          await server.app.services.grantRole({
            actorId: null,
            email: 'urzednik@example.pl',
            role: 'office-admin',
            officeId: 'umczestochowa',
          });
        },
        seeds: ['/urzad/umczestochowa'],
        actions: [],
      },
      {
        name: 'admin',
        email: 'admin@example.pl',
        seeds: ['/admin', '/admin/profile?numer=PZ-DEMO-0001', '/admin/punkty/nowy'],
        actions: [],
      },
    ];

    test('each width, each language: no overflow, unique ids, axe clean, focus visible', async () => {
      const role = roles().find((r) => r.name === roleName)!;
      await role.prepare?.();
      const context = await newContext(browser);
      let failures: string[];
      try {
        failures = await visitRole(context, role);
      } finally {
        await context.close();
      }
      assert.deepEqual(failures, [], `${failures.length} problems`);
    });

    async function visitRole(context: BrowserContext, role: Role): Promise<string[]> {
      const base = server.url;
      const page = await context.newPage();
      await page.setViewportSize({ width: WIDTHS[0], height: 900 });
      let landing = '/';
      if (role.email) {
        await logInWithPassword(page, base, role.email);
        landing = new URL(page.url()).pathname;
      }
      const pages = new Map<string, string>(); // kind → address visited for it
      const seeds = new Set(role.seeds);
      const queue = [landing, ...role.seeds];
      const seen = new Set<string>();
      const failures: string[] = [];

      const check = async (label: string, width: number, lang: string) => {
        // Focus is drawn by the styles, which do not change with the language: checked in Polish.
        for (const problem of await pageProblems(page, { focus: lang === 'pl' }))
          failures.push(`${role.name} ${lang} ${width}px ${label}: ${problem}`);
        try {
          await expectAccessible(page, `${role.name} ${lang} ${width}px ${label}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      };

      for (const lang of LANGS) {
        await page.goto(`${base}/?lang=${lang}`);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          // The first pass (Polish, desktop) crawls; the others visit what it found.
          const crawling = pages.size === 0;
          const addresses = crawling ? queue : [...pages.values()];
          for (let i = 0; i < addresses.length; i++) {
            const address = addresses[i]!;
            const response = await page.goto(`${base}${address}`);
            const status = response?.status() ?? 0;
            const type = response?.headers()['content-type'] ?? '';
            if (crawling) {
              if (!type.startsWith('text/html')) continue;
              // A seed is its own page; a crawled link stands for every page of its kind, and a
              // redirect (e.g. to the login form) for the page it ended on.
              const final = new URL(page.url());
              const key = seeds.has(address) ? address : pageKind(final.pathname);
              if (pages.has(key)) continue;
              pages.set(key, `${final.pathname}${final.search}`);
            }
            if (status >= 400) failures.push(`${role.name} ${lang} ${width}px ${address}: HTTP ${status}`);
            await check(address, width, lang);
            if (!crawling) continue;
            for (const link of await sameOriginLinks(page, base)) {
              const kind = pageKind(link);
              if (seen.has(kind) || NOT_A_PAGE.some((p) => p.test(link))) continue;
              seen.add(kind);
              queue.push(link);
            }
          }
          for (const action of role.actions) {
            await action.run(page, base);
            await check(action.name, width, lang);
          }
        }
      }
      covered.set(role.name, new Set([...pages.values(), ...role.actions.map((a) => a.name)]));
      return failures;
    }
  });
}

/** The same-origin GET links of the page: path and query, without the language switch or fragment. */
async function sameOriginLinks(page: Page, base: string): Promise<string[]> {
  const hrefs = await page.$$eval('a[href]:not([download])', (links) =>
    links.map((a) => (a as HTMLAnchorElement).href),
  );
  const out: string[] = [];
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin !== base || url.searchParams.has('lang')) continue;
    out.push(`${url.pathname}${url.search}`);
  }
  return out;
}

/** Sends the page's main form and waits for the answer to load. */
/** The letter form's main button ("Zapisz szkic" follows it). */
const LETTER_SAVE = 'main form button[type=submit]:not([name="zapis"])';
/** Drafts made by the crawl so far (each gets a title of its own). */
let drafts = 0;

async function submit(page: Page, button = 'main form button[type=submit]'): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.locator(button).last().click();
  await loaded;
}
