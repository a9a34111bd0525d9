import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkipReason, expectAccessible } from './helpers/browser';
import { officeAdminSuite } from './helpers/office-admin';

const skip = browserSkipReason();

describe('delivery settings of an office admin in Chromium', { skip }, () => {
  const suite = officeAdminSuite({ env: { JOBS_POLL_MS: '0' } });

  test('switch deemed delivery off without JavaScript, from the office page; every page passes axe', async () => {
    const { page, close } = await suite.scriptlessPage();
    const server = suite.server();

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
    await close();
  });
});
