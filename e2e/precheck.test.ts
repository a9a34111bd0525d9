import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatSize } from '../src/domain/policy';
import { samplePdf } from '../test/helpers/sample-files';
import {
  browserSkipReason,
  clickAndLoad,
  expectAccessible,
  launchBrowser,
  logInWithPassword,
  newContext,
} from './helpers/browser';
import { upsertOffice } from '../src/services/offices';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

/** The office's limit here: small, so a total over it is quick to hand to the browser. */
const LIMIT = 1024 * 1024;

const file = (name: string, size = 100) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.alloc(size, 'a'),
});

/** The upload pre-check (public/precheck.js) on the real filing pages, and the server's answer without it. */
describe('upload pre-check on the real forms in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  let documentId: string;
  /** The session cookies of each account, logged in once through the real login page. */
  const sessions = new Map<string, Awaited<ReturnType<BrowserContext['cookies']>>>();
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const office = await server.app.services.getOffice('umczestochowa');
    await upsertOffice(server.app.deps, {
      ...office,
      email: office.email ?? undefined,
      phone: office.phone ?? undefined,
      website: office.website ?? undefined,
      boxes: office.boxes.map((b) => ({ name: b.name, title: b.title })),
      policy: { maxSizeBytes: LIMIT, formatIds: office.policy.formats.map((f) => f.id) },
    });
    for (const email of ['mieszkaniec@example.pl', 'urzednik@example.pl']) {
      const context = await newContext(browser);
      await logInWithPassword(await context.newPage(), server.url, email);
      sessions.set(email, await context.cookies());
      await context.close();
    }
    const resident = await server.app.database.db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('email', '=', 'mieszkaniec@example.pl')
      .executeTakeFirstOrThrow();
    documentId = (
      await server.app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: { type: 'account', ref: resident.id, name: resident.display_name },
        title: 'Wniosek do odpowiedzi',
        files: [
          {
            field: 'document',
            name: 'wniosek.pdf',
            staged: await server.app.deps.blobs.stage(samplePdf('W')),
          },
        ],
      })
    ).documentId;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A signed-in page that records script errors and counts the forms it sends. */
  async function signedIn(email: string, javaScriptEnabled = true) {
    const context = await newContext(browser, { javaScriptEnabled });
    await context.addCookies(sessions.get(email)!);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // A refused form's status (415) is reported too: that is the answer under test, not a fault.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST') posts += 1;
    });
    const close = async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no script errors');
    };
    return { page, posts: () => posts, close };
  }

  const summaryOf = (page: Page) => page.locator('form .govuk-error-summary');

  test('the letter form: a refused extension is named before upload, the form is held, a file name stays text', async () => {
    const { page, posts, close } = await signedIn('mieszkaniec@example.pl');
    await page.goto(`${server.url}/pisma/nowe`);
    const name = '<img src=x onerror=alert(1)>.exe';
    await page.setInputFiles('#attachments', file(name));
    const summary = summaryOf(page);
    await summary.waitFor();
    assert.match(
      await summary.innerText(),
      /Plik „<img src=x onerror=alert\(1\)>\.exe”: ten urząd nie przyjmuje plików z rozszerzeniem „\.exe”/,
    );
    assert.equal(await page.locator('form .govuk-error-summary img').count(), 0, 'never parsed as HTML');
    assert.equal(await summary.locator('a[href="#attachments"]').count(), 1, 'linked to the field');
    await expectAccessible(page, 'letter form with the pre-check summary');
    await page.getByRole('button', { name: 'Zapisz i przejdź dalej' }).click();
    assert.ok(await summary.evaluate((node) => node === document.activeElement), 'the summary takes focus');
    assert.equal(posts(), 0, 'nothing sent');
    // A right choice clears the warning.
    await page.setInputFiles('#attachments', file('wniosek.pdf'));
    assert.equal(await summary.count(), 0);
    await close();
  });

  test('the ready-document form in English: the total over the office limit is named', async () => {
    const { page, posts, close } = await signedIn('mieszkaniec@example.pl');
    await page.goto(`${server.url}/pisma/dokument?lang=en`);
    await page.setInputFiles('#document', file('request.pdf', LIMIT));
    await page.setInputFiles('#attachment', file('scan.png', 100 * 1024));
    const summary = summaryOf(page);
    await summary.waitFor();
    assert.match(
      await summary.innerText(),
      new RegExp(
        `The chosen files total [0-9.]+ MB, and the office accepts at most ${formatSize(LIMIT, 'en')}\\.`,
      ),
    );
    await page.getByRole('button', { name: 'File the document' }).click();
    assert.equal(posts(), 0, 'nothing sent');
    await close();
  });

  test("the clerk's answer form gets the pre-check too", async () => {
    const { page, close } = await signedIn('urzednik@example.pl');
    await page.goto(`${server.url}/urzad/umczestochowa/dokumenty/${documentId}/odpowiedz`);
    await page.setInputFiles('#attachment', file('makro.js'));
    await summaryOf(page).waitFor();
    assert.match(await summaryOf(page).innerText(), /Plik „makro\.js”: ten urząd nie przyjmuje/);
    await close();
  });

  test('without JavaScript the server names every refused file at the field, and the address carries no token', async () => {
    const { page, posts, close } = await signedIn('mieszkaniec@example.pl', false);
    await page.goto(`${server.url}/pisma/nowe`);
    await page.fill('#title', 'Wniosek z plikami');
    await page.fill('#body', 'Treść wniosku.');
    await page.setInputFiles('#attachments', [file('setup.exe'), file('pusty.pdf', 0)]);
    await clickAndLoad(page, page.getByRole('button', { name: 'Zapisz i przejdź dalej' }));
    assert.equal(posts(), 1, 'the browser sent the form');
    assert.equal(new URL(page.url()).pathname, '/pisma/nowe');
    assert.equal(new URL(page.url()).search, '', 'no CSRF token in the address bar');
    const atField = await page.locator('#attachments-error').innerText();
    assert.match(atField, /Plik „setup\.exe”: ten urząd nie przyjmuje plików z rozszerzeniem „\.exe”/);
    assert.match(atField, /Plik „pusty\.pdf” jest pusty/);
    const links = page.locator('.govuk-error-summary a[href="#attachments"]');
    assert.equal(await links.count(), 2, 'both in the summary, linked to the field');
    assert.equal(await page.locator('#attachments').getAttribute('aria-invalid'), 'true');
    assert.match(await page.title(), /^Błąd:/);
    await expectAccessible(page, 'letter form with two refused files');
    await close();
  });
});
