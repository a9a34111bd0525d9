import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { markDemoLettersTaken } from '../test/helpers/app';
import { testDialects } from '../test/helpers/databases';
import { makeConnectorKey, runEzdClient, type ConnectorKey } from '../test/helpers/ezd-soap';
import { startMailCatcher, type MailCatcher } from '../test/helpers/mail';
import { xmlsecVerifies } from '../test/helpers/receipts';
import { png, samplePdf } from '../test/helpers/sample-files';
import {
  browserSkipReason,
  clickAndLoad,
  expectAccessible,
  launchBrowser,
  logInWithPassword,
  newContext,
} from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();
const BOX = '/umczestochowa/skrytka';
const REPLY_BOX = '/umczestochowa/odpowiedzi';
const RESIDENT = 'mieszkaniec@example.pl';
const LETTER = 'Wniosek o rozłożenie podatku na raty';
const RUNNER = { runnerId: 'e2e', limit: 20, lockMs: 60_000 };

/**
 * The whole EZD round trip with the real zeep connector and a resident in Chromium: the
 * resident files a letter with two attachments, the EZD pulls and acknowledges it, `dorecz`s a
 * decision, the resident confirms receipt in the browser, and the EZD pulls the signed UPD from
 * its reply box.
 */
for (const dialect of testDialects()) {
  describe(`an office's EZD and a resident in Chromium, over SOAP with zeep (${dialect})`, { skip }, () => {
    let server: RunningServer;
    let browser: Browser;
    let mail: MailCatcher;
    let dir: string;
    let ezd: ConnectorKey;
    let sealFile: string;
    let caPem: string;

    const client = (service: 'pull' | 'doreczyciel', ...args: string[]) =>
      runEzdClient(server.url, service, ezd, sealFile, ...args);

    /** The one-time code mailed to the resident after `since` messages, waited for, not timed. */
    async function mailedCode(since: number): Promise<string> {
      const message = await mail.waitFor(
        RESIDENT,
        (m) => mail.messages.indexOf(m) >= since && /\b\d{6}\b/.test(`${m.subject ?? ''}\n${m.text ?? ''}`),
      );
      return /\b(\d{6})\b/.exec(`${message.subject ?? ''}\n${message.text ?? ''}`)![1]!;
    }

    async function fileLetter(page: Page): Promise<string> {
      await page.goto(`${server.url}/pisma/nowe`);
      await expectAccessible(page, 'the letter form');
      await page.getByLabel('Żądanie').check();
      await page.fill('#title', LETTER);
      await page.fill('#place', 'Częstochowa');
      await page.fill('#body', 'Proszę o rozłożenie podatku od nieruchomości na raty.');
      await page.setInputFiles('#attachments', [
        { name: 'dochody.pdf', mimeType: 'application/pdf', buffer: samplePdf('Zaświadczenie o dochodach') },
        { name: 'skan.png', mimeType: 'image/png', buffer: png() },
      ]);
      await clickAndLoad(page, page.getByRole('button', { name: 'Zapisz i przejdź dalej' }));
      await expectAccessible(page, 'check your answers');
      const mailsBefore = mail.messages.length;
      await clickAndLoad(page, page.getByRole('button', { name: 'Podpisz profilem zaufanym i wyślij' }));
      await page.fill('#code', await mailedCode(mailsBefore));
      await clickAndLoad(page, page.getByRole('button', { name: 'Podpisz i wyślij' }));
      const documentId = /\/pisma\/([0-9a-f-]{36})\/potwierdzenie$/.exec(page.url())?.[1];
      assert.ok(documentId, `the confirmation page: ${page.url()}`);
      await expectAccessible(page, 'the confirmation');
      return documentId;
    }

    before(async () => {
      mail = await startMailCatcher();
      // Jobs run when the test says so, so each step sees exactly what the one before it did.
      server = await startServer({ dialect, env: { SMTP_URL: mail.url, JOBS_POLL_MS: '0' } });
      await markDemoLettersTaken(server.app);
      browser = await launchBrowser();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ezd-'));
      ezd = await makeConnectorKey(dir, 'ezd');
      const seal = await server.app.deps.seals.forOffice('umczestochowa', 'Urząd Miasta Częstochowy');
      const platform = await server.app.deps.seals.platform();
      fs.writeFileSync(path.join(dir, 'seal.pem'), seal.certificatePem);
      fs.writeFileSync(path.join(dir, 'platform.pem'), platform.certificatePem);
      sealFile = `${path.join(dir, 'seal.pem')},${path.join(dir, 'platform.pem')}`;
      caPem = fs.readFileSync(path.join(server.app.env.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
      await server.app.services.addIntegrationSystem({
        officeId: 'umczestochowa',
        name: 'EZD RP',
        certificatePem: fs.readFileSync(ezd.cert, 'utf8'),
      });
      fs.writeFileSync(path.join(dir, 'decyzja.pdf'), samplePdf('Decyzja o rozłożeniu podatku na raty'));
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
      await mail?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('file, pull and acknowledge, dorecz, confirm receipt in the browser, pull the UPD xmlsec1 verifies', async () => {
      const context = await newContext(browser, { javaScriptEnabled: false });
      const page = await context.newPage();
      await logInWithPassword(page, server.url, RESIDENT);
      await expectAccessible(page, 'the account page');

      // The resident files a letter with two attachments; the EZD pulls it and acknowledges it with SHA-1.
      const documentId = await fileLetter(page);
      assert.deepEqual(await client('pull', 'count', BOX), { kod: 1, oczekujace: 1 });
      const pulled = await client('pull', 'pull', BOX);
      assert.equal(pulled.kod, 1, JSON.stringify(pulled));
      assert.equal(pulled.adresSkrytki, BOX);
      assert.match(String(pulled.daneDodatkowe), new RegExp(`<IdentyfikatorDokumentu>${documentId}<`));
      const letter = Buffer.from(String(pulled.zawartosc), 'base64').toString('utf8');
      assert.ok(letter.includes(LETTER), 'the pulled document is the letter filed');
      for (const name of ['dochody.pdf', 'skan.png'])
        assert.ok(letter.includes(name), `${name} travels with it`);
      const skrot = createHash('sha1')
        .update(Buffer.from(String(pulled.zawartosc), 'base64'))
        .digest('base64');
      assert.equal((await client('pull', 'ack', BOX, skrot)).kod, 1);
      assert.deepEqual(await client('pull', 'count', BOX), { kod: 1, oczekujace: 0 });
      assert.notEqual((await client('pull', 'ack', BOX, skrot)).kod, 1, 'acknowledged once');

      // The EZD sends the decision for delivery against proof of receipt, answers to its reply box.
      const account = await server.app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', RESIDENT)
        .executeTakeFirstOrThrow();
      const residentBox = `/${account.id}/skrytka`;
      const sent = await client(
        'doreczyciel',
        'dorecz',
        residentBox,
        path.join(dir, 'decyzja.pdf'),
        REPLY_BOX,
        'EZD-2026-41',
        'FN.3120.7.2026',
      );
      assert.equal(sent.kod, 1, JSON.stringify(sent));
      const delivery = await server.app.database.db
        .selectFrom('deliveries')
        .select('id')
        .where('ezd_document_id', '=', 'EZD-2026-41')
        .executeTakeFirstOrThrow();
      await server.app.services.runDueJobs(RUNNER);
      assert.deepEqual(
        await client('pull', 'count', REPLY_BOX),
        { kod: 1, oczekujace: 0 },
        'nothing before receipt',
      );

      // The resident sees the notice with the box address, and confirms receipt with a fresh code.
      await page.goto(`${server.url}/skrzynka`);
      await expectAccessible(page, 'the inbox with the notice');
      assert.ok((await page.locator('main').innerText()).includes(residentBox), 'the box address is shown');
      const notice = page.locator(`a[href="/skrzynka/${delivery.id}"]`);
      assert.equal((await notice.innerText()).trim(), 'Czeka na Ciebie pismo');
      await clickAndLoad(page, notice);
      await expectAccessible(page, 'the notice');
      assert.doesNotMatch(await page.locator('main').innerText(), /decyzja\.pdf/, 'no title before receipt');
      const mailsBefore = mail.messages.length;
      await clickAndLoad(page, page.getByRole('button', { name: 'Potwierdzam odbiór pisma' }));
      await expectAccessible(page, 'the code page');
      await page.fill('#code', await mailedCode(mailsBefore));
      await clickAndLoad(page, page.getByRole('button', { name: 'Potwierdź odbiór' }));
      assert.equal(page.url(), `${server.url}/skrzynka/${delivery.id}`);
      await expectAccessible(page, 'the collected decision');
      assert.match(await page.locator('main').innerText(), /odebrane/);
      await context.close();

      // The proof of receipt reaches the reply box; the EZD pulls it, xmlsec1 verifies it.
      await server.app.services.runDueJobs(RUNNER);
      await server.app.services.runDueJobs(RUNNER);
      assert.deepEqual(await client('pull', 'count', REPLY_BOX), { kod: 1, oczekujace: 1 });
      const proof = await client('pull', 'pull', REPLY_BOX);
      assert.equal(proof.kod, 1, JSON.stringify(proof));
      assert.equal(proof.adresSkrytki, REPLY_BOX);
      const upd = Buffer.from(String(proof.zawartosc), 'base64');
      assert.ok(upd.toString('utf8').includes(delivery.id), 'the proof names the delivery');
      const verified = xmlsecVerifies(upd, caPem);
      assert.ok(verified.ok, verified.output);
      const extra = String(proof.daneDodatkowe);
      assert.match(extra, /<IdentyfikatorDokumentuNadawcy>EZD-2026-41</);
      assert.match(extra, /<IdentyfikatorSprawy>FN\.3120\.7\.2026</);
      const updSkrot = createHash('sha1').update(upd).digest('base64');
      assert.equal((await client('pull', 'ack', REPLY_BOX, updSkrot)).kod, 1);
      assert.deepEqual(await client('pull', 'count', REPLY_BOX), { kod: 1, oczekujace: 0 });
    });
  });
}
