import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logInWithPassword, newContext } from './browser';
import { startServerWithOfficeAdmin, type RunningServer } from './server';

export interface OfficeAdminSuite {
  /** The running server (after the suite's `before`). */
  server(): RunningServer;
  /** A new page without JavaScript, logged in as the demo office's admin; `close` ends its context. */
  scriptlessPage(): Promise<{ page: Page; close(): Promise<void> }>;
}

/**
 * Registers the hooks of a browser suite about an office admin's pages: the server of
 * `startServerWithOfficeAdmin` (after `prepare`, when given, has run) and Chromium, both
 * stopped after the suite. Call it inside `describe`.
 */
export function officeAdminSuite(
  options: { env?: Record<string, string>; prepare?: () => Promise<void> } = {},
): OfficeAdminSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startServerWithOfficeAdmin(options.env ? { env: options.env } : {});
    await options.prepare?.();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    server: () => server!,
    async scriptlessPage() {
      const context = await newContext(browser!, { javaScriptEnabled: false });
      const page = await context.newPage();
      await logInWithPassword(page, server!.url, 'admin@example.pl');
      return { page, close: () => context.close() };
    },
  };
}
