import { badRequest, type FieldError } from '../domain/errors';
import { audit } from './audit';
import { checkNewPassword, rawPassword } from './account-fields';
import { revokeAccountTokens } from './account-tokens';
import type { ServiceDeps } from './deps';
import { hashPassword, verifyPassword } from './passwords';
import { sha256 } from './secrets';

/** Changes the password after checking the current one; other sessions of the account end. */
export async function changePassword(
  deps: ServiceDeps,
  input: {
    accountId: string;
    sessionToken: string | undefined;
    current: unknown;
    password: unknown;
    passwordConfirm: unknown;
  },
): Promise<void> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['password_hash'])
    .where('id', '=', input.accountId)
    .executeTakeFirstOrThrow();
  const errors: FieldError[] = [];
  if (!(await verifyPassword(account.password_hash, rawPassword(input.current))))
    errors.push({ field: 'current', key: 'accounts.error.password.current' });
  const password = rawPassword(input.password);
  checkNewPassword(password, rawPassword(input.passwordConfirm), errors);
  if (errors.length) throw badRequest(errors);
  const hash = await hashPassword(password);
  await deps.db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ password_hash: hash }).where('id', '=', input.accountId).execute();
    let others = tx.deleteFrom('sessions').where('account_id', '=', input.accountId);
    if (input.sessionToken) others = others.where('id', '!=', sha256(input.sessionToken));
    await others.execute();
    await revokeAccountTokens(deps, tx, input.accountId, 'reset-password');
    await audit(deps, { action: 'password.changed', actorId: input.accountId, subject: input.accountId }, tx);
  });
}
