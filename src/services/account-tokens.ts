import { AppError } from '../domain/errors';
import type { Tx } from '../ports/database';
import type { ServiceDeps } from './deps';
import { randomToken, sha256 } from './secrets';

export type TokenPurpose = 'verify-email' | 'reset-password';

/** Stores the hash of a new single-use token and returns the token for the e-mailed link. */
export async function issueAccountToken(
  deps: Pick<ServiceDeps, 'clock'>,
  tx: Tx,
  accountId: string,
  purpose: TokenPurpose,
  validMs: number,
): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await tx
    .insertInto('account_tokens')
    .values({
      id: sha256(token),
      account_id: accountId,
      purpose,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + validMs).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

/** Ends every open token of one purpose (a newer link, a reset or a password change replaces them). */
export async function revokeAccountTokens(
  deps: Pick<ServiceDeps, 'clock'>,
  tx: Tx,
  accountId: string,
  purpose: TokenPurpose,
): Promise<void> {
  await tx
    .updateTable('account_tokens')
    .set({ used_at: deps.clock.now().toISOString() })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

const invalidLink = () => new AppError({ code: 'invalid_link', status: 400, key: 'accounts.error.link' });

/**
 * Marks a token used and returns its account. The update only succeeds while the token is
 * unused and unexpired, so a link works once even when clicked twice at the same moment.
 */
export async function consumeAccountToken(
  deps: Pick<ServiceDeps, 'clock'>,
  tx: Tx,
  token: unknown,
  purpose: TokenPurpose,
): Promise<string> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw invalidLink();
  const id = sha256(token);
  const now = deps.clock.now().toISOString();
  const row = await tx
    .selectFrom('account_tokens')
    .select('account_id')
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row) throw invalidLink();
  const result = await tx
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw invalidLink();
  return row.account_id;
}

/** Whether a token would be accepted now (to show the form behind a link). */
export async function isAccountTokenUsable(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  token: unknown,
  purpose: TokenPurpose,
): Promise<boolean> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return false;
  const row = await deps.db
    .selectFrom('account_tokens')
    .select('id')
    .where('id', '=', sha256(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock.now().toISOString())
    .executeTakeFirst();
  return row !== undefined;
}
