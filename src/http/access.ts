import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors';
import { hasRole, type Principal, type RoleName } from '../domain/roles';
import type { TokenScope } from '../ports/database';
import type { TokenPrincipal } from '../services/integration-tokens';

/**
 * Who may use a route. Every route must declare it in `config.access`; the app refuses to
 * start otherwise, so no route is ever left unguarded by accident.
 *
 * - `'public'`: anyone;
 * - `'authenticated'`: any logged-in account (every account is a resident);
 * - `{ token }`: an integration token with one of the scopes (office systems, API clients);
 *   `office: 'param:officeId'` also requires the token to belong to the office so named;
 * - `{ role }`: an account holding one of the roles; `office: 'param:officeId'` (or `point`)
 *   also requires the role to be held for the office (point) named by that route parameter.
 */
export type ScopeParam = `param:${string}`;
export type Access =
  | 'public'
  | 'authenticated'
  | { role: RoleName | RoleName[]; office?: ScopeParam; point?: ScopeParam }
  /** An integration token (`Authorization: Bearer`) with one of these scopes; never a session. */
  | { token: TokenScope[]; office?: ScopeParam };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A form worth keeping when it arrives after its session ended (WCAG 2.2.1): keeps it for
     * the account whose session it was and answers the path to return to after the new login
     * (docs/accounts.md, "Session end").
     */
    keepOnExpiry?: (request: FastifyRequest, reply: FastifyReply, accountId: string) => Promise<string>;
  }
  interface FastifyRequest {
    /** The logged-in person, loaded from the session cookie. */
    user: Principal | undefined;
    /** The integration token of an API request, on routes with `{ token }` access. */
    token?: TokenPrincipal;
  }
  interface FastifyInstance {
    /** Every route with its access rule, in the order registered: what the role-matrix test walks. */
    accessRegistry: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/** Static assets (added by a plugin that cannot carry config) and the API's reference page: public by nature, not API operations. */
const PUBLIC_PREFIXES = ['/assets/', '/api/docs'];

export function requireAccessOnEveryRoute(app: FastifyInstance): void {
  const registry: RouteAccess[] = [];
  app.decorate('accessRegistry', registry);
  app.addHook('onRoute', (route) => {
    if (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...(route.config as object), access: 'public' };
      return;
    }
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access)
      throw new Error(`Route ${route.method} ${route.url} declares no access rule (config.access)`);
    for (const method of [route.method].flat())
      if (method !== 'HEAD') registry.push({ method, url: route.url, access });
  });
}

function scopeValue(request: FastifyRequest, scope: ScopeParam | undefined): string | undefined {
  if (!scope) return undefined;
  const value = (request.params as Record<string, unknown>)[scope.slice('param:'.length)];
  return typeof value === 'string' ? value : '';
}

/** Whether a principal satisfies an access rule for this request. */
export function allows(access: Access, user: Principal | undefined, request: FastifyRequest): boolean {
  if (access === 'public') return true;
  if (!user || isTokenAccess(access)) return false;
  if (access === 'authenticated') return true;
  const officeId = scopeValue(request, access.office);
  const pointId = scopeValue(request, access.point);
  return [access.role].flat().some((role) =>
    hasRole(user, role, {
      ...(officeId !== undefined ? { officeId } : {}),
      ...(pointId !== undefined ? { pointId } : {}),
    }),
  );
}

/**
 * The one authorisation check, run before every route handler (and before its CSRF check):
 * no login → the login page (or 401 under /api/); the wrong role or scope → 403.
 */
export const isTokenAccess = (access: Access): access is { token: TokenScope[]; office?: ScopeParam } =>
  typeof access === 'object' && 'token' in access;

export function enforceAccess(
  app: FastifyInstance,
  options: { authenticateToken: (authorization: string | undefined) => Promise<TokenPrincipal> },
): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    if (isTokenAccess(access)) {
      try {
        request.token = await options.authenticateToken(request.headers.authorization);
      } catch (error) {
        reply.header('www-authenticate', 'Bearer');
        throw error;
      }
      if (!access.token.includes(request.token.scope)) {
        throw new AppError({
          code: 'forbidden',
          status: 403,
          key: 'tokens.error.scope',
          params: { scopes: access.token.join(', ') },
        });
      }
      if (access.office && scopeValue(request, access.office) !== request.token.officeId)
        throw new AppError({ code: 'other_office', status: 403, key: 'tokens.error.otherOffice' });
      return;
    }
    if (!request.user) {
      if (request.url.startsWith('/api/'))
        throw new AppError({ code: 'unauthenticated', status: 401, key: 'access.unauthenticated' });
      const query = new URLSearchParams();
      if (request.method === 'GET') query.set('powrot', request.url);
      const keep = request.routeOptions.config.keepOnExpiry;
      if (keep && request.method === 'POST' && request.expiredSessionOf) {
        // Best effort: a form that cannot be kept (a bad token, a broken upload) only costs the return.
        const back = await keep(request, reply, request.expiredSessionOf).catch((error: unknown) => {
          request.log.info({ code: error instanceof AppError ? error.code : 'error' }, 'form not kept');
          return undefined;
        });
        if (back) query.set('powrot', back);
      }
      // A session cookie without a live session: the session timed out.
      if (request.cookies.session) query.set('komunikat', 'expired');
      const search = query.toString();
      return reply.redirect(`/logowanie${search ? `?${search}` : ''}`, 303);
    }
    if (!allows(access, request.user, request)) {
      // A member of staff who came through login.gov.pl alone: say what is missing.
      if (request.user.staffRolesWithheld)
        throw new AppError({ code: 'staff_second_factor', status: 403, key: 'access.staffSecondFactor' });
      throw new AppError({ code: 'forbidden', status: 403, key: 'access.forbidden' });
    }
  });
}
