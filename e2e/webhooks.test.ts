import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  browserSkipReason,
  logInWithPassword,
  expectAccessible,
  launchBrowser,
  newContext,
} from './helpers/browser';
import { startServerWithOfficeAdmin, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

describe('webhook pages of an office admin in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startServerWithOfficeAdmin({ env: { JOBS_POLL_MS: '0' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('add an endpoint without JavaScript, see the secret once, browse deliveries; every page passes axe', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logInWithPassword(page, server.url, 'admin@example.pl');

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
