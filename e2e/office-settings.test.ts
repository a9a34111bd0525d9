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

describe('delivery settings of an office admin in Chromium', { skip }, () => {
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

  test('switch deemed delivery off without JavaScript, from the office page; every page passes axe', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logInWithPassword(page, server.url, 'admin@example.pl');

    await page.goto(`${server.url}/urzad/umczestochowa`);
    await page.getByRole('link', { name: 'Ustawienia doręczeń' }).click();
    await page.waitForURL(/\/urzad\/umczestochowa\/ustawienia$/);
    assert.equal(await page.getByLabel('Tak, stosuj doręczenie zastępcze').isChecked(), true);
    await expectAccessible(page, 'delivery settings');

    await page.getByLabel('Nie, pismo czeka na odbiór').check();
    await page.getByRole('button', { name: 'Zapisz' }).click();
    await page.waitForURL(/zapisano=1$/);
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Zapisano/);
    assert.equal(await page.getByLabel('Nie, pismo czeka na odbiór').isChecked(), true);
    await expectAccessible(page, 'delivery settings (saved)');
    assert.equal((await server.app.services.getOffice('umczestochowa')).policy.deemedDelivery, false);

    await page.goto(`${server.url}/urzad/umczestochowa/ustawienia?lang=en`);
    assert.match(await page.locator('legend').innerText(), /Apply deemed delivery after 14 days\?/);
    await expectAccessible(page, 'delivery settings (en)');
    await context.close();
  });
});
