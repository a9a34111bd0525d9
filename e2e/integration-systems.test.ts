import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { browserSkipReason, expectAccessible } from './helpers/browser';
import { officeAdminSuite } from './helpers/office-admin';

const skip = browserSkipReason();
const run = promisify(execFile);

describe('integration systems page of an office admin in Chromium', { skip }, () => {
  let certificate: string;
  const suite = officeAdminSuite({
    prepare: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'systems-e2e-'));
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'c.pem'),
        '-days',
        '30',
        '-subj',
        '/CN=EZD Testowy',
      ]);
      certificate = fs.readFileSync(path.join(dir, 'c.pem'), 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
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
