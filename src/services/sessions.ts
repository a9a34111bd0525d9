import { isRoleName, type Principal, type RoleGrant } from '../domain/roles';
import type { Tx } from '../ports/database';
import type { ServiceDeps } from './deps';
import { compiledOnce } from './compiled-once';
import { randomToken, sha256 } from './secrets';

/**
 * `sessions.second_factor_pending`: 0 logged in with the second factor; 1 password given, code
 * still to come (not logged in); 2 logged in without a second factor (a password or login.gov.pl
 * alone, the account has none): staff roles withheld (docs/security.md: neither a password nor
 * the national login alone opens staff pages). Turning the factor on later does not change a
 * session: the staff pages open at the next login, with the code.
 */
export const STAFF_ROLES_WITHHELD = 2;

export interface SessionInfo {
  principal: Principal;
  /** Password given, second factor still to come: not logged in yet. */
  secondFactorPending: boolean;
  /** Seconds until the session ends if unused (idle timeout or absolute end, whichever is first). */
  secondsLeft: number;
}

/**
 * A cookie whose session has just ended (idle or absolute timeout): whose it was, so a form it
 * carried can be kept for that account alone (docs/accounts.md, "Session end").
 */
export interface ExpiredSession {
  expiredFor: string;
}

export const isLiveSession = (session: SessionInfo | ExpiredSession | undefined): session is SessionInfo =>
  session !== undefined && 'principal' in session;

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function createSession(
  deps: Pick<ServiceDeps, 'clock' | 'config'>,
  tx: Tx,
  accountId: string,
  secondFactorPending: boolean,
  options: { staffRolesWithheld?: boolean } = {},
): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await tx
    .insertInto('sessions')
    .values({
      id: sha256(token),
      account_id: accountId,
      second_factor_pending: secondFactorPending ? 1 : options.staffRolesWithheld ? STAFF_ROLES_WITHHELD : 0,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3600 * 1000).toISOString(),
    })
    .execute();
  return token;
}

/** A session's role rows as grants (a row without a role, or of a role no longer known, is none). */
function roleGrants(
  rows: {
    role: string | null;
    office_id: string | null;
    department: string | null;
    point_id: string | null;
  }[],
): RoleGrant[] {
  return rows
    .filter((r) => r.role !== null && isRoleName(r.role))
    .map((r) => ({
      role: r.role as RoleGrant['role'],
      officeId: r.office_id,
      department: r.department,
      pointId: r.point_id,
    }));
}

/** When a session used last at `lastSeen` ends: the idle timeout or its absolute end, whichever is first. */
function secondsLeft(deps: Pick<ServiceDeps, 'clock' | 'config'>, lastSeen: Date, expiresAt: string): number {
  const idleEnd = lastSeen.getTime() + deps.config.sessionIdleMinutes * 60 * 1000;
  const end = Math.min(idleEnd, new Date(expiresAt).getTime());
  return Math.max(0, Math.floor((end - deps.clock.now().getTime()) / 1000));
}

/**
 * A session with its account and the account's roles, one row per role (one row with a null
 * role when it has none): every logged-in page reads it, so in one statement compiled once.
 * The roles are ordered by role, office and point.
 */
const sessionWithRoles = compiledOnce((db, slots: { id: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('account_roles', 'account_roles.account_id', 'sessions.account_id')
    .select([
      'sessions.account_id',
      'sessions.second_factor_pending',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'accounts.display_name',
      'accounts.email',
      'accounts.totp_enabled_at',
      'account_roles.role',
      'account_roles.office_id',
      'account_roles.department',
      'account_roles.point_id',
    ])
    .where('sessions.id', '=', slots.id)
    .orderBy('account_roles.role')
    .orderBy('account_roles.office_id')
    .orderBy('account_roles.point_id'),
);

/**
 * The session behind a cookie token, if it is still alive: not past its absolute end and used
 * within the idle timeout. A live session's last use is refreshed (at most once a minute). A
 * session found dead is deleted and answered with the account it belonged to.
 */
export async function loadSession(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'config'>,
  token: string | undefined,
): Promise<SessionInfo | ExpiredSession | undefined> {
  if (!token || token.length > 100) return undefined;
  const id = sha256(token);
  const { rows } = await sessionWithRoles(deps.db, deps.dialect, { id });
  const row = rows[0];
  if (!row) return undefined;
  const now = deps.clock.now();
  const idleEnd = new Date(new Date(row.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60 * 1000);
  if (now.toISOString() >= row.expires_at || now >= idleEnd) {
    await deps.db.deleteFrom('sessions').where('id', '=', id).execute();
    // Only a logged-in session's account: a half-finished login never owned a form.
    return row.second_factor_pending === 1 ? undefined : { expiredFor: row.account_id };
  }
  let lastSeen = new Date(row.last_seen_at);
  if (now.getTime() - lastSeen.getTime() > 60_000) {
    await deps.db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    lastSeen = now;
  }
  const roles = roleGrants(rows);
  // Staff roles need the second factor given in this session; a factor turned off since (or a
  // session older than this rule) leaves the account a resident.
  const withheld =
    roles.length > 0 && (row.second_factor_pending === STAFF_ROLES_WITHHELD || row.totp_enabled_at === null);
  return {
    principal: {
      accountId: row.account_id,
      displayName: row.display_name,
      email: row.email,
      roles: withheld ? [] : roles,
      ...(withheld ? { staffRolesWithheld: true } : {}),
    },
    secondFactorPending: row.second_factor_pending === 1,
    secondsLeft: secondsLeft(deps, lastSeen, row.expires_at),
  };
}

/**
 * "Przedłuż sesję": counts now as the session's last use, so the idle timeout starts again
 * (never past the absolute end). Returns the seconds left, or undefined for a dead session.
 */
export async function extendSession(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  token: string | undefined,
): Promise<number | undefined> {
  if (!token) return undefined;
  const now = deps.clock.now();
  const row = await deps.db
    .updateTable('sessions')
    .set({ last_seen_at: now.toISOString() })
    .where('id', '=', sha256(token))
    .where('expires_at', '>', now.toISOString())
    .returning('expires_at')
    .executeTakeFirst();
  return row ? secondsLeft(deps, now, row.expires_at) : undefined;
}

export async function endSession(deps: Pick<ServiceDeps, 'db'>, token: string | undefined): Promise<void> {
  if (token) await deps.db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}
