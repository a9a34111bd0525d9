import type { FastifyInstance } from 'fastify';

/**
 * Who may use a route. Every route must declare it in `config.access`; the app refuses to
 * start otherwise, so no route is ever left unguarded by accident.
 */
/** 'token': an integration token, checked by the route's requireToken preHandler. */
export type Access = 'public' | 'token';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Routes added by plugins that cannot carry config: static assets, public by nature. */
const PUBLIC_PREFIXES = ['/assets/'];

export function requireAccessOnEveryRoute(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...(route.config as object), access: 'public' };
      return;
    }
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declares no access rule (config.access)`);
  });
}
