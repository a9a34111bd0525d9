import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, expectAccessible, launchBrowser, newContext } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();
const DEMO_PASSWORD = 'demo-password-123';

describe('delivery settings of an office admin in Chromium', { skip }, () => {
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

  test('switch deemed delivery off without JavaScript, from the office page; every page passes axe', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/logowanie`);
    await page.getByLabel('Adres e-mail').fill('admin@example.pl');
    await page.getByLabel('Hasło').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/konto$/);

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
