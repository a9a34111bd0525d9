import type { FastifyRequest } from 'fastify';

/**
 * Rate limits of the forms people could abuse, in one place. Per IP address, counted in the
 * shared database so that every node draws on one budget (docs/scaling.md); per account
 * there is also the login lockout and the reset cap in the database, and the
 * fresh-confirmation code limit (5 attempts) in its challenge.
 */
const byIp = (request: FastifyRequest): string => `ip:${request.ip}`;
/** Code entry is counted per account when someone is logged in (or half logged in). */
const byAccount = (request: FastifyRequest): string =>
  `account:${request.user?.accountId ?? request.pendingLogin?.accountId ?? request.ip}`;

export const RATE_LIMITS = {
  login: { max: 20, timeWindow: '1 minute', keyGenerator: byIp },
  registration: { max: 10, timeWindow: '1 hour', keyGenerator: byIp },
  passwordReset: { max: 10, timeWindow: '1 hour', keyGenerator: byIp },
  codeEntry: { max: 20, timeWindow: '10 minutes', keyGenerator: byAccount },
  // Each check reads uploads of up to a few megabytes and verifies signatures.
  verification: { max: 30, timeWindow: '1 minute', keyGenerator: byIp },
} as const;
