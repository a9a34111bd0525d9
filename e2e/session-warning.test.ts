import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  browserSkipReason,
  expectAccessible,
  launchBrowser,
  logInWithPassword,
  newContext,
} from './helpers/browser';
import { startServer, type RunningServer } from './helpers/server';

const skip = browserSkipReason();

describe('the session end warning and the draft autosave in Chromium', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    // Sessions of 30 minutes warned 1795 seconds before the end: the dialog opens 5 s after a page loads.
    server = await startServer({ env: { SESSION_IDLE_MINUTES: '30', SESSION_WARNING_SECONDS: '1795' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const lastSeen = async () =>
    (
      await server.app.database.db
        .selectFrom('sessions')
        .select('last_seen_at')
        // Not a login still waiting for its code (1); a resident's session without the app is 2.
        .where('second_factor_pending', '!=', 1)
        .orderBy('last_seen_at', 'desc')
        .executeTakeFirstOrThrow()
    ).last_seen_at;

  test('the letter saves itself while typed; the dialog warns, is accessible and extends the session', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await logInWithPassword(page, server.url, 'mieszkaniec@example.pl');
    await page.goto(`${server.url}/pisma/nowe`);
    const dialog = page.locator('#session-warning');
    assert.equal(await dialog.isVisible(), false, 'no warning right after the page loads');

    await page.getByLabel('Tytuł pisma').fill('Pismo pisane długo');
    await page.getByLabel('Treść pisma').fill('Pierwszy akapit, zapisany sam.');
    // The autosave makes the new letter a draft: its address becomes the draft's form.
    await page.waitForURL(/\/pisma\/szkic\/[0-9a-f-]{36}\/edytuj$/, { timeout: 60_000 });
    assert.match(await page.locator('[data-autosave-status]').innerText(), /Szkic zapisano o \d\d:\d\d\./);

    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await dialog.innerText(), /Twoja sesja wygaśnie za 30 min\./);
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent?.trim()),
      'Przedłuż sesję',
      'focus moves into the dialog, on its main action',
    );
    assert.equal(await page.evaluate(() => document.querySelector('dialog')?.matches(':modal')), true);
    await expectAccessible(page, 'the session warning dialog');

    const before = await lastSeen();
    await page.getByRole('button', { name: 'Przedłuż sesję' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.ok((await lastSeen()) > before, 'the session was used again');
    assert.match(page.url(), /\/edytuj$/, 'the page stays where it was (sent in the background)');

    await page.reload();
    assert.equal(await page.getByLabel('Tytuł pisma').inputValue(), 'Pismo pisane długo');
    assert.equal(await page.getByLabel('Treść pisma').inputValue(), 'Pierwszy akapit, zapisany sam.');
    await context.close();
    assert.deepEqual(errors, [], 'no script errors');
  });
});
