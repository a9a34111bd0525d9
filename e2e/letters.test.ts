import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { png, samplePdf } from '../test/helpers/sample-files';
import {
  browserSkipReason,
  clickAndLoad,
  expectAccessible,
  launchBrowser,
  newContext,
} from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

/** The newest one-time code mailed to an address, read from the .eml files of the file mailer. */
function latestCode(dataDir: string, to: string): string {
  const dir = path.join(dataDir, 'mail');
  const files = fs
    .readdirSync(dir)
    .map((name) => path.join(dir, name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(to)) continue;
    const code = /\b(\d{6})\b/.exec(
      text
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join('\n'),
    );
    if (code?.[1]) return code[1];
  }
  throw new Error(`no code mailed to ${to}`);
}

describe('filing a signed general letter in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function logIn(page: Page): Promise<void> {
    await page.goto(`${server.url}/logowanie`);
    await page.fill('#email', 'mieszkaniec@example.pl');
    await page.fill('#password', 'demo-password-123');
    await clickAndLoad(page, page.locator('main form:has(#password) button[type=submit]'));
  }

  test('a demo resident files a signed letter with two attachments and gets a receipt xmlsec1 verifies', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page);

    await page.goto(`${server.url}/pisma/nowe`);
    await expectAccessible(page, 'letter form');
    await page.getByLabel('Żądanie').check();
    await page.fill('#title', 'Wniosek o wydanie zaświadczenia o zameldowaniu');
    await page.fill('#place', 'Częstochowa');
    await page.fill(
      '#body',
      'Proszę o wydanie zaświadczenia o zameldowaniu.\n\nZaświadczenie jest potrzebne do sprawy w banku.',
    );
    await page.setInputFiles('#attachments', [
      { name: 'dowod-wplaty.pdf', mimeType: 'application/pdf', buffer: samplePdf('Potwierdzenie przelewu') },
      { name: 'skan.png', mimeType: 'image/png', buffer: png() },
    ]);
    await page.getByRole('button', { name: 'Zapisz i przejdź dalej' }).click();
    await page.waitForURL(/\/pisma\/szkic\/[0-9a-f-]+$/);
    await expectAccessible(page, 'check your answers');
    const preview = await page.locator('#letter-preview').innerText();
    assert.match(preview, /zaświadczenia o zameldowaniu/);
    assert.match(await page.locator('main').innerText(), /dowod-wplaty\.pdf/);
    assert.match(await page.locator('main').innerText(), /skan\.png/);

    await page.getByRole('button', { name: 'Podpisz profilem zaufanym i wyślij' }).click();
    await expectAccessible(page, 'signature code');
    await page.fill('#code', '000000');
    await page.getByRole('button', { name: 'Podpisz i wyślij' }).click();
    assert.ok(await page.locator('.govuk-error-message').first().isVisible(), 'a wrong code is refused');
    await page.fill('#code', latestCode(server.app.env.config.dataDir, 'mieszkaniec@example.pl'));
    await page.getByRole('button', { name: 'Podpisz i wyślij' }).click();
    await page.waitForURL(/\/potwierdzenie$/);
    await expectAccessible(page, 'confirmation panel');
    assert.match(await page.locator('.govuk-panel__title').innerText(), /Pismo zostało złożone/);
    const receiptId = (await page.locator('#receipt-id').innerText()).trim();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#download-xml').click(),
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-upp-'));
    const receiptPath = path.join(dir, 'upp.xml');
    await download.saveAs(receiptPath);
    const xml = fs.readFileSync(receiptPath, 'utf8');
    assert.ok(xml.includes(receiptId));
    const chain = await (await fetch(`${server.url}/api/v1/offices/umczestochowa/certificate`)).text();
    const certs = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    fs.writeFileSync(path.join(dir, 'ca.pem'), `${certs[certs.length - 1]}\n`);
    const verify = spawnSync(
      'xmlsec1',
      [
        '--verify',
        '--trusted-pem',
        path.join(dir, 'ca.pem'),
        '--id-attr:Id',
        'SignedProperties',
        receiptPath,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(verify.status, 0, verify.stderr);

    // The filed letter is a signed general letter whose attachments are bound by their digests.
    const documentId = /\/pisma\/([0-9a-f-]+)\/potwierdzenie/.exec(page.url())?.[1];
    const files = await server.app.database.db
      .selectFrom('document_files')
      .selectAll()
      .where('document_id', '=', documentId!)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      files.map((f) => f.name),
      ['pismo.xml', 'dowod-wplaty.pdf', 'skan.png'],
    );
    const filed = await server.app.database.db
      .selectFrom('documents')
      .select('signature_status')
      .where('id', '=', documentId!)
      .executeTakeFirstOrThrow();
    assert.equal(filed.signature_status, 'valid', 'the trusted signature is verified like any other');
    const mails = fs
      .readdirSync(path.join(server.app.env.config.dataDir, 'mail'))
      .map((n) => fs.readFileSync(path.join(server.app.env.config.dataDir, 'mail', n), 'utf8'));
    assert.ok(
      mails.some((m) => m.includes(`UPP-${receiptId}.xml`)),
      'the receipt was mailed to the resident',
    );
    const letter = (await server.app.deps.blobs.read(files[0]!.sha256)).toString('utf8');
    assert.match(letter, /<ds:Signature/);
    assert.ok(letter.includes(files[1]!.sha256) && letter.includes(files[2]!.sha256));

    await page.goto(`${server.url}/pisma`);
    await expectAccessible(page, 'my letters');
    assert.match(await page.locator('#sent').innerText(), /Wniosek o wydanie zaświadczenia/);
    await context.close();
  });

  test('a resident files a ready document with an attachment, without JavaScript', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page);
    await page.goto(`${server.url}/pisma`);
    await page.getByRole('button', { name: 'Złóż gotowy dokument' }).click();
    await page.waitForURL(/\/pisma\/dokument$/);
    await expectAccessible(page, 'ready document form');
    await page.getByRole('button', { name: 'Złóż dokument' }).click();
    const summary = await page.locator('.govuk-error-summary').innerText();
    assert.match(summary, /Wpisz tytuł pisma/);
    assert.match(summary, /Wybierz plik dokumentu głównego/);
    assert.doesNotMatch(summary, /„document”/);
    await expectAccessible(page, 'ready document form with errors');
    await page.fill('#title', 'Odwołanie — dokument z kancelarii');
    await page.getByLabel('Odwołanie').check();
    await page.setInputFiles('#document', {
      name: 'odwolanie.pdf',
      mimeType: 'application/pdf',
      buffer: samplePdf('Odwolanie'),
    });
    await page.setInputFiles('#attachment', {
      name: 'pelnomocnictwo.png',
      mimeType: 'image/png',
      buffer: png(),
    });
    await page.getByRole('button', { name: 'Złóż dokument' }).click();
    await page.waitForURL(/\/potwierdzenie$/);
    assert.match(await page.locator('.govuk-panel__title').innerText(), /Pismo zostało złożone/);
    const documentId = /\/pisma\/([0-9a-f-]+)\/potwierdzenie/.exec(page.url())?.[1];
    const files = await server.app.database.db
      .selectFrom('document_files')
      .select(['name', 'role'])
      .where('document_id', '=', documentId!)
      .orderBy('position')
      .execute();
    assert.deepEqual(files, [
      { name: 'odwolanie.pdf', role: 'main' },
      { name: 'pelnomocnictwo.png', role: 'attachment' },
    ]);
    await context.close();
  });

  test('a letter with a forbidden attachment is refused with the file named, and nothing is kept', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await logIn(page);
    await page.goto(`${server.url}/pisma/nowe`);
    await page.fill('#title', 'Pismo z programem');
    await page.fill('#body', 'Treść.');
    await page.setInputFiles('#attachments', [
      {
        name: 'faktura.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]),
      },
    ]);
    await page.getByRole('button', { name: 'Zapisz i przejdź dalej' }).click();
    const summary = await page.locator('.govuk-error-summary').innerText();
    assert.match(summary, /faktura\.pdf/);
    await expectAccessible(page, 'letter form with errors');
    const drafts = await server.app.database.db
      .selectFrom('letter_drafts')
      .select('id')
      .where('title', '=', 'Pismo z programem')
      .execute();
    assert.equal(drafts.length, 0);
    await context.close();
  });
});
