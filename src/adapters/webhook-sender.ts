import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkEndpointUrl, isPrivateAddress } from '../domain/webhooks/endpoint-url';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../ports/webhook-sender';

export interface WebhookSenderOptions {
  /** Loopback/private addresses and plain http (tests, private networks). */
  allowPrivate: boolean;
  /** The whole exchange, connection to last byte, is cut off after this. */
  timeoutMs: number;
  userAgent: string;
}

/**
 * What a failed attempt records, shown to the office's administrators: fixed texts only, never
 * the resolver's or the socket's own message, which would tell how internal names resolve and
 * which internal ports answer.
 */
const GENERIC = {
  refused: 'refused: the address is not allowed for webhooks',
  unreachable: 'could not connect to the receiver',
  timeout: 'no answer in time',
} as const;

const generic = (error: Error): string =>
  (Object.values(GENERIC) as string[]).includes(error.message) ? error.message : GENERIC.unreachable;

/** How much of a receiver's answer is read before the connection is dropped. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Webhook requests over node:http(s). The resolved address is checked and then used for the
 * connection itself, so a name that resolves to a private address (or is re-pointed between
 * check and connect) is refused. Redirects are never followed: a 3xx is a failed attempt.
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(Object.assign(new Error(GENERIC.unreachable), { code: 'ENOTFOUND' }), '', 0);
      const refused = options.allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused || addresses.length === 0) {
        return callback(
          Object.assign(new Error(GENERIC.refused), {
            code: 'EPRIVATE',
          }),
          '',
          0,
        );
      }
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  return {
    send(request: WebhookRequest): Promise<WebhookResponse> {
      const checked = checkEndpointUrl(request.url, options.allowPrivate);
      if (!checked.ok) return Promise.reject(new Error(GENERIC.refused));
      const url = checked.url;
      const body = Buffer.from(request.body, 'utf8');
      return new Promise((resolve, reject) => {
        const client = url.protocol === 'https:' ? https : http;
        const req = client.request(url, {
          method: 'POST',
          agent: false,
          lookup,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(body.length),
            'user-agent': options.userAgent,
          },
        });
        const timer = setTimeout(() => req.destroy(new Error(GENERIC.timeout)), options.timeoutMs);
        req.on('error', (error) => {
          clearTimeout(timer);
          reject(new Error(generic(error)));
        });
        req.on('response', (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) res.destroy();
          });
          const done = () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0 });
          };
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        });
        req.end(body);
      });
    },
  };
}
