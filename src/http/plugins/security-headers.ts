import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every answer, in the order they are set: a CSP without inline
 * scripts or styles, no framing, no sniffing; HSTS only when the public URL is https (behind
 * TLS). Nothing in them changes per request (no nonces), so they are written once at start.
 */
export function securityHeaders(options: { https: boolean; formActions?: string[] }): [string, string][] {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // The login form goes to the national node's own site.
    ["form-action 'self'", ...(options.formActions ?? [])].join(' '),
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join(';');
  return [
    ['Content-Security-Policy', csp],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Origin-Agent-Cluster', '?1'],
    ['Referrer-Policy', 'same-origin'],
    ...(options.https
      ? ([['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']] as [string, string][])
      : []),
    ['X-Content-Type-Options', 'nosniff'],
    ['X-DNS-Prefetch-Control', 'off'],
    ['X-Download-Options', 'noopen'],
    ['X-Frame-Options', 'DENY'],
    ['X-Permitted-Cross-Domain-Policies', 'none'],
    ['X-XSS-Protection', '0'],
  ];
}

/**
 * Sets the security headers on every answer, first thing (a route may still replace one).
 * They were helmet's, which builds them anew on every request: the same headers, with the
 * same values, are now built once (test/http/portal.test.ts checks them).
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: { https: boolean; formActions?: string[] },
): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
