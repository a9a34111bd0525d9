import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { linkIn, startMailCatcher, type MailCatcher } from '../test/helpers/mail';
import {
  browserSkipReason,
  clickAndLoad,
  expectAccessible,
  giveStaffCode,
  launchBrowser,
  logInWithPassword,
  newContext,
} from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();
const PASSWORD = 'zielone jabłko 2026';
const DEMO_PASSWORD = 'demo-password-123';

/** Today plus 3 years as the resident should read it (dd.mm.yyyy in Warsaw), computed here on its own. */
function threeYearsAhead(): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + 3);
  const parts = new Intl.DateTimeFormat('pl-PL', {
    timeZone: 'Europe/Warsaw',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('day')}.${get('month')}.${get('year')}`;
}

describe('accounts and the trusted profile in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  let mail: MailCatcher;
  before(async () => {
    mail = await startMailCatcher();
    server = await startServer({ env: { SMTP_URL: mail.url } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await mail?.close();
  });

  const checked = async (page: Page, label: string) => {
    assert.ok((await page.locator('h1').count()) >= 1, `${label} has a heading`);
    await expectAccessible(page, label);
  };

  test('register → verify from the mail → log in → apply → an officer confirms → valid for 3 years (resident without JavaScript)', async () => {
    const resident = await newContext(browser, { javaScriptEnabled: false });
    const page = await resident.newPage();

    await page.goto(`${server.url}/rejestracja`);
    await checked(page, 'registration');
    await page.getByRole('button', { name: 'Załóż konto' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Podaj imię i nazwisko/);
    await checked(page, 'registration with errors');
    await page.getByLabel('Imię i nazwisko').fill('Zofia Przykładowa');
    await page.getByLabel('Adres e-mail').fill('zofia@example.pl');
    await page.getByLabel('Nowe hasło').fill(PASSWORD);
    await page.getByLabel('Powtórz hasło').fill(PASSWORD);
    await page.getByLabel(/Akceptuję regulamin/).check();
    await page.getByRole('button', { name: 'Załóż konto' }).click();
    await page.waitForURL(/\/rejestracja\/wyslano$/);
    await checked(page, 'registration sent');

    const link = linkIn(await mail.waitFor('zofia@example.pl'), '/rejestracja/potwierdz?token=');
    const url = new URL(link);
    await page.goto(`${server.url}${url.pathname}${url.search}`);
    await checked(page, 'verify e-mail');
    await page.getByRole('button', { name: 'Potwierdź adres e-mail' }).click();
    await page.waitForURL(/\/logowanie\?komunikat=verified/);
    await checked(page, 'login after verification');

    await page.getByLabel('Adres e-mail').fill('zofia@example.pl');
    await page.getByLabel('Hasło').fill(PASSWORD);
    await page.getByRole('button', { name: 'Zaloguj się' }).click();
    await page.waitForURL(/\/pisma$/);
    await checked(page, 'letters after login');
    await page.goto(`${server.url}/konto`);
    await checked(page, 'account');
    const session = (await resident.cookies()).find((c) => c.name === 'session');
    assert.ok(session?.httpOnly && session.sameSite === 'Lax', 'session cookie is HttpOnly and SameSite=Lax');

    await page.getByRole('link', { name: 'Profil zaufany' }).first().click();
    await page.waitForURL(/\/profil-zaufany$/);
    await checked(page, 'trusted profile (none)');
    await page.getByLabel('Imię (imiona)').fill('Zofia');
    await page.getByLabel('Nazwisko').fill('Przykładowa');
    await page.getByLabel('Numer PESEL').fill('02270803625');
    await page.getByLabel('Data urodzenia').fill('2002-07-08');
    await page.getByLabel('Numer telefonu').fill('+48 600 100 200');
    await page.getByRole('button', { name: 'Złóż wniosek' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /cyfra kontrolna/);
    await checked(page, 'trusted profile application with a PESEL error');
    await page.getByLabel('Numer PESEL').fill('02270803624');
    await page.getByRole('button', { name: 'Złóż wniosek' }).click();
    await page.waitForURL(/\/profil-zaufany\?komunikat=applied/);
    await checked(page, 'trusted profile pending');
    const number = /PZ-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(await page.locator('main').innerText())![0];
    // Setting up the authenticator app (staff must; a resident may).
    await page.goto(`${server.url}/konto/2fa`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Włącz logowanie dwuskładnikowe' }));
    await checked(page, 'second factor setup');

    const desk = await newContext(browser);
    const officer = await desk.newPage();
    await officer.goto(`${server.url}/punkt`);
    await officer.waitForURL(/\/logowanie\?powrot=/);
    await officer.getByLabel('Adres e-mail').fill('punkt@example.pl');
    await officer.getByLabel('Hasło').fill(DEMO_PASSWORD);
    await officer.getByRole('button', { name: 'Zaloguj się' }).click();
    // Staff give the second factor; the return address goes along to the code page.
    await officer.waitForURL(/\/logowanie\/kod\?powrot=%2Fpunkt$/);
    await giveStaffCode(officer, server.url, 'punkt@example.pl');
    await officer.waitForURL(/\/punkt$/);
    await checked(officer, 'officer desk');
    await officer.getByLabel('Numer wniosku albo PESEL').fill(number);
    await officer.getByRole('button', { name: 'Szukaj' }).click();
    await checked(officer, 'officer search results');
    await officer.getByRole('link', { name: number }).click();
    await checked(officer, 'officer application');
    await officer.getByLabel('Dowód osobisty').check();
    await officer.getByRole('button', { name: 'Potwierdź profil zaufany' }).click();
    await officer.waitForURL(/\/punkt\?potwierdzono=/);
    await checked(officer, 'officer confirmed');
    await desk.close();

    await page.goto(`${server.url}/profil-zaufany`);
    const status = await page.locator('#profile-status').innerText();
    assert.equal(status, `Twój profil zaufany jest ważny do ${threeYearsAhead()}.`);
    await checked(page, 'trusted profile valid');

    // Extension after a fresh one-time code from the e-mail.
    await page.getByRole('button', { name: 'Przedłuż o 3 lata' }).click();
    await page.waitForURL(/\/profil-zaufany\/przedluz\?wyzwanie=/);
    await checked(page, 'fresh confirmation code');
    const codeMail = await mail.waitFor('zofia@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
    await page.getByLabel('Kod').fill(/(\d{6})/.exec(codeMail.subject ?? '')![1]!);
    await page.getByRole('button', { name: 'Potwierdź' }).click();
    await page.waitForURL(/\/profil-zaufany\?komunikat=extended/);
    // An extension starts a new 3-year term from the day it is made, never more than 3 years.
    const extended = new Date();
    extended.setUTCFullYear(extended.getUTCFullYear() + 3);
    assert.match(
      await page.locator('#profile-status').innerText(),
      new RegExp(`ważny do \\d{2}\\.\\d{2}\\.${extended.getUTCFullYear()}`),
    );
    await checked(page, 'trusted profile extended');

    await page.getByRole('button', { name: 'Wyloguj się' }).click();
    await page.waitForURL(/\/logowanie\?komunikat=loggedOut/);
    await resident.close();
  });

  test('account and staff pages pass axe in Polish and English', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await logInWithPassword(page, server.url, 'admin@example.pl', DEMO_PASSWORD);
    assert.match(page.url(), /\/admin$/);
    for (const path of [
      '/konto',
      '/konto/haslo',
      '/konto/2fa',
      '/profil-zaufany',
      '/admin',
      '/admin/punkty',
      '/admin/punkty/nowy',
      '/admin/punkty/umcz-kancelaria',
      '/admin/role',
      '/admin/profile?numer=PZ-DEMO-0001',
      '/admin/dziennik',
      '/reset-hasla',
      '/rejestracja',
    ]) {
      for (const lang of ['pl', 'en']) {
        const response = await page.goto(`${server.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(response?.status(), 200, path);
        await checked(page, `${path} (${lang})`);
      }
    }
    await page.goto(`${server.url}/admin?lang=pl`);
    assert.match(await page.locator('main').innerText(), /Ankieta/);
    await context.close();
  });
});
