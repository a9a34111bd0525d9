import os from 'node:os';
import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Personal data and secrets never reach them: request bodies are not
 * logged, and these paths are censored wherever they appear.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.pesel',
  '*.email',
  '*.token',
  // One-time codes by their own names: `code` alone is how errors name themselves
  // (ECONNREFUSED, service_unavailable) and must stay readable.
  '*.otp',
  '*.totp',
  '*.oneTimeCode',
  '*.recoveryCode',
  '*.verificationCode',
  '*.secret',
  '*.phone',
  'password',
  'pesel',
  'email',
  'token',
  'secret',
];

/** The node's name in logs and `doctor`: NODE_ID, or else the host name. */
export function nodeName(configured: string | undefined): string {
  return configured ?? os.hostname();
}

export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: { node?: string | undefined } = {},
): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Lines of several nodes end up in one place: each says which node, host and process
      // (the workers of `serve` with WORKERS > 1) wrote it.
      base: {
        service: 'urzad-online',
        node: nodeName(options.node),
        hostname: os.hostname(),
        pid: process.pid,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        // Log the path without the query: queries may carry personal data.
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
      },
    },
    destination,
  );
}
