import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors';
import type { TokenScope } from '../ports/database';
import type { ServiceDeps } from './deps';
import { getOffice } from './offices';

export const TOKEN_SCOPES: readonly TokenScope[] = ['submit', 'pull', 'deliver', 'admin'];
const TOKEN_PREFIX = 'uo_';

export interface TokenPrincipal {
  tokenId: string;
  officeId: string;
  scope: TokenScope;
  name: string;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Creates a token for one office and scope; the secret is returned once and only its hash is kept. */
export async function createIntegrationToken(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { officeId: string; scope: string; name: string },
): Promise<{ id: string; token: string }> {
  if (!(TOKEN_SCOPES as readonly string[]).includes(input.scope)) {
    throw new AppError({
      code: 'bad_scope',
      status: 400,
      key: 'tokens.error.scope',
      params: { scopes: TOKEN_SCOPES.join(', ') },
    });
  }
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new AppError({ code: 'bad_name', status: 400, key: 'tokens.error.name' });
  await getOffice(deps, input.officeId);
  const id = randomUUID();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await deps.db
    .insertInto('integration_tokens')
    .values({
      id,
      office_id: input.officeId,
      scope: input.scope as TokenScope,
      name,
      token_hash: hashToken(token),
      created_at: deps.clock.now().toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

export async function revokeIntegrationToken(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  tokenId: string,
): Promise<boolean> {
  const result = await deps.db
    .updateTable('integration_tokens')
    .set({ revoked_at: deps.clock.now().toISOString() })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The principal behind an `Authorization: Bearer` header; 401 when missing, unknown or revoked. */
export async function authenticateToken(
  deps: Pick<ServiceDeps, 'db'>,
  authorization: string | undefined,
): Promise<TokenPrincipal> {
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(authorization ?? '');
  if (!match?.[1]) throw new AppError({ code: 'unauthorized', status: 401, key: 'tokens.error.missing' });
  const row = await deps.db
    .selectFrom('integration_tokens')
    .select(['id', 'office_id', 'scope', 'name', 'revoked_at'])
    .where('token_hash', '=', hashToken(match[1]))
    .executeTakeFirst();
  if (!row || row.revoked_at)
    throw new AppError({ code: 'unauthorized', status: 401, key: 'tokens.error.invalid' });
  return { tokenId: row.id, officeId: row.office_id, scope: row.scope, name: row.name };
}
