import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The security headers of every answer, in the order helmet sets them: a CSP without inline
 * scripts or styles, no framing, no sniffing; HSTS only when the public URL is https (behind
 * TLS). Nothing in them changes per request (no nonces), so helmet is run once at start and
 * the headers it set are kept (`@fastify/helmet` ran its whole configuration on every request).
 */
export function securityHeaders(options: { https: boolean; formActions?: string[] }): [string, string][] {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // The login form goes to the national node's own site.
        formAction: ["'self'", ...(options.formActions ?? [])],
        frameAncestors: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string | number) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let error: unknown;
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (e?: unknown) => (error = e));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return [...headers];
}

/** Sets the security headers on every answer, first thing (a route may still replace one). */
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
