import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkipReason, expectAccessible } from './helpers/browser';
import { officeAdminSuite } from './helpers/office-admin';

const skip = browserSkipReason();

describe('API token page of an office admin in Chromium', { skip }, () => {
  const suite = officeAdminSuite({ env: { JOBS_POLL_MS: '0' } });

  test('create a token without JavaScript, see its secret once, use it, revoke it; every page passes axe', async () => {
    const { page, close } = await suite.scriptlessPage();
    const server = suite.server();

    await page.goto(`${server.url}/urzad/umczestochowa`);
    await page.getByRole('link', { name: 'Tokeny API' }).click();
    await page.waitForURL(/\/urzad\/umczestochowa\/tokeny$/);
    await expectAccessible(page, 'tokens (empty)');

    // Nothing chosen: both fields are named in the error summary.
    await page.getByRole('button', { name: 'Utwórz token' }).click();
    const summary = await page.locator('.govuk-error-summary').innerText();
    assert.match(summary, /Nazwa/);
    assert.match(summary, /Wybierz zakres tokenu/);
    await expectAccessible(page, 'tokens (error)');

    await page.getByLabel('Nazwa', { exact: true }).fill('EZD kancelarii');
    await page.getByLabel(/^pull:/).check();
    await page.getByLabel('Data wygaśnięcia (nieobowiązkowa)').fill('2099-06-30');
    await page.getByRole('button', { name: 'Utwórz token' }).click();
    await page.locator('.govuk-panel').waitFor();
    const secret = await page.locator('code.uo-secret').innerText();
    assert.match(secret, /^uo_[A-Za-z0-9_-]{43}$/);
    await expectAccessible(page, 'tokens (created)');

    const pending = `${server.url}/api/v1/boxes/umczestochowa/skrytka/pending`;
    const headers = { authorization: `Bearer ${secret}` };
    assert.equal((await fetch(pending, { headers })).status, 200);

    for (const lang of ['en', 'pl']) {
      await page.goto(`${server.url}/urzad/umczestochowa/tokeny?lang=${lang}`);
      assert.doesNotMatch(await page.content(), /uo_[A-Za-z0-9_-]{43}/);
      await expectAccessible(page, `tokens (${lang})`);
    }
    await page.getByRole('button', { name: 'Unieważnij EZD kancelarii' }).click();
    await page.waitForURL(/uniewazniono=/);
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /unieważniony/);
    await expectAccessible(page, 'tokens (revoked)');
    assert.equal((await fetch(pending, { headers })).status, 401);
    await close();
  });
});
