import { AppError } from '../domain/errors';
import { audit } from './audit';
import { normaliseEmail, rawPassword } from './account-fields';
import type { ServiceDeps } from './deps';
import { verifyPassword } from './passwords';
import { createSession, endSession } from './sessions';

export const LOCKOUT_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_MS = 15 * 60 * 1000;

/** One answer for a wrong password, an unknown e-mail and a locked account. */
const refused = () =>
  new AppError({
    code: 'login_refused',
    status: 401,
    key: 'accounts.error.login',
    fieldErrors: [{ field: 'email', key: 'accounts.error.login' }],
  });

export type LoginOutcome = { token: string; secondFactorPending: boolean };

/**
 * Checks e-mail and password and starts a new session (the old one, if any, ends: the session
 * id changes at every login). Every path runs one argon2 verification, so the answer time does
 * not tell an unknown address from a wrong password or a locked account.
 */
export async function logIn(
  deps: ServiceDeps,
  input: { email: unknown; password: unknown; previousToken?: string | undefined },
): Promise<LoginOutcome> {
  const email = normaliseEmail(input.email);
  const password = rawPassword(input.password).slice(0, 1000);
  const account = email
    ? await deps.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst()
    : undefined;
  const passwordOk = await verifyPassword(account?.password_hash, password);
  const now = deps.clock.now();
  const nowIso = now.toISOString();

  if (!account) {
    await audit(deps, {
      action: 'login.failed',
      actorId: null,
      subject: null,
      details: { reason: 'unknown-account' },
    });
    throw refused();
  }
  if (account.locked_until && account.locked_until > nowIso) {
    await audit(deps, {
      action: 'login.failed',
      actorId: null,
      subject: account.id,
      details: { reason: 'locked' },
    });
    throw refused();
  }
  if (!passwordOk) {
    await recordLoginFailure(deps, account.id, 'credentials');
    throw refused();
  }
  // The password is right: only now may the answer say the address still needs confirming.
  if (!account.email_verified_at) {
    throw new AppError({
      code: 'email_unverified',
      status: 403,
      key: 'accounts.error.unverified',
      fieldErrors: [{ field: 'email', key: 'accounts.error.unverified' }],
    });
  }
  await endSession(deps, input.previousToken);
  const secondFactorPending = account.totp_enabled_at !== null;
  const token = await deps.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('login_failures').where('account_id', '=', account.id).execute();
    if (!secondFactorPending)
      await audit(deps, { action: 'login.succeeded', actorId: account.id, subject: account.id }, tx);
    return createSession(deps, tx, account.id, secondFactorPending);
  });
  return { token, secondFactorPending };
}

/**
 * Counts a failed login (wrong password or second-factor code) and locks the account once
 * there are 10 within 15 minutes.
 */
export async function recordLoginFailure(
  deps: ServiceDeps,
  accountId: string,
  reason: 'credentials' | 'second-factor',
): Promise<void> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto('login_failures').values({ account_id: accountId, failed_at: nowIso }).execute();
    await audit(deps, { action: 'login.failed', actorId: null, subject: accountId, details: { reason } }, tx);
    const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
    const { count } = await tx
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('failed_at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(count) >= LOCKOUT_FAILURES) {
      const until = new Date(now.getTime() + LOCKOUT_MS).toISOString();
      await tx.updateTable('accounts').set({ locked_until: until }).where('id', '=', accountId).execute();
      await tx.deleteFrom('login_failures').where('account_id', '=', accountId).execute();
      // A half-open login (password given, second factor pending) ends with the lock.
      await tx
        .deleteFrom('sessions')
        .where('account_id', '=', accountId)
        .where('second_factor_pending', '=', 1)
        .execute();
      await audit(
        deps,
        { action: 'account.locked', actorId: null, subject: accountId, details: { until } },
        tx,
      );
    }
  });
}

export async function logOut(
  deps: ServiceDeps,
  input: { token: string | undefined; accountId: string },
): Promise<void> {
  await endSession(deps, input.token);
  await audit(deps, { action: 'logout', actorId: input.accountId, subject: input.accountId });
}
