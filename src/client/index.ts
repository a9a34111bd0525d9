import { verifyWebhook, type WebhookVerification } from '../domain/webhooks/signature';
import type { components, webhooks } from './api-types';

/**
 * A small client for office systems and filing portals: file a document, pull and acknowledge
 * documents, manage webhook endpoints, verify received webhooks. It needs nothing but the
 * platform's fetch (Node.js 20+, browsers). Its types are generated from the API's schemas
 * (src/client/api-types.ts), so they say what the server answers.
 */
export { verifyWebhook, type WebhookVerification };
export type { components, paths, webhooks } from './api-types';

type Schemas = components['schemas'];

/** RFC 9457 problem details: `type` is /api/errors#<code>, `detail` the reason in the asked language. */
export type Problem = Schemas['Problem'];

/** An answer of the API that is not a success: the problem+json document it carried. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfter: number | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export interface ClientFile {
  name: string;
  data: Uint8Array;
  type?: string;
}

export type FiledDocument = Schemas['Filed'];

/** A leased document: every file has its `href`, the lease its end. */
export type PulledDocument = Omit<Schemas['Document'], 'files' | 'leaseUntil'> & {
  leaseUntil: string;
  files: PulledFile[];
};
export type PulledFile = Schemas['File'] & { href: string };

export type WebhookEvent = Schemas['WebhookEndpoint']['events'][number];

/** The body of a webhook of one event, as the endpoint receives it. */
export type WebhookPayload<E extends WebhookEvent> =
  webhooks[E]['post']['requestBody']['content']['application/json'];

/** A registered endpoint; `secret` only in the answer that created it. */
export type WebhookEndpoint = Schemas['WebhookEndpoint'];

export interface ClientOptions {
  /** e.g. https://urzad.example.gov.pl */
  baseUrl: string;
  /** An integration token (`uo_…`). */
  token: string;
  fetch?: typeof fetch;
  /** `pl` (default) or `en`: the language of problem titles and messages. */
  lang?: 'pl' | 'en';
}

export class UrzadClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.base = options.baseUrl.replace(/\/$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  private async request(
    method: string,
    path: string,
    init: { json?: unknown; body?: FormData; idempotencyKey?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json',
    };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
    const url = `${this.base}${path}${this.options.lang ? `${path.includes('?') ? '&' : '?'}lang=${this.options.lang}` : ''}`;
    const response = await this.doFetch(url, {
      method,
      headers,
      ...(init.json !== undefined
        ? { body: JSON.stringify(init.json) }
        : init.body
          ? { body: init.body }
          : {}),
      redirect: 'error',
    });
    if (response.status >= 400) {
      const text = await response.text();
      let problem: Problem | undefined;
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem = undefined;
      }
      const retry = response.headers.get('retry-after');
      throw new ApiError(response.status, problem, retry ? Number(retry) : undefined);
    }
    return response;
  }

  /** Files a document (and attachments) into a box; the answer names the document and its receipt. */
  async fileDocument(input: {
    officeId: string;
    boxName: string;
    document: ClientFile;
    attachments?: ClientFile[];
    title?: string;
    kind?: NonNullable<Schemas['Document']['kind']>;
    idempotencyKey?: string;
  }): Promise<FiledDocument> {
    const form = new FormData();
    if (input.title !== undefined) form.append('title', input.title);
    if (input.kind !== undefined) form.append('kind', input.kind);
    const blob = (f: ClientFile) =>
      new Blob([Uint8Array.from(f.data)], { type: f.type ?? 'application/octet-stream' });
    form.append('document', blob(input.document), input.document.name);
    for (const a of input.attachments ?? []) form.append('attachment', blob(a), a.name);
    const res = await this.request(
      'POST',
      `/api/v1/boxes/${enc(input.officeId)}/${enc(input.boxName)}/documents`,
      {
        body: form,
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      },
    );
    return (await res.json()) as FiledDocument;
  }

  /**
   * The official receipt of a filed document (UPP): the XAdES-sealed XML (default) or its PDF
   * rendering. Keep the XML: it is what `verify-receipt` and the verification page check.
   */
  async receipt(receiptId: string, format: 'xml' | 'pdf' = 'xml'): Promise<Uint8Array> {
    const res = await this.request('GET', `/api/v1/receipts/${enc(receiptId)}?format=${format}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  async pendingCount(officeId: string, boxName: string): Promise<number> {
    const res = await this.request('GET', `/api/v1/boxes/${enc(officeId)}/${enc(boxName)}/pending`);
    return ((await res.json()) as { count: number }).count;
  }

  /** Leases the next pending document; `undefined` with the seconds to wait when none is pending. */
  async next(
    officeId: string,
    boxName: string,
  ): Promise<{ document: PulledDocument } | { document: undefined; retryAfter: number }> {
    const res = await this.request('POST', `/api/v1/boxes/${enc(officeId)}/${enc(boxName)}/pending/next`);
    if (res.status === 204)
      return { document: undefined, retryAfter: Number(res.headers.get('retry-after') ?? '5') };
    return { document: (await res.json()) as PulledDocument };
  }

  /** The bytes of one file of a pulled document (its `href`). */
  async download(file: Pick<PulledFile, 'href'>): Promise<Uint8Array> {
    const res = await this.request('GET', file.href);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** Confirms that the document was taken, by the SHA-256 of its main document. */
  async ack(documentId: string, sha256: string): Promise<void> {
    await this.request('POST', `/api/v1/documents/${enc(documentId)}/ack`, { json: { sha256 } });
  }

  /** Registers a webhook endpoint (token scope `admin`); the secret is in this answer only. */
  async createWebhook(
    officeId: string,
    input: { url: string; events: WebhookEvent[]; description?: string; idempotencyKey?: string },
  ): Promise<WebhookEndpoint & { secret: string }> {
    const { idempotencyKey, ...body } = input;
    const res = await this.request('POST', `/api/v1/offices/${enc(officeId)}/webhooks`, {
      json: body,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return (await res.json()) as WebhookEndpoint & { secret: string };
  }
}

const enc = encodeURIComponent;
