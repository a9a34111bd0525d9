import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { warsawYear } from '../src/domain/journal/index';
import { testDialects } from '../test/helpers/databases';
import {
  browserSkipReason,
  clickAndLoad,
  expectAccessible,
  giveStaffCode,
  launchBrowser,
  newContext,
} from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

for (const dialect of testDialects()) {
  describe(`a clerk registers a filed letter in Chromium (${dialect})`, { skip }, () => {
    let server: RunningServer;
    let browser: Browser;
    before(async () => {
      server = await startServer({ dialect });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    test('log in, find the appeal in the box, read it, register it; accessible and without JavaScript', async () => {
      const context = await newContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${server.url}/logowanie`);
      await page.fill('#email', 'urzednik@example.pl');
      await page.fill('#password', 'demo-password-123');
      await clickAndLoad(page, page.locator('main form:has(#password) button[type=submit]'));
      await giveStaffCode(page, server.url, 'urzednik@example.pl');

      await page.goto(`${server.url}/urzad/umczestochowa`);
      await clickAndLoad(
        page,
        page.getByRole('link', { name: 'Skrzynka podawcza i dziennik korespondencji' }),
      );
      await expectAccessible(page, 'the box');
      assert.equal(await page.locator('main table tbody tr').count(), 3);

      await page.selectOption('#kind', 'odwolanie');
      await clickAndLoad(page, page.getByRole('button', { name: 'Pokaż' }));
      assert.match(page.url(), /kind=odwolanie/);
      assert.equal(await page.locator('main table tbody tr').count(), 1);
      await expectAccessible(page, 'the filtered box');

      await clickAndLoad(
        page,
        page.getByRole('link', { name: 'Odwołanie od decyzji w sprawie rejestracji pojazdu' }),
      );
      assert.match(
        await page.locator('#letter').innerText(),
        /Odwołuję się od decyzji z dnia 5 stycznia 2026 r\./,
      );
      assert.equal((await page.locator('#registration-number').innerText()).trim(), '—');
      await expectAccessible(page, 'the document');

      await clickAndLoad(page, page.getByRole('button', { name: 'Zarejestruj' }));
      const number = (await page.locator('#registration-number').innerText()).trim();
      assert.equal(number, `UMCZ/${warsawYear(new Date())}/000001`);
      assert.match(
        await page.locator('#notice').innerText(),
        new RegExp(`zarejestrowano pod numerem ${number.replace(/\//g, '\\/')}`),
      );
      assert.equal((await page.locator('#document-status').innerText()).trim(), 'zarejestrowane');
      await expectAccessible(page, 'the registered document');

      await page.goto(`${server.url}/urzad/umczestochowa/skrzynka?status=registered`);
      assert.match(await page.locator('main table').innerText(), new RegExp(number.replace(/\//g, '\\/')));
      await context.close();
    });
  });
}
