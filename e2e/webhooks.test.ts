import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, expectAccessible, launchBrowser, newContext } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();
const DEMO_PASSWORD = 'demo-password-123';

describe('webhook pages of an office admin in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startServer({ env: { JOBS_POLL_MS: '0' } });
    await server.app.services.grantRole({
      actorId: null,
      email: 'admin@example.pl',
      role: 'office-admin',
      officeId: 'umczestochowa',
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('add an endpoint without JavaScript, see the secret once, browse deliveries; every page passes axe', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/logowanie`);
    await page.getByLabel('Adres e-mail').fill('admin@example.pl');
    await page.getByLabel('Hasło').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/konto$/);

    await page.goto(`${server.url}/urzad/umczestochowa/webhooki`);
    await expectAccessible(page, 'webhooks (empty)');
    await page.getByLabel('Adres URL').fill('http://ezd.example.gov.pl/hook');
    await page.getByRole('button', { name: 'Dodaj', exact: true }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /https:\/\//);
    await expectAccessible(page, 'webhooks (error)');

    await page.getByLabel('Adres URL').fill('https://ezd.example.gov.pl/hook');
    await page.getByRole('button', { name: 'Dodaj', exact: true }).click();
    assert.match(await page.locator('.govuk-panel').innerText(), /whsec_/);
    await expectAccessible(page, 'webhooks (created)');

    await page.getByRole('link', { name: 'https://ezd.example.gov.pl/hook' }).click();
    await page.waitForURL(/\/webhooki\/[0-9a-f-]{36}$/);
    await expectAccessible(page, 'deliveries');
    for (const lang of ['en', 'pl']) {
      await page.goto(`${server.url}/urzad/umczestochowa/webhooki?lang=${lang}`);
      assert.doesNotMatch(await page.content(), /whsec_/);
      await expectAccessible(page, `webhooks (${lang})`);
    }
    await context.close();
  });
});
