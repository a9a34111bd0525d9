import { randomUUID } from 'node:crypto';
import { AppError, badRequest } from '../domain/errors';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { randomDigits, sha256 } from './secrets';
import { spendTotpStep, totpStep } from './second-factor';
import { translate } from '../i18n/index';
import { accountMail } from './account-mail';
import { recordLoginFailure } from './log-in';

export const FRESH_CODE_DIGITS = 6;
export const FRESH_MAX_ATTEMPTS = 5;
export const FRESH_VALID_MS = 10 * 60 * 1000;
/** At most this many challenges per account within FRESH_CAP_WINDOW_MS, whatever their purpose. */
export const FRESH_MAX_CHALLENGES = 10;
export const FRESH_CAP_WINDOW_MS = 60 * 60 * 1000;
/** How long a passed confirmation may be used for the action it was asked for. */
export const FRESH_USE_MS = 10 * 60 * 1000;

/** What a fresh confirmation was asked for; later areas add theirs (signing, receipt of letters). */
export type FreshPurpose = 'profile-extension' | 'signature' | 'receipt';

export interface FreshChallenge {
  id: string;
  method: 'email' | 'totp';
  expiresAt: string;
}

/**
 * Asks a logged-in person to prove presence again: a 6-digit code by e-mail, or the
 * authenticator app when the second factor is on. The code is stored hashed.
 */
export async function startFreshConfirmation(
  deps: ServiceDeps,
  input: { accountId: string; purpose: FreshPurpose },
): Promise<FreshChallenge> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['email', 'totp_enabled_at'])
    .where('id', '=', input.accountId)
    .executeTakeFirstOrThrow();
  const method = account.totp_enabled_at ? 'totp' : 'email';
  const code = method === 'email' ? randomDigits(FRESH_CODE_DIGITS) : undefined;
  const now = deps.clock.now();
  // Each challenge is 5 more guesses and, by e-mail, one more message: the account's total is capped.
  const { count } = await deps.db
    .selectFrom('fresh_challenges')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', input.accountId)
    .where('created_at', '>', new Date(now.getTime() - FRESH_CAP_WINDOW_MS).toISOString())
    .executeTakeFirstOrThrow();
  if (Number(count) >= FRESH_MAX_CHALLENGES)
    throw new AppError({
      code: 'too_many_challenges',
      status: 429,
      key: 'fresh.error.tooMany',
      params: { max: FRESH_MAX_CHALLENGES },
    });
  const challenge: FreshChallenge = {
    id: randomUUID(),
    method,
    expiresAt: new Date(now.getTime() + FRESH_VALID_MS).toISOString(),
  };
  await deps.db
    .insertInto('fresh_challenges')
    .values({
      id: challenge.id,
      account_id: input.accountId,
      purpose: input.purpose,
      method,
      code_hash: code ? sha256(`${challenge.id}:${code}`) : null,
      attempts: 0,
      created_at: now.toISOString(),
      expires_at: challenge.expiresAt,
      used_at: null,
    })
    .execute();
  if (code) {
    // The mail says what the code allows, so a code asked for by someone else is recognised.
    await deps.mailer.send({
      to: account.email,
      ...accountMail('code', (lang) => ({
        code,
        purpose: translate(lang, `fresh.purpose.${input.purpose}`),
      })),
    });
  }
  return challenge;
}

/** An open challenge as its code page shows it: where the code went and until when it is valid. */
export interface FreshChallengeView extends FreshChallenge {
  /** The address the code was mailed to (the account's own, shown only to the account). */
  sentTo: string;
  /** Not used, not expired: a code can still be entered. */
  open: boolean;
}

/**
 * The challenge a code page is about, when it is this account's and for this purpose (else
 * undefined); the page can be reloaded without sending another code.
 */
export async function openFreshChallenge(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { accountId: string; challengeId: unknown; purpose: FreshPurpose },
): Promise<FreshChallengeView | undefined> {
  if (typeof input.challengeId !== 'string' || !/^[0-9a-f-]{36}$/.test(input.challengeId)) return undefined;
  const row = await deps.db
    .selectFrom('fresh_challenges')
    .innerJoin('accounts', 'accounts.id', 'fresh_challenges.account_id')
    .select([
      'fresh_challenges.id',
      'fresh_challenges.method',
      'fresh_challenges.expires_at',
      'fresh_challenges.used_at',
      'accounts.email',
    ])
    .where('fresh_challenges.id', '=', input.challengeId)
    .where('fresh_challenges.account_id', '=', input.accountId)
    .where('fresh_challenges.purpose', '=', input.purpose)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    method: row.method as FreshChallenge['method'],
    expiresAt: row.expires_at,
    sentTo: row.email,
    open: !row.used_at && row.expires_at > deps.clock.now().toISOString(),
  };
}

const refused = (
  key: 'fresh.error.expired' | 'fresh.error.wrong' | 'fresh.error.attempts',
  params?: Record<string, number>,
) =>
  key === 'fresh.error.wrong'
    ? badRequest([{ field: 'code', key, ...(params ? { params } : {}) }])
    : new AppError({ code: 'fresh_refused', status: 400, key, fieldErrors: [{ field: 'code', key }] });

/**
 * Checks a code against a challenge of this account: 5 attempts, 10 minutes, single use.
 * Returns when the person is confirmed; the challenge is then marked used.
 */
export async function confirmFresh(
  deps: ServiceDeps,
  input: { accountId: string; challengeId: unknown; code: unknown; purpose: FreshPurpose },
): Promise<void> {
  const id = typeof input.challengeId === 'string' ? input.challengeId : '';
  const code = typeof input.code === 'string' ? input.code.replace(/\s/g, '') : '';
  // A code of the wrong form is a typing slip, not a guess: it costs no try.
  if (code === '') throw badRequest([{ field: 'code', key: 'fresh.error.empty' }]);
  if (!/^\d{6}$/.test(code)) throw badRequest([{ field: 'code', key: 'fresh.error.format' }]);
  const now = deps.clock.now().toISOString();
  const row = await deps.db
    .selectFrom('fresh_challenges')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', input.accountId)
    .where('purpose', '=', input.purpose)
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now) throw refused('fresh.error.expired');
  if (row.attempts >= FRESH_MAX_ATTEMPTS) throw refused('fresh.error.attempts');
  // Count the attempt first, conditionally, so parallel guesses cannot exceed the limit.
  const counted = await deps.db
    .updateTable('fresh_challenges')
    .set({ attempts: row.attempts + 1 })
    .where('id', '=', id)
    .where('attempts', '=', row.attempts)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(counted.numUpdatedRows) !== 1) throw refused('fresh.error.expired');
  let ok = false;
  if (row.method === 'email') ok = sha256(`${id}:${code}`) === row.code_hash;
  else {
    const account = await deps.db
      .selectFrom('accounts')
      .select('totp_secret')
      .where('id', '=', input.accountId)
      .executeTakeFirstOrThrow();
    const step = account.totp_secret !== null ? totpStep(deps, account.totp_secret, code) : undefined;
    ok = step !== undefined && (await spendTotpStep(deps, input.accountId, step));
  }
  if (!ok) {
    // A wrong code counts like a wrong password: guessing codes ends in the account's lockout.
    await recordLoginFailure(deps, input.accountId, 'second-factor');
    await audit(deps, {
      action: 'fresh-confirmation.failed',
      actorId: input.accountId,
      subject: input.accountId,
      details: { purpose: input.purpose, attempts: row.attempts + 1 },
    });
    const left = FRESH_MAX_ATTEMPTS - row.attempts - 1;
    if (left <= 0) throw refused('fresh.error.attempts');
    throw refused('fresh.error.wrong', { left });
  }
  await deps.db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('fresh_challenges')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw refused('fresh.error.expired');
    await audit(
      deps,
      {
        action: 'fresh-confirmation.succeeded',
        actorId: input.accountId,
        subject: input.accountId,
        details: { purpose: input.purpose, method: row.method },
      },
      tx,
    );
  });
}
