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
  '*.code',
  '*.secret',
  '*.phone',
  'password',
  'pesel',
  'email',
  'token',
  'secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // The process id tells apart the workers of `serve` with WORKERS > 1.
      base: { service: 'urzad-online', pid: process.pid },
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
