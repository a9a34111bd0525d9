import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  body: string;
  signature: string;
  /** Checked here with the Standard Webhooks algorithm, independently of the product's code. */
  signatureValid: boolean;
  receivedAt: number;
}

/**
 * A real HTTP server on 127.0.0.1 that receives webhooks and checks every signature:
 * HMAC-SHA256, keyed with the base64-decoded part of `whsec_…`, over `id.timestamp.body`,
 * compared with each `v1,` signature in the header.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Answers to give, in order; then 200. 'hang' never answers. */
  readonly script: (number | 'hang' | { redirect: string })[] = [];
  /** Paths always answered with a redirect to the given address, whatever the script says. */
  readonly redirects = new Map<string, string>();
  secret = '';
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = Number(req.headers['webhook-timestamp']);
      const key = Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
      const signatureValid = String(req.headers['webhook-signature'] ?? '')
        .split(' ')
        .some((part) => {
          const [version, value] = part.split(',');
          const given = Buffer.from(value ?? '', 'base64');
          return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
        });
      this.received.push({
        id,
        timestamp,
        body,
        signature: String(req.headers['webhook-signature'] ?? ''),
        signatureValid,
        receivedAt: Date.now(),
      });
      const redirect = this.redirects.get(new URL(req.url ?? '/', 'http://receiver').pathname);
      const answer = redirect ? { redirect } : (this.script.shift() ?? 200);
      if (answer === 'hang') return;
      if (typeof answer === 'object') {
        res.writeHead(302, { location: answer.redirect }).end();
        return;
      }
      res.writeHead(answer).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
