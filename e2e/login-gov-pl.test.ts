import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { testDialects } from '../test/helpers/databases';
import { browserSkipReason, expectAccessible, launchBrowser, newContext } from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

for (const dialect of testDialects()) {
  describe(
    `login and logout through login.gov.pl against the simulator in Chromium (${dialect})`,
    { skip },
    () => {
      let server: RunningServer;
      let browser: Browser;
      before(async () => {
        // The default configuration: no local trusted-profile register.
        server = await startServer({
          dialect,
          env: { LOGIN_GOV_PL_METADATA: 'simulator', LOCAL_TRUSTED_PROFILES: 'false' },
        });
        browser = await launchBrowser();
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
      });

      async function logInAsAnna(page: Page): Promise<void> {
        await page.goto(`${server.url}/logowanie`);
        await expectAccessible(page, 'login page with login.gov.pl');
        await page.getByRole('button', { name: 'Użyj login.gov.pl' }).click();
        assert.match(await page.locator('.govuk-warning-text').innerText(), /SYMULATOR węzła krajowego/);
        await expectAccessible(page, 'going to the node');
        await page.getByRole('button', { name: 'Przejdź do login.gov.pl' }).click();
        assert.match(await page.locator('.govuk-warning-text').innerText(), /to nie jest login\.gov\.pl/);
        await expectAccessible(page, 'simulator');
        await page.getByLabel('Anna Próbna').check();
        await page.getByLabel('E-dowód (aplikacja eDO App)').check();
        await page.getByRole('button', { name: 'Zaloguj jako wybrana osoba' }).click();
        assert.match(await page.locator('.govuk-warning-text').innerText(), /SYMULATOR/);
        await page.getByRole('button', { name: 'Wróć do serwisu' }).click();
        await page.waitForURL(/\/konto$/u);
      }

      test('a resident logs in with the simulator (without JavaScript), the account is bound to the PESEL, logout ends the node session', async () => {
        const context = await newContext(browser, { javaScriptEnabled: false });
        const page = await context.newPage();
        await logInAsAnna(page);
        assert.match(await page.locator('body').innerText(), /Anna Próbna/);
        await expectAccessible(page, 'account after national login');
        const db = server.app.database.db;
        const bound = await db.selectFrom('national_identities').selectAll().execute();
        assert.equal(bound.length, 1);
        assert.equal(bound[0]!.pesel, '85121512346');
        const evidence = await db.selectFrom('session_authentications').select('evidence').execute();
        assert.equal(evidence.length, 1);
        const parsed = JSON.parse(evidence[0]!.evidence) as {
          authenticatingAuthority: string;
          sessionIndex: string;
        };
        assert.equal(parsed.authenticatingAuthority, 'eDO App');
        const simulator = server.app.nationalLogin!.simulator!;
        assert.equal(simulator.hasSession(parsed.sessionIndex), true);

        // The trusted-profile page explains the national profile; no local one to apply for.
        await page.goto(`${server.url}/profil-zaufany`);
        assert.match(await page.locator('main').innerText(), /pz\.gov\.pl/u);
        assert.equal(await page.locator('main form').count(), 0);
        await expectAccessible(page, 'national trusted profile page');
        await page.goto(`${server.url}/konto`);
        await page.getByRole('button', { name: 'Wyloguj się' }).click();
        await page.waitForURL(/\/logowanie\?komunikat=loggedOut/u);
        assert.equal(simulator.hasSession(parsed.sessionIndex), false, 'the node session ended too');
        assert.equal((await db.selectFrom('session_authentications').select('evidence').execute()).length, 0);

        // The same person again: the same account, not a new one.
        await logInAsAnna(page);
        const again = await db.selectFrom('national_identities').selectAll().execute();
        assert.equal(again.length, 1);
        assert.equal(again[0]!.account_id, bound[0]!.account_id);
        await context.close();
      });

      test('a replayed artifact is refused with a clear message and no session', async () => {
        const context = await newContext(browser);
        const page = await context.newPage();
        await page.goto(`${server.url}/logowanie`);
        await page.getByRole('button', { name: 'Użyj login.gov.pl' }).click();
        await page.getByRole('button', { name: 'Przejdź do login.gov.pl' }).click();
        await page.getByRole('button', { name: 'Zaloguj jako wybrana osoba' }).click();
        const artifactForm = {
          SAMLart: await page.locator('input[name="SAMLart"]').inputValue(),
          RelayState: await page.locator('input[name="RelayState"]').inputValue(),
        };
        await page.getByRole('button', { name: 'Wróć do serwisu' }).click();
        await page.waitForURL(/\/konto$/u);
        const sessionsBefore = (await server.app.database.db.selectFrom('sessions').select('id').execute())
          .length;
        // The same artifact posted again (the request cookie is gone, and the artifact is spent).
        const res = await page.request.post(`${server.url}/login-gov-pl/acs`, { form: artifactForm });
        assert.equal(res.status(), 400);
        assert.match(await res.text(), /Nie rozpoczęto logowania/);
        const sessionsAfter = (await server.app.database.db.selectFrom('sessions').select('id').execute())
          .length;
        assert.equal(sessionsAfter, sessionsBefore);
        await context.close();
      });
    },
  );
}
