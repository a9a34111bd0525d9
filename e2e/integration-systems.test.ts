import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
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
const run = promisify(execFile);

describe('integration systems page of an office admin in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  let certificate: string;
  before(async () => {
    server = await startServerWithOfficeAdmin();
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
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('register a system without JavaScript; every state of the page passes axe', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logInWithPassword(page, server.url, 'admin@example.pl');

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
    await context.close();
  });
});
