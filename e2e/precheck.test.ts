import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildPolicy } from '../src/domain/policy';
import { browserPolicyJson } from '../src/domain/validation/index';
import { translator, type Lang } from '../src/i18n/index';
import { browserSkipReason, expectAccessible, launchBrowser, newContext } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

/** An upload form as the filing pages build it: the policy in data-policy, the script from /assets. */
function formPage(lang: Lang): string {
  const policy = browserPolicyJson(buildPolicy(), translator(lang))
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;');
  return `<!doctype html>
<html lang="${lang}" class="govuk-template"><head><meta charset="utf-8"><title>Pliki</title>
<link rel="stylesheet" href="/assets/build/app.css"></head>
<body class="govuk-template__body"><main class="govuk-main-wrapper" id="main-content"><div class="govuk-width-container">
<h1 class="govuk-heading-l">Załączniki</h1>
<form method="post" action="/precheck-fixture/sent" enctype="multipart/form-data" data-policy="${policy}">
<div class="govuk-form-group"><label class="govuk-label" for="document">Dokument</label>
<input class="govuk-file-upload" id="document" name="document" type="file"></div>
<div class="govuk-form-group"><label class="govuk-label" for="attachments">Załączniki</label>
<input class="govuk-file-upload" id="attachments" name="attachments" type="file" multiple></div>
<button type="submit" class="govuk-button">Wyślij</button>
</form></div></main>
<script type="module" src="/assets/precheck.js"></script></body></html>`;
}

describe('upload pre-check in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The form page is served at the app's origin (so CSP and /assets apply); the script comes from the app. */
  async function open(
    javaScriptEnabled: boolean,
    lang: Lang = 'pl',
  ): Promise<{ context: BrowserContext; page: Page; sent: () => number; close: () => Promise<void> }> {
    const context = await newContext(browser, { javaScriptEnabled });
    let sent = 0;
    await context.route(`${server.url}/precheck-fixture`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'" },
        body: formPage(lang),
      }),
    );
    await context.route(`${server.url}/precheck-fixture/sent`, (route) => {
      sent += 1;
      return route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="pl"><title>Wysłano</title><h1>Wysłano</h1></html>',
      });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${server.url}/precheck-fixture`);
    const close = async () => {
      await context.close();
      assert.deepEqual(errors, [], 'no script errors');
    };
    return { context, page, sent: () => sent, close };
  }

  const file = (name: string, size = 100) => ({
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(size, 'a'),
  });

  test('a disallowed extension is named before upload and submission waits', async () => {
    const { page, sent, close } = await open(true);
    await page.setInputFiles('#document', file('setup.exe'));
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    assert.match(
      await summary.innerText(),
      /Plik „setup\.exe”: ten urząd nie przyjmuje plików z rozszerzeniem „\.exe”/,
    );
    await expectAccessible(page, 'pre-check summary');
    await page.getByRole('button', { name: 'Wyślij' }).click();
    assert.equal(sent(), 0, 'not sent');
    assert.ok(await summary.evaluate((node) => node === document.activeElement), 'the summary takes focus');
    // Fixing the choice clears the warning and lets the form go.
    await page.setInputFiles('#document', file('wniosek.pdf'));
    assert.equal(await summary.count(), 0);
    await page.getByRole('button', { name: 'Wyślij' }).click();
    await page.waitForURL(`${server.url}/precheck-fixture/sent`);
    assert.equal(sent(), 1);
    await close();
  });

  test('the total size over the office limit is named, in English too', async () => {
    const { page, close } = await open(true, 'en');
    await page.setInputFiles('#document', file('request.pdf', 3 * 1024 * 1024));
    await page.setInputFiles('#attachments', [
      file('scan1.png', 2 * 1024 * 1024),
      file('scan2.png', 1024 * 1024),
    ]);
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    assert.match(
      await summary.innerText(),
      /The chosen files total 6\.0 MB, and the office accepts at most 5 MB\./,
    );
    await close();
  });

  test('a file name is shown as text, never as markup', async () => {
    const { page, close } = await open(true);
    await page.setInputFiles('#document', file('<img src=x onerror=alert(1)>.exe'));
    await page.locator('.govuk-error-summary').waitFor();
    assert.equal(await page.locator('.govuk-error-summary img').count(), 0);
    assert.match(
      await page.locator('.govuk-error-summary').innerText(),
      /<img src=x onerror=alert\(1\)>\.exe/,
    );
    await close();
  });

  test('without JavaScript nothing blocks the form: the server decides', async () => {
    const { page, sent, close } = await open(false);
    await page.setInputFiles('#document', file('setup.exe'));
    await page.getByRole('button', { name: 'Wyślij' }).click();
    await page.waitForURL(`${server.url}/precheck-fixture/sent`);
    assert.equal(sent(), 1);
    await close();
  });
});
