import { randomUUID } from 'node:crypto';
import type { NationalAuthEvidence, NationalLogin } from '../ports/national-node';

/** A refused national login, as the HTTP layer sees it (the port defines it). */
export { NationalLoginRefused } from '../ports/national-node';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { sha256 } from './secrets';
import { createSession, endSession } from './sessions';

/**
 * Claims an identifier (artifact, assertion id) that may be used once. Shared by every node of
 * the installation through the database; expired entries are dropped as new ones come.
 */
export async function claimOneTimeId(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  id: string,
  expiresAt: Date,
): Promise<boolean> {
  const key = sha256(id);
  await deps.db.deleteFrom('one_time_ids').where('expires_at', '<', deps.clock.now().toISOString()).execute();
  const result = await deps.db
    .insertInto('one_time_ids')
    .values({ id: key, expires_at: expiresAt.toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * Starts a session for the person the national node vouched for. The account is the one bound
 * to that PESEL; the first national login creates it (it has no password and no e-mail until
 * the resident adds one). The evidence stays with the session and goes onto each filing made
 * in it. The PESEL is never written to logs or the audit trail.
 */
export async function logInNationally(
  deps: ServiceDeps,
  input: { login: NationalLogin; previousToken?: string | undefined },
): Promise<{ token: string; accountId: string; created: boolean; secondFactorPending: boolean }> {
  const { identity, evidence } = input.login;
  await endSession(deps, input.previousToken);
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (tx) => {
    const bound = await tx
      .selectFrom('national_identities')
      .select('account_id')
      .where('pesel', '=', identity.pesel)
      .executeTakeFirst();
    let accountId = bound?.account_id;
    const created = !accountId;
    if (!accountId) {
      accountId = randomUUID();
      await tx
        .insertInto('accounts')
        .values({
          id: accountId,
          // A placeholder in the reserved .invalid domain: nothing is ever delivered to it.
          email: `${accountId}@login-gov-pl.invalid`,
          // Not an argon2 hash: no password can ever match it.
          password_hash: '!national-login-only',
          display_name: `${identity.givenName} ${identity.familyName}`,
          email_verified_at: null,
          terms_accepted_at: now,
          totp_secret: null,
          totp_enabled_at: null,
          locked_until: null,
          created_at: now,
        })
        .execute();
      await tx
        .insertInto('national_identities')
        .values({
          pesel: identity.pesel,
          account_id: accountId,
          given_name: identity.givenName,
          family_name: identity.familyName,
          date_of_birth: identity.dateOfBirth,
          created_at: now,
          last_login_at: now,
        })
        .execute();
    } else {
      await tx
        .updateTable('national_identities')
        .set({ given_name: identity.givenName, family_name: identity.familyName, last_login_at: now })
        .where('pesel', '=', identity.pesel)
        .execute();
    }
    // The node vouches for the person, not for staff rights: an account with the second factor
    // on still gives its code; staff without one keep only what every resident may do.
    const account = await tx
      .selectFrom('accounts')
      .select('totp_enabled_at')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    const secondFactorPending = account.totp_enabled_at !== null;
    const token = await createSession(deps, tx, accountId, secondFactorPending, {
      staffRolesWithheld: !secondFactorPending,
    });
    await tx
      .insertInto('session_authentications')
      .values({ session_id: sha256(token), evidence: JSON.stringify(evidence) })
      .execute();
    await audit(
      deps,
      {
        action: 'login.national',
        actorId: accountId,
        subject: accountId,
        details: {
          levelOfAssurance: evidence.levelOfAssurance,
          authority: evidence.authenticatingAuthority,
          assertionId: evidence.assertionId,
          created,
        },
      },
      tx,
    );
    return { token, accountId, created, secondFactorPending };
  });
}

/** The national-login evidence of the session behind a cookie token, if it was such a login. */
export async function sessionAuthentication(
  deps: Pick<ServiceDeps, 'db'>,
  token: string | undefined,
): Promise<NationalAuthEvidence | undefined> {
  if (!token) return undefined;
  const row = await deps.db
    .selectFrom('session_authentications')
    .select('evidence')
    .where('session_id', '=', sha256(token))
    .executeTakeFirst();
  return row ? (JSON.parse(row.evidence) as NationalAuthEvidence) : undefined;
}

/** The evidence recorded on a filed document, if it was filed after a national login. */
export async function documentAuthentication(
  deps: Pick<ServiceDeps, 'db'>,
  documentId: string,
): Promise<NationalAuthEvidence | undefined> {
  const row = await deps.db
    .selectFrom('document_authentications')
    .select('evidence')
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.evidence) as NationalAuthEvidence) : undefined;
}

/**
 * The UPP's statement of how the sender was authenticated: the method, the level of
 * assurance, who authenticated them behind the node, when, and the assertion's id.
 */
export function describeAuthentication(e: NationalAuthEvidence): string {
  const level = e.levelOfAssurance.replace('http://eidas.europa.eu/LoA/', '');
  return `login.gov.pl (art. 20a ustawy o informatyzacji); LoA=${level}; uwierzytelnil=${e.authenticatingAuthority}; czas=${e.authnInstant}; asercja=${e.assertionId}; wezel=${e.issuer}`;
}
