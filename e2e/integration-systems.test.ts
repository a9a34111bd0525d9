import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkipReason, expectAccessible } from './helpers/browser';
import { officeAdminSuite } from './helpers/office-admin';
import { opensslSelfSigned } from '../test/helpers/test-pki';

const skip = browserSkipReason();

describe('integration systems page of an office admin in Chromium', { skip }, () => {
  let certificate: string;
  const suite = officeAdminSuite({
    prepare: async () => {
      certificate = (await opensslSelfSigned('/CN=EZD Testowy')).certificatePem;
    },
  });

  test('register a system without JavaScript; every state of the page passes axe', async () => {
    const { page, close } = await suite.scriptlessPage();
    const server = suite.server();

    await page.goto(`${server.url}/urzad/umczestochowa/systemy`);
    await expectAccessible(page, 'systems (empty)');
    await page.getByLabel('Nazwa systemu').fill('EZD RP');
    await page.getByLabel('Certyfikat (PEM)').fill('to nie jest certyfikat');
    await page.getByRole('button', { name: 'Zarejestruj', exact: true }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /certyfikatu X\.509/);
    await expectAccessible(page, 'systems (error)');

    await page.getByLabel('Certyfikat (PEM)').fill(certificate);
    await page.getByRole('button', { name: 'Zarejestruj', exact: true }).click();
    assert.match(await page.locator('.govuk-panel').innerText(), /System zarejestrowany/);
    await expectAccessible(page, 'systems (registered)');
    await page.goto(`${server.url}/urzad/umczestochowa/systemy?lang=en`);
    await expectAccessible(page, 'systems (en)');
    await close();
  });
});
