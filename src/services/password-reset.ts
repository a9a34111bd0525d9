import { badRequest, type FieldError } from '../domain/errors';
import { audit } from './audit';
import { checkEmail, checkNewPassword, normaliseEmail, rawPassword } from './account-fields';
import { consumeAccountToken, issueAccountToken, revokeAccountTokens } from './account-tokens';
import type { ServiceDeps } from './deps';
import { hashPassword } from './passwords';
import { accountMail } from './account-mail';

export const RESET_VALID_MS = 60 * 60 * 1000;
/** At most this many reset links per account per hour (a per-account rate limit). */
export const RESETS_PER_HOUR = 3;

/**
 * Mails a single-use reset link valid for 1 hour. The answer is the same whether or not the
 * address has an account.
 */
export async function requestPasswordReset(deps: ServiceDeps, input: { email: unknown }): Promise<void> {
  const email = normaliseEmail(input.email);
  const errors: FieldError[] = [];
  checkEmail(email, errors);
  if (errors.length) throw badRequest(errors);
  const account = await deps.db
    .selectFrom('accounts')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  if (!account) return;
  const now = deps.clock.now();
  const { count } = await deps.db
    .selectFrom('account_tokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('account_id', '=', account.id)
    .where('purpose', '=', 'reset-password')
    .where('created_at', '>', new Date(now.getTime() - 3600 * 1000).toISOString())
    .executeTakeFirstOrThrow();
  if (Number(count) >= RESETS_PER_HOUR) return;
  const token = await deps.db.transaction().execute(async (tx) => {
    await audit(deps, { action: 'password.reset-requested', actorId: null, subject: account.id }, tx);
    return issueAccountToken(deps, tx, account.id, 'reset-password', RESET_VALID_MS);
  });
  await deps.mailer.send({
    to: email,
    ...accountMail('reset', (lang) => ({
      link: `${deps.config.publicUrl}/reset-hasla/nowe?token=${token}${lang === 'en' ? '&lang=en' : ''}`,
    })),
  });
}

/** Sets a new password through a reset link; every session of the account ends. */
export async function resetPassword(
  deps: ServiceDeps,
  input: { token: unknown; password: unknown; passwordConfirm: unknown },
): Promise<void> {
  const password = rawPassword(input.password);
  const errors: FieldError[] = [];
  checkNewPassword(password, rawPassword(input.passwordConfirm), errors);
  if (errors.length) throw badRequest(errors);
  const hash = await hashPassword(password);
  await deps.db.transaction().execute(async (tx) => {
    const accountId = await consumeAccountToken(deps, tx, input.token, 'reset-password');
    // Receiving the link proves the address, and a reset also lifts a lockout.
    await tx
      .updateTable('accounts')
      .set({ password_hash: hash, locked_until: null, email_verified_at: deps.clock.now().toISOString() })
      .where('id', '=', accountId)
      .execute();
    await tx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    await revokeAccountTokens(deps, tx, accountId, 'reset-password');
    await audit(deps, { action: 'password.reset', actorId: accountId, subject: accountId }, tx);
  });
}
