import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app';
import { ManualClock } from '../../src/ports/clock';
import { currentTotp } from '../../src/services/second-factor';

/**
 * Staff roles work only with the second factor (docs/security.md), so the login helpers stand
 * in for a member of staff with the authenticator app at hand: they find the app behind a
 * FastifyInstance or a server's address here, and compute codes from the account's secret.
 */
const apps = new WeakMap<FastifyInstance, App>();
const appsByUrl = new Map<string, App>();

export function registerTestApp(app: App, url?: string): void {
  apps.set(app.http, app);
  if (url) appsByUrl.set(url, app);
}

export function appBehind(target: FastifyInstance | string): App {
  const app = typeof target === 'string' ? appsByUrl.get(target) : apps.get(target);
  if (!app) throw new Error('the app was not started by startTestApp or startNodes: no staff codes for it');
  return app;
}

/** Accounts whose authenticator the login helpers set up, per app. */
const enrolled = new WeakMap<App, Set<string>>();

export function markEnrolled(app: App, email: string): void {
  enrolled.set(app, (enrolled.get(app) ?? new Set()).add(email));
}

/**
 * Whether the login helpers give the second factor for this account: it holds a staff role,
 * or held one when they set up its app. A resident's own second factor is left to the test.
 */
export async function helperGivesCode(app: App, email: string): Promise<boolean> {
  if (enrolled.get(app)?.has(email)) return true;
  const row = await app.database.db
    .selectFrom('account_roles')
    .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
    .select('account_roles.id')
    .where('accounts.email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

const STEP_MS = 30_000;

/**
 * A code the server accepts now for the account's secret (on, or being set up). A code is
 * good once (`totp_last_step`); the server allows one step of drift, so when this step's code
 * is spent the next step's still passes. When both are spent the clock must move on: a
 * ManualClock is advanced one step. With the real clock, instead of waiting up to 30 s for the
 * next step, the account's last used step is set back to the one before this one, as if its
 * last login had been a step earlier (the one-use rule itself is tested with explicit codes in
 * test/http/staff-second-factor.test.ts).
 */
export async function unspentTotpCode(app: App, email: string): Promise<string> {
  const account = await app.database.db
    .selectFrom('accounts')
    .select(['totp_secret', 'totp_last_step'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (!account?.totp_secret) throw new Error(`${email} has no authenticator secret`);
  const secret = account.totp_secret;
  const last = account.totp_last_step === null ? -Infinity : Number(account.totp_last_step);
  const clock = app.deps.clock;
  for (;;) {
    const step = Math.floor(clock.now().getTime() / STEP_MS);
    const unspent = [step, step + 1].find((s) => s > last);
    if (unspent !== undefined)
      return currentTotp({ clock: { now: () => new Date(unspent * STEP_MS) } }, secret);
    if (clock instanceof ManualClock) {
      clock.advance(STEP_MS);
      continue;
    }
    await app.database.db
      .updateTable('accounts')
      .set({ totp_last_step: step - 1 })
      .where('email', '=', email)
      .execute();
    return currentTotp({ clock: { now: () => new Date(step * STEP_MS) } }, secret);
  }
}
