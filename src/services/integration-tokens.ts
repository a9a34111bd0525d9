import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError, type FieldError } from '../domain/errors';
import { addCalendarDays, startOfWarsawDay, type CalendarDay } from '../domain/legal-time';
import type { MessageKey, Params } from '../i18n/index';
import type { TokenScope } from '../ports/database';
import { compiledOnce } from './compiled-once';
import type { ServiceDeps } from './deps';
import { audit } from './audit';
import { getOffice } from './offices';
import { sharedPerTurn } from './shared-per-turn';

export const TOKEN_SCOPES: readonly TokenScope[] = ['submit', 'pull', 'deliver', 'admin'];
const TOKEN_PREFIX = 'uo_';

export interface TokenPrincipal {
  tokenId: string;
  officeId: string;
  scope: TokenScope;
  name: string;
}

/**
 * A calendar day written `YYYY-MM-DD` that exists, from the year 2000 on (Warsaw's historical
 * offsets before then have no whole-hour midnight); null otherwise.
 */
function parseDay(text: string): CalendarDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match || Number(match[1]) < 2000) return null;
  const day = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = new Date(Date.UTC(day.year, day.month - 1, day.day));
  return check.getUTCFullYear() === day.year &&
    check.getUTCMonth() === day.month - 1 &&
    check.getUTCDate() === day.day
    ? day
    : null;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** What an office sees of its tokens: never the secret. */
export interface TokenView {
  id: string;
  officeId: string;
  scope: TokenScope;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Last use is written at most this often per token: a row update on every request would be wasteful. */
const LAST_USE_PRECISION_MS = 60_000;

/**
 * Creates a token for one office and scope, optionally expiring; the secret is returned once
 * and only its hash is kept. The audit log records it.
 */
export async function createIntegrationToken(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'dialect'>,
  input: {
    officeId: string;
    scope: string;
    name: string;
    expiresAt?: Date | undefined;
    /** Or a Warsaw calendar day `YYYY-MM-DD`: the token works through that whole day. */
    expiresOn?: string | undefined;
    actorId?: string | null;
  },
): Promise<{ id: string; token: string }> {
  // Every bad field at once, so a form can mark them all; the code names the first.
  const name = input.name.trim();
  const now = deps.clock.now();
  const problems: { code: string; key: MessageKey; params?: Params; field: FieldError }[] = [];
  if (!(TOKEN_SCOPES as readonly string[]).includes(input.scope))
    problems.push({
      code: 'bad_scope',
      key: 'tokens.error.scope',
      params: { scopes: TOKEN_SCOPES.join(', ') },
      field: { field: 'scope', key: 'tokens.error.scopeChoice' },
    });
  if (!name || name.length > 200)
    problems.push({
      code: 'bad_name',
      key: 'tokens.error.name',
      field: { field: 'name', key: 'tokens.error.name' },
    });
  const day = input.expiresOn === undefined ? undefined : parseDay(input.expiresOn);
  if (day === null)
    problems.push({
      code: 'bad_request',
      key: 'tokens.error.expiryFormat',
      field: { field: 'expires', key: 'tokens.error.expiryFormat' },
    });
  const expiry = day ? startOfWarsawDay(addCalendarDays(day, 1)) : input.expiresAt;
  if (expiry && !(expiry.getTime() > now.getTime()))
    problems.push({
      code: 'bad_request',
      key: 'tokens.error.expiry',
      field: { field: 'expires', key: 'tokens.error.expiry' },
    });
  const [first] = problems;
  if (first)
    throw new AppError({
      code: first.code,
      status: 400,
      key: first.key,
      ...(first.params ? { params: first.params } : {}),
      fieldErrors: problems.map((p) => p.field),
    });
  await getOffice(deps, input.officeId);
  const id = randomUUID();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = expiry?.toISOString() ?? null;
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('integration_tokens')
      .values({
        id,
        office_id: input.officeId,
        scope: input.scope as TokenScope,
        name,
        token_hash: hashToken(token),
        created_at: now.toISOString(),
        revoked_at: null,
        expires_at: expiresAt,
        last_used_at: null,
      })
      .execute();
    await audit(
      deps,
      {
        action: 'token.created',
        actorId: input.actorId ?? null,
        subject: id,
        details: { officeId: input.officeId, scope: input.scope, expiresAt },
      },
      tx,
    );
  });
  return { id, token };
}

/** The tokens of an office, newest first, with their state; never their secrets. */
export async function listIntegrationTokens(
  deps: Pick<ServiceDeps, 'db'>,
  officeId: string,
): Promise<TokenView[]> {
  const rows = await deps.db
    .selectFrom('integration_tokens')
    .select(['id', 'office_id', 'scope', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('office_id', '=', officeId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    officeId: r.office_id,
    scope: r.scope,
    name: r.name,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Revokes a token at once, by its id (printed when it was made and in the token list); with an
 * office, only a token of that office. Recorded in the audit log. False when there was no
 * active token with that id.
 */
export async function revokeIntegrationToken(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'dialect'>,
  tokenId: string,
  options: { officeId?: string; actorId?: string | null } = {},
): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('integration_tokens')
      .select(['office_id', 'scope', 'expires_at'])
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .$if(options.officeId !== undefined, (q) => q.where('office_id', '=', options.officeId!))
      .executeTakeFirst();
    if (!row) return false;
    const result = await tx
      .updateTable('integration_tokens')
      .set({ revoked_at: deps.clock.now().toISOString() })
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await audit(
      deps,
      {
        action: 'token.revoked',
        actorId: options.actorId ?? null,
        subject: tokenId,
        details: { officeId: row.office_id, scope: row.scope, expiresAt: row.expires_at },
      },
      tx,
    );
    return true;
  });
}

/** The principal behind an `Authorization: Bearer` header; 401 when missing, unknown, revoked or expired. */
const tokenByHash = compiledOnce((db, slots: { hash: string }) =>
  db
    .selectFrom('integration_tokens')
    .select(['id', 'office_id', 'scope', 'name', 'revoked_at', 'expires_at', 'last_used_at'])
    .where('token_hash', '=', slots.hash),
);

type TokenRow = Awaited<ReturnType<typeof tokenByHash>>['rows'][number];

/** An integration's parallel requests (one token) that arrive together share one lookup. */
const tokenLookups = new WeakMap<ServiceDeps['db'], (hash: string) => Promise<TokenRow | undefined>>();

function lookUpToken(deps: Pick<ServiceDeps, 'db' | 'dialect'>, hash: string): Promise<TokenRow | undefined> {
  let lookUp = tokenLookups.get(deps.db);
  if (!lookUp) {
    lookUp = sharedPerTurn(async (key) => (await tokenByHash(deps.db, deps.dialect, { hash: key })).rows[0]);
    tokenLookups.set(deps.db, lookUp);
  }
  return lookUp(hash);
}

export async function authenticateToken(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  authorization: string | undefined,
): Promise<TokenPrincipal> {
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(authorization ?? '');
  if (!match?.[1]) throw new AppError({ code: 'unauthorized', status: 401, key: 'tokens.error.missing' });
  const row = await lookUpToken(deps, hashToken(match[1]));
  const now = deps.clock.now();
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now.toISOString()))
    throw new AppError({ code: 'unauthorized', status: 401, key: 'tokens.error.invalid' });
  const stale = new Date(now.getTime() - LAST_USE_PRECISION_MS).toISOString();
  if (!row.last_used_at || row.last_used_at < stale)
    await deps.db
      .updateTable('integration_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', stale)]))
      .execute();
  return { tokenId: row.id, officeId: row.office_id, scope: row.scope, name: row.name };
}
