import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { warsawYear } from '../src/domain/journal/index';
import { testDialects } from '../test/helpers/databases';
import { startMailCatcher, type MailCatcher } from '../test/helpers/mail';
import { xmlsecVerifies } from '../test/helpers/receipts';
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
const PASSWORD = 'demo-password-123';
const LETTER = 'Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach';
const ANSWER_TITLE = 'Zaświadczenie o niezaleganiu w podatkach lokalnych';
const ANSWER_TEXT = 'Zaświadcza się, że Jan Kowalski nie zalega z podatkami lokalnymi.\n';

async function logIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/logowanie`);
  await expectAccessible(page, 'the login page');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await clickAndLoad(page, page.locator('main form:has(#password) button[type=submit]'));
  // Staff give the second factor on the code page.
  if (new URL(page.url()).pathname === '/logowanie/kod') {
    await expectAccessible(page, 'the code page');
    await giveStaffCode(page, url, email);
  }
  assert.doesNotMatch(page.url(), /\/logowanie/, `${email} is logged in`);
  await expectAccessible(page, `the page after ${email} logs in`);
}

/** Clicks a link that downloads a file and returns the file's bytes. */
async function download(page: Page, link: ReturnType<Page['locator']>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const where = await file.path();
  if (!where) throw new Error(`download failed: ${await file.failure()}`);
  return fs.readFileSync(where);
}

for (const dialect of testDialects()) {
  describe(
    `a clerk answers a letter, the resident collects it, the office gets the proof of receipt, in Chromium (${dialect})`,
    { skip },
    () => {
      let server: RunningServer;
      let browser: Browser;
      let mail: MailCatcher;
      before(async () => {
        mail = await startMailCatcher();
        server = await startServer({ dialect, env: { SMTP_URL: mail.url } });
        browser = await launchBrowser();
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
        await mail?.close();
      });

      test('register, answer, confirm receipt with a mailed code, read, and download the signed UPD; accessible and without JavaScript', async () => {
        // The clerk registers the filed letter and answers it.
        const clerkContext = await newContext(browser, { javaScriptEnabled: false });
        const clerk = await clerkContext.newPage();
        await logIn(clerk, server.url, 'urzednik@example.pl');
        await clerk.goto(`${server.url}/urzad/umczestochowa`);
        await expectAccessible(clerk, 'the office desk');
        await clickAndLoad(
          clerk,
          clerk.getByRole('link', { name: 'Skrzynka podawcza i dziennik korespondencji' }),
        );
        await expectAccessible(clerk, 'the box');
        await clickAndLoad(clerk, clerk.getByRole('link', { name: LETTER }));
        await expectAccessible(clerk, 'the filed letter');
        const documentUrl = clerk.url().replace(/[?#].*$/, '');
        const documentId = /\/dokumenty\/([0-9a-f-]{36})$/.exec(documentUrl)?.[1];
        assert.ok(documentId, `a document page: ${documentUrl}`);

        await clickAndLoad(clerk, clerk.getByRole('button', { name: 'Zarejestruj' }));
        const number = `UMCZ/${warsawYear(new Date())}/000001`;
        assert.equal((await clerk.locator('#registration-number').innerText()).trim(), number);
        await expectAccessible(clerk, 'the registered letter');

        await clickAndLoad(clerk, clerk.getByRole('link', { name: 'Napisz odpowiedź' }));
        await expectAccessible(clerk, 'the answer form');
        await clerk.fill('#title', ANSWER_TITLE);
        await clerk.setInputFiles('#document', {
          name: 'zaswiadczenie.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from(ANSWER_TEXT, 'utf8'),
        });
        await clickAndLoad(clerk, clerk.getByRole('button', { name: 'Wyślij odpowiedź' }));
        assert.equal(clerk.url().replace(/#.*$/, ''), documentUrl, 'back on the document page');
        const answers = clerk.locator('.govuk-summary-card', { hasText: ANSWER_TITLE });
        assert.equal((await answers.locator('.delivery-status').innerText()).trim(), 'czeka na odbiór');
        assert.equal(
          await answers.getByRole('link').count(),
          3,
          'only the proof of sending so far, as a page, XML and PDF',
        );
        await expectAccessible(clerk, 'the document with its answer');

        // The resident sees only a notice, confirms receipt with the code mailed, and reads the answer.
        const delivery = await server.app.database.db
          .selectFrom('deliveries')
          .select('id')
          .where('in_reply_to', '=', documentId!)
          .executeTakeFirstOrThrow();
        const residentContext = await newContext(browser, { javaScriptEnabled: false });
        const resident = await residentContext.newPage();
        await logIn(resident, server.url, 'mieszkaniec@example.pl');
        await resident.goto(`${server.url}/skrzynka`);
        await expectAccessible(resident, 'the inbox');
        const inbox = await resident.locator('main').innerText();
        assert.doesNotMatch(inbox, new RegExp(ANSWER_TITLE), 'no title before receipt');
        const notice = resident.locator(`a[href="/skrzynka/${delivery.id}"]`);
        assert.equal((await notice.innerText()).trim(), 'Czeka na Ciebie pismo');
        const sentRow = resident.locator('#sent-letters tr', { hasText: LETTER });
        assert.equal(
          (await sentRow.locator('.registration-number').innerText()).trim(),
          number,
          'the inbox shows the registration number',
        );
        assert.equal((await sentRow.locator('.letter-status').innerText()).trim(), 'zarejestrowane');

        await clickAndLoad(resident, notice);
        await expectAccessible(resident, 'the notice');
        assert.doesNotMatch(await resident.locator('main').innerText(), new RegExp(ANSWER_TITLE));
        assert.equal(
          await resident.locator(`a[href^="/skrzynka/${delivery.id}/pliki/"]`).count(),
          0,
          'no file before receipt',
        );

        const mailsBefore = mail.messages.length;
        await clickAndLoad(resident, resident.getByRole('button', { name: 'Potwierdzam odbiór pisma' }));
        await expectAccessible(resident, 'the code page');
        const codeMail = await mail.waitFor(
          'mieszkaniec@example.pl',
          (m) => mail.messages.indexOf(m) >= mailsBefore && /kod \d{6}/.test(m.subject ?? ''),
        );
        const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
        await resident.fill('#code', code);
        await clickAndLoad(resident, resident.getByRole('button', { name: 'Potwierdź odbiór' }));
        assert.equal(resident.url(), `${server.url}/skrzynka/${delivery.id}`);
        await expectAccessible(resident, 'the collected letter');
        assert.equal(
          (await resident.locator('h1').innerText()).replace(/^Urząd Miasta Częstochowy\s*/, '').trim(),
          ANSWER_TITLE,
        );
        assert.match(await resident.locator('main').innerText(), /odebrane/);
        const content = await download(resident, resident.getByRole('link', { name: 'zaswiadczenie.txt' }));
        assert.equal(content.toString('utf8'), ANSWER_TEXT, 'the resident reads the answer as sent');
        assert.equal(
          await resident.getByRole('link', { name: /UPD/ }).count(),
          3,
          'the resident has the proof of receipt too, as a page, XML and PDF',
        );
        await residentContext.close();

        // The office sees the proof of receipt at once, and it is signed XML that verifies.
        await clerk.goto(documentUrl);
        await expectAccessible(clerk, 'the document with the collected answer');
        assert.equal((await answers.locator('.delivery-status').innerText()).trim(), 'odebrane');
        const upd = await download(
          clerk,
          answers.getByRole('link', { name: 'Urzędowe poświadczenie doręczenia, UPD (XML)' }),
        );
        const xml = upd.toString('utf8');
        assert.match(xml, /TypInformacjiUzupelniajacej="DoreczenieZastepcze">false</);
        assert.match(xml, /<(ds:)?Signature\b/);
        assert.ok(xml.includes(delivery.id), 'the proof names the delivery');
        const chain = await (await fetch(`${server.url}/api/v1/offices/umczestochowa/certificate`)).text();
        const certs = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        const verified = xmlsecVerifies(upd, `${certs.at(-1)}\n`);
        assert.ok(verified.ok, verified.output);
        await clerkContext.close();
      });
    },
  );
}
