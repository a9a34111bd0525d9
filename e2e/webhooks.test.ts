import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkipReason, expectAccessible } from './helpers/browser';
import { officeAdminSuite } from './helpers/office-admin';

const skip = browserSkipReason();

describe('webhook pages of an office admin in Chromium', { skip }, () => {
  const suite = officeAdminSuite({ env: { JOBS_POLL_MS: '0' } });

  test('add an endpoint without JavaScript, see the secret once, browse deliveries; every page passes axe', async () => {
    const { page, close } = await suite.scriptlessPage();
    const server = suite.server();

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
    await close();
  });
});
