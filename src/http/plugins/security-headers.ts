import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Strict security headers on every answer: a CSP without inline scripts or styles,
 * no framing, no sniffing; HSTS only when the public URL is https (behind TLS).
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { https: boolean; formActions?: string[] },
): Promise<void> {
  await app.register(helmet, {
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
}
