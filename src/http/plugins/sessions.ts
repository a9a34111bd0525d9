import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index';
import { sha256 } from '../../services/secrets';
import { isLiveSession } from '../../services/sessions';

export const COOKIE_SESSION = 'session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The raw session token from the cookie, if any. */
    sessionToken: string | undefined;
    /** A login waiting for its second factor. */
    pendingLogin: { sessionId: string; accountId: string } | undefined;
    /** The logged-in session's clock, for the warning before it ends. */
    sessionTimer: { secondsLeft: number; warnSeconds: number } | undefined;
    /** The account whose session this request's cookie ended just now (idle or absolute timeout). */
    expiredSessionOf: string | undefined;
  }
}

/** Loads the session behind the `session` cookie into `request.user` on every request. */
export function registerSessions(
  app: FastifyInstance,
  services: Services,
  options: { warningSeconds: number },
): void {
  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('pendingLogin', undefined);
  app.decorateRequest('sessionTimer', undefined);
  app.decorateRequest('expiredSessionOf', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/')) return;
    const token = request.cookies[COOKIE_SESSION];
    if (!token) return;
    const session = await services.loadSession(token);
    if (!isLiveSession(session)) {
      request.expiredSessionOf = session?.expiredFor;
      return;
    }
    request.sessionToken = token;
    if (session.secondFactorPending)
      request.pendingLogin = { sessionId: sha256(token), accountId: session.principal.accountId };
    else {
      request.user = session.principal;
      request.sessionTimer = { secondsLeft: session.secondsLeft, warnSeconds: options.warningSeconds };
    }
  });
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind TLS, gone when the browser closes. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(COOKIE_SESSION, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest): void {
  if (request.cookies[COOKIE_SESSION]) reply.clearCookie(COOKIE_SESSION, { path: '/' });
}
