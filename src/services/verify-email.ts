import { audit } from './audit';
import { consumeAccountToken } from './account-tokens';
import type { ServiceDeps } from './deps';

/** Confirms the e-mail address behind a single-use verification link. */
export async function verifyEmail(deps: ServiceDeps, token: unknown): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const accountId = await consumeAccountToken(deps, tx, token, 'verify-email');
    await tx
      .updateTable('accounts')
      .set({ email_verified_at: deps.clock.now().toISOString() })
      .where('id', '=', accountId)
      .where('email_verified_at', 'is', null)
      .execute();
    await audit(deps, { action: 'account.email-verified', actorId: accountId, subject: accountId }, tx);
  });
}
