import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, expectAccessible, launchBrowser, newContext } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();
const PAGES = [
  '/',
  '/esp/umczestochowa',
  '/instrukcje',
  '/instrukcje/zakladanie-konta',
  '/instrukcje/profil-zaufany',
  '/instrukcje/podpisywanie',
  '/punkty-potwierdzajace',
  '/cookies',
  '/esp/nie-ma-takiego',
];
const NECESSARY = new Set(['_csrf', 'lang', 'cookie_consent', 'poll', 'session']);

describe('portal in Chromium', { skip }, () => {
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

  for (const javaScriptEnabled of [true, false]) {
    test(`every page renders and passes axe (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await newContext(browser, { javaScriptEnabled });
      const page = await context.newPage();
      for (const path of PAGES) {
        for (const lang of ['pl', 'en']) {
          const response = await page.goto(`${server.url}${path}?lang=${lang}`);
          assert.equal(response?.status(), path.includes('nie-ma-takiego') ? 404 : 200, path);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          assert.ok((await page.locator('h1').count()) >= 1, `${path} has a heading`);
          await expectAccessible(page, `${path} (${lang}, JS ${javaScriptEnabled ? 'on' : 'off'})`);
        }
      }
      await context.close();
    });
  }

  test('/esp/umczestochowa shows the office, 5 MB and the formats', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/esp/umczestochowa`);
    assert.match(await page.locator('h1').innerText(), /Urząd Miasta Częstochowy/);
    assert.match(await page.locator('#max-size').innerText(), /5 MB/);
    assert.ok(await page.getByRole('cell', { name: '.pdf', exact: true }).first().isVisible());
    assert.ok(await page.getByText('/umczestochowa/skrytka').first().isVisible());
    await context.close();
  });

  test('cookie notice: no optional cookie before consent; "Akceptuję dodatkowe pliki cookies" accepts, is confirmed and remembered', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const banner = page.locator('.govuk-cookie-banner');
    assert.ok(await banner.isVisible());
    for (const cookie of await context.cookies())
      assert.ok(NECESSARY.has(cookie.name), `unexpected cookie ${cookie.name} before consent`);
    await page.getByRole('button', { name: 'Akceptuję dodatkowe pliki cookies' }).click();
    await page.waitForURL(`${server.url}/?cookies=accepted`);
    assert.equal(await page.locator('form.govuk-cookie-banner').count(), 0, 'the question is gone');
    assert.match(
      await page.locator('#cookie-confirmation').innerText(),
      /Dodatkowe pliki cookies zostały zaakceptowane/,
    );
    await expectAccessible(page, 'cookie confirmation');
    const names = (await context.cookies()).map((c) => c.name);
    assert.ok(names.includes('cookie_consent'));
    assert.ok(names.includes('lang_pref'), 'the optional cookie is set after acceptance');
    await page.goto(`${server.url}/punkty-potwierdzajace`);
    assert.equal(await page.locator('.govuk-cookie-banner').count(), 0, 'the choice is remembered');
    await context.close();
  });

  test('cookie notice declined: no optional cookie, choice remembered and changeable', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/instrukcje`);
    await page.getByRole('button', { name: 'Odrzucam dodatkowe pliki cookies' }).click();
    await page.waitForURL(`${server.url}/instrukcje?cookies=declined`);
    assert.equal(await page.locator('form.govuk-cookie-banner').count(), 0);
    assert.match(await page.locator('#cookie-confirmation').innerText(), /zostały odrzucone/);
    let cookies = await context.cookies();
    assert.equal(cookies.find((c) => c.name === 'cookie_consent')?.value, 'declined');
    assert.ok(!cookies.some((c) => c.name === 'lang_pref'));
    for (const cookie of cookies)
      assert.ok(NECESSARY.has(cookie.name), `unexpected cookie ${cookie.name} after declining`);
    await page.goto(`${server.url}/cookies`);
    assert.match(await page.locator('#consent-current').innerText(), /odrzucone/);
    await page.getByLabel('Tak, akceptuję dodatkowe pliki cookies').check();
    await page.getByRole('button', { name: 'Zapisz ustawienia' }).click();
    await page.waitForURL(/\/cookies\?saved=1/);
    assert.match(await page.locator('#consent-current').innerText(), /zaakceptowane/);
    cookies = await context.cookies();
    assert.equal(cookies.find((c) => c.name === 'cookie_consent')?.value, 'accepted');
    await context.close();
  });

  test('the poll is answered once per browser and tailors the home page', async () => {
    const before = await server.app.services.pollTotals();
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Odpowiedz' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Wybierz TAK albo NIE/);
    assert.deepEqual(await server.app.services.pollTotals(), before, 'nothing counted without an answer');
    await page.getByLabel('NIE').check();
    await page.getByRole('button', { name: 'Odpowiedz' }).click();
    assert.match(await page.locator('body').innerText(), /Dziękujemy za odpowiedź/);
    assert.match(await page.locator('#highlight').innerText(), /mieszkańców/);
    assert.equal((await server.app.services.pollTotals()).NIE, before.NIE + 1);
    // The same browser posting again (e.g. an old tab) is not counted twice.
    const response = await context.request.post(`${server.url}/ankieta`, {
      form: { answer: 'TAK', _csrf: 'x' },
      maxRedirects: 0,
    });
    assert.ok([303, 403].includes(response.status()));
    assert.deepEqual(await server.app.services.pollTotals(), { TAK: before.TAK, NIE: before.NIE + 1 });
    await page.goto(`${server.url}/`);
    assert.equal(
      await page.getByRole('button', { name: 'Odpowiedz' }).count(),
      0,
      'the poll is not offered again',
    );
    await context.close();
  });

  test('the language switch changes the language and keeps it for the visit', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/esp/umczestochowa`);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('h1').innerText(), /How to deliver electronic documents/);
    await page.getByRole('link', { name: 'Confirmation points', exact: true }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('h1').innerText(), /Trusted profile confirmation points/);
    await page.getByRole('link', { name: 'Polski' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'pl');
    await context.close();
  });
});
