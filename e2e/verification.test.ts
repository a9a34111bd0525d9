import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { badReceipts, issueReceipt, type IssuedReceipt } from '../test/helpers/issued-receipt';
import {
  browserSkipReason,
  clickAndLoad,
  expectAccessible,
  launchBrowser,
  newContext,
} from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

describe('the public verification page in Chromium, without JavaScript', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  let issued: IssuedReceipt;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    issued = await issueReceipt(server.app);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('from the QR code address: a receipt and its files verify, in the log; a tampered one does not', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    const file = (name: string, buffer: Buffer, mimeType = 'application/octet-stream') => ({
      name,
      mimeType,
      buffer,
    });

    await page.goto(`${server.url}/weryfikacja?id=${issued.receiptId}`);
    await expectAccessible(page, 'verification form');
    assert.match(await page.locator('.govuk-inset-text').innerText(), new RegExp(issued.receiptId));
    await page.setInputFiles('#receipt', file('UPP.xml', issued.xml, 'text/xml'));
    await page.setInputFiles(
      '#files',
      issued.files.map((f) => file(f.name, f.content)),
    );
    await clickAndLoad(page, page.getByRole('button', { name: 'Sprawdź poświadczenie' }));
    assert.equal(await page.locator('.govuk-panel__title').innerText(), 'Poświadczenie jest ważne');
    const checks = await page.locator('main').innerText();
    assert.match(checks, /Urząd Miasta Częstochowy \(umczestochowa\)/);
    assert.match(checks, /Plik „wniosek\.pdf” zgadza się z pozycją „wniosek\.pdf” \(dokument główny\)/);
    assert.match(checks, /Plik „skan\.png” zgadza się z pozycją „skan\.png” \(załącznik\)/);
    assert.match(checks, /Poświadczenie jest wpisem \d+ publicznego rejestru przejrzystości/);
    await expectAccessible(page, 'valid receipt');

    const bad = await badReceipts(issued.xml, server.app.deps.seals);
    try {
      await page.goto(`${server.url}/weryfikacja?lang=en`);
      await page.setInputFiles('#receipt', file('UPP.xml', bad.list[0]!.xml, 'text/xml'));
      await clickAndLoad(page, page.getByRole('button', { name: 'Verify the receipt' }));
      assert.equal(await page.locator('h1').innerText(), 'The receipt is not valid');
      const reasons = await page.locator('#verification-problems').innerText();
      assert.match(reasons, /changed after signing/);
      assert.match(
        reasons,
        /The receipt is not in the log: entry \d+ under this checkpoint is another document/,
      );
      await expectAccessible(page, 'tampered receipt');
    } finally {
      bad.cleanup();
    }

    // No receipt chosen: the error summary links to the field.
    await page.goto(`${server.url}/weryfikacja?lang=en`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Verify the receipt' }));
    assert.match(
      await page.locator('.govuk-error-summary').innerText(),
      /Choose the XML file of the receipt/,
    );
    await expectAccessible(page, 'form with an error');
    await context.close();
  });
});
