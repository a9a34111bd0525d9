import { AppError } from '../domain/errors';
import { audit } from './audit';
import { normaliseEmail, rawPassword } from './account-fields';
import type { ServiceDeps } from './deps';
import { verifyPassword } from './passwords';
import { sha256 } from './secrets';
import { createSession, endSession } from './sessions';

/** Wrong passwords from one client for one address within the window: that client is shut out. */
export const LOCKOUT_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
/** Wrong second-factor or fresh codes (someone holds the password or a session): the account locks. */
export const LOCKOUT_MS = 15 * 60 * 1000;
/**
 * Wrong passwords for one address from all clients within the window: from then on only a
 * login that passes the owner's own second factor goes through.
 */
export const ADDRESS_FAILURES = 100;

/** How a client is remembered next to a failure: a digest of its address, never the address. */
export const clientKey = (client: string | undefined): string | null =>
  client ? sha256(`login-client:${client}`).slice(0, 32) : null;

/** One answer for a wrong password, an unknown e-mail and a locked account. */
const refused = () =>
  new AppError({
    code: 'login_refused',
    status: 401,
    key: 'accounts.error.login',
    fieldErrors: [{ field: 'email', key: 'accounts.error.login' }],
  });

export type LoginOutcome = { token: string; secondFactorPending: boolean };

/** Wrong passwords for an account within the window: from one client, or from all of them. */
async function passwordFailures(
  deps: ServiceDeps,
  accountId: string,
  since: string,
  client: string | null,
): Promise<number> {
  let query = deps.db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', accountId)
    .where('failed_at', '>', since);
  query = client ? query.where('client', '=', client) : query.where('client', 'is not', null);
  return Number((await query.executeTakeFirstOrThrow()).count);
}

/**
 * Checks e-mail and password and starts a new session (the old one, if any, ends: the session
 * id changes at every login). Every path runs one argon2 verification, so the answer time does
 * not tell an unknown address from a wrong password or a locked account.
 *
 * Wrong passwords do not lock the account, so nobody can shut its owner out by knowing the
 * address (row 15 of docs/security.md): ten from one client shut out that client for this
 * address; a hundred from all clients together let only the owner's second factor through.
 */
export async function logIn(
  deps: ServiceDeps,
  input: { email: unknown; password: unknown; previousToken?: string | undefined; client?: string },
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
  const client = clientKey(input.client);
  const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
  const clientLocked =
    client !== null && (await passwordFailures(deps, account.id, since, client)) >= LOCKOUT_FAILURES;
  const addressUnderAttack = (await passwordFailures(deps, account.id, since, null)) >= ADDRESS_FAILURES;
  const secondFactorPasses = account.totp_enabled_at !== null;
  if (
    (account.locked_until && account.locked_until > nowIso) ||
    clientLocked ||
    (addressUnderAttack && passwordOk && !secondFactorPasses)
  ) {
    await audit(deps, {
      action: 'login.failed',
      actorId: null,
      subject: account.id,
      details: { reason: 'locked' },
    });
    throw refused();
  }
  if (!passwordOk) {
    await recordLoginFailure(deps, account.id, 'credentials', client);
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
    // Only this client's count starts again: the owner's login does not reset an attacker's.
    await tx
      .deleteFrom('login_failures')
      .where('account_id', '=', account.id)
      .where((eb) => (client ? eb('client', '=', client) : eb('client', 'is', null)))
      .execute();
    if (!secondFactorPending)
      await audit(deps, { action: 'login.succeeded', actorId: account.id, subject: account.id }, tx);
    // Without a second factor the staff roles stay withheld in this session (docs/security.md).
    return createSession(deps, tx, account.id, secondFactorPending, {
      staffRolesWithheld: !secondFactorPending,
    });
  });
  return { token, secondFactorPending };
}

/**
 * Counts a failed login. A wrong password (with its client) counts against that client; once
 * it has 10 within 15 minutes it is shut out of this address (`logIn`). A wrong second-factor or
 * fresh-confirmation code (no client: whoever sends it already has the password or a session)
 * counts against the account, which locks for 15 minutes at 10.
 */
export async function recordLoginFailure(
  deps: ServiceDeps,
  accountId: string,
  reason: 'credentials' | 'second-factor',
  client: string | null = null,
): Promise<void> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('login_failures')
      .values({ account_id: accountId, failed_at: nowIso, client })
      .execute();
    await audit(deps, { action: 'login.failed', actorId: null, subject: accountId, details: { reason } }, tx);
    const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString();
    const { count } = await tx
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('failed_at', '>', since)
      .where((eb) => (client ? eb('client', '=', client) : eb('client', 'is', null)))
      .executeTakeFirstOrThrow();
    if (client && Number(count) === LOCKOUT_FAILURES) {
      await audit(
        deps,
        {
          action: 'account.locked',
          actorId: null,
          subject: accountId,
          details: { until: new Date(now.getTime() + LOCKOUT_WINDOW_MS).toISOString(), scope: 'client' },
        },
        tx,
      );
    } else if (!client && Number(count) >= LOCKOUT_FAILURES) {
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
