import { Secret, TOTP } from 'otpauth';
import { AppError, badRequest } from '../domain/errors';
import { audit } from './audit';
import { recordLoginFailure } from './log-in';
import type { ServiceDeps } from './deps';
import { randomDigits, sha256 } from './secrets';

export const RECOVERY_CODES = 10;

function totpFor(secret: string, label: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/**
 * The time step a 6-digit code belongs to, if it matches the secret now (one step of clock
 * drift either way); undefined when it does not match.
 */
export function totpStep(deps: Pick<ServiceDeps, 'clock'>, secret: string, code: string): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const now = deps.clock.now().getTime();
  const delta = totpFor(secret, 'x', 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : Math.floor(now / 30_000) + delta;
}

/**
 * Accepts a code once: the step is stored, and only a later step passes afterwards (so a code
 * seen over someone's shoulder, or replayed, does not work again).
 */
export async function spendTotpStep(deps: ServiceDeps, accountId: string, step: number): Promise<boolean> {
  const result = await deps.db
    .updateTable('accounts')
    .set({ totp_last_step: step })
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The code an authenticator app would show now (tests and the demo use it). */
export function currentTotp(deps: Pick<ServiceDeps, 'clock'>, secret: string): string {
  return totpFor(secret, 'x', 'x').generate({ timestamp: deps.clock.now().getTime() });
}

/** A fresh authenticator secret (160 bits, base32, as RFC 4226 recommends). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export interface TotpSetup {
  secret: string;
  uri: string;
}

/** Starts (or restarts) setting up an authenticator app: a new secret, not yet active. */
export async function startTotpSetup(deps: ServiceDeps, accountId: string): Promise<TotpSetup> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['email', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (account.totp_enabled_at)
    throw new AppError({ code: 'totp_enabled', status: 409, key: 'accounts.error.totp.already' });
  const secret = newTotpSecret();
  await deps.db.updateTable('accounts').set({ totp_secret: secret }).where('id', '=', accountId).execute();
  return { secret, uri: totpFor(secret, account.email, deps.config.installationName).toString() };
}

export async function pendingTotpSetup(deps: ServiceDeps, accountId: string): Promise<TotpSetup | undefined> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['email', 'totp_secret', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (account.totp_enabled_at || !account.totp_secret) return undefined;
  return {
    secret: account.totp_secret,
    uri: totpFor(account.totp_secret, account.email, deps.config.installationName).toString(),
  };
}

/** Turns the second factor on once the app shows a right code; returns the recovery codes (shown once). */
export async function enableTotp(
  deps: ServiceDeps,
  input: { accountId: string; code: unknown },
): Promise<string[]> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', input.accountId)
    .executeTakeFirstOrThrow();
  if (account.totp_enabled_at)
    throw new AppError({ code: 'totp_enabled', status: 409, key: 'accounts.error.totp.already' });
  const code = typeof input.code === 'string' ? input.code.replace(/\s/g, '') : '';
  const step = account.totp_secret ? totpStep(deps, account.totp_secret, code) : undefined;
  if (step === undefined || !(await spendTotpStep(deps, input.accountId, step)))
    throw badRequest([{ field: 'code', key: 'accounts.error.code.wrong' }]);
  const codes = Array.from({ length: RECOVERY_CODES }, () => `${randomDigits(5)}-${randomDigits(5)}`);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('accounts')
      .set({ totp_enabled_at: deps.clock.now().toISOString() })
      .where('id', '=', input.accountId)
      .execute();
    await tx.deleteFrom('recovery_codes').where('account_id', '=', input.accountId).execute();
    await tx
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ account_id: input.accountId, code_hash: sha256(c), used_at: null })))
      .execute();
    await audit(
      deps,
      { action: 'second-factor.enabled', actorId: input.accountId, subject: input.accountId },
      tx,
    );
  });
  return codes;
}

export async function disableTotp(
  deps: ServiceDeps,
  input: { accountId: string; code: unknown },
): Promise<void> {
  if (!(await checkSecondFactor(deps, input.accountId, input.code)))
    throw badRequest([{ field: 'code', key: 'accounts.error.code.wrong' }]);
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('accounts')
      .set({ totp_secret: null, totp_enabled_at: null })
      .where('id', '=', input.accountId)
      .execute();
    await tx.deleteFrom('recovery_codes').where('account_id', '=', input.accountId).execute();
    await audit(
      deps,
      { action: 'second-factor.disabled', actorId: input.accountId, subject: input.accountId },
      tx,
    );
  });
}

/** A TOTP code, or an unused recovery code (which is then spent). */
export async function checkSecondFactor(
  deps: ServiceDeps,
  accountId: string,
  input: unknown,
): Promise<boolean> {
  const code = typeof input === 'string' ? input.trim() : '';
  const account = await deps.db
    .selectFrom('accounts')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (!account.totp_enabled_at || !account.totp_secret) return false;
  const step = totpStep(deps, account.totp_secret, code.replace(/\s/g, ''));
  if (step !== undefined) return spendTotpStep(deps, accountId, step);
  if (!/^\d{5}-\d{5}$/.test(code)) return false;
  const spent = await deps.db
    .updateTable('recovery_codes')
    .set({ used_at: deps.clock.now().toISOString() })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', sha256(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return false;
  await audit(deps, { action: 'second-factor.recovery-code-used', actorId: accountId, subject: accountId });
  return true;
}

/**
 * Completes a login waiting for the second factor. Wrong codes count towards the same lockout
 * as wrong passwords; the lock also ends the half-open session.
 */
export async function completeSecondFactor(
  deps: ServiceDeps,
  input: { sessionId: string; accountId: string; code: unknown },
): Promise<void> {
  const account = await deps.db
    .selectFrom('accounts')
    .select('locked_until')
    .where('id', '=', input.accountId)
    .executeTakeFirstOrThrow();
  if (account.locked_until && account.locked_until > deps.clock.now().toISOString()) {
    await deps.db.deleteFrom('sessions').where('id', '=', input.sessionId).execute();
    throw new AppError({
      code: 'login_refused',
      status: 401,
      key: 'accounts.error.login',
      fieldErrors: [{ field: 'code', key: 'accounts.error.login' }],
    });
  }
  if (await checkSecondFactor(deps, input.accountId, input.code)) {
    await deps.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('sessions')
        .set({ second_factor_pending: 0 })
        .where('id', '=', input.sessionId)
        .execute();
      await tx
        .deleteFrom('login_failures')
        .where('account_id', '=', input.accountId)
        .where('client', 'is', null)
        .execute();
      await audit(
        deps,
        { action: 'login.succeeded', actorId: input.accountId, subject: input.accountId },
        tx,
      );
    });
    return;
  }
  await recordLoginFailure(deps, input.accountId, 'second-factor');
  throw badRequest([{ field: 'code', key: 'accounts.error.code.wrong' }]);
}

export async function isTotpEnabled(deps: Pick<ServiceDeps, 'db'>, accountId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('accounts')
    .select('totp_enabled_at')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return Boolean(row?.totp_enabled_at);
}
