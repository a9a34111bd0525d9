import { z } from 'zod';
import { DOCUMENT_STATUSES } from '../domain/journal/index';
import { LETTER_KINDS } from '../domain/letters/letter-kind';
import { WEBHOOK_EVENTS } from '../domain/webhooks/events';
import { IDEMPOTENCY_KEY_PATTERN } from '../services/idempotency';
import { PROBLEM_CODES } from './problem';
import type { RefusalRule } from './request-validation';

/**
 * The API's contract, in one place: per operation its path parameters, query, body and
 * answers as zod schemas. A route names its operation in `config.contract`; the same schemas
 * validate the request (src/http/api-validation.ts, one path for every route, refusals in
 * problem+json through one formatter) and generate the OpenAPI document (src/http/openapi.ts),
 * from which docs/openapi.json and the client's types (src/client/api-types.ts) are written.
 * Web forms that take the same input as an operation parse it with the same schema.
 */
type Json = Record<string, unknown>;

export interface ApiResponse {
  description: string;
  /** By media type; a JSON answer is `application/json`. */
  content?: Record<string, z.ZodType>;
  /** Response headers, as OpenAPI header objects. */
  headers?: Record<string, Json>;
}

export interface ApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  /** Path parameters that are not plain strings. */
  params?: Record<string, z.ZodType>;
  /** The query string (unknown parameters such as `lang` pass). */
  query?: z.ZodObject;
  /** The body, by media type. A JSON body is validated; a multipart one is read by the route. */
  body?: { json: z.ZodType } | { multipart: z.ZodObject };
  /** How refused parameters, query or body are answered. */
  refusal?: RefusalRule;
  /** Success answers; error statuses are in `problems` and share the problem schema. */
  responses: Record<number, ApiResponse>;
  /** Error statuses besides those every operation of its kind gives. */
  problems?: number[];
}

// Building blocks.
const id = z.string().min(1);
const dateTime = z.string().meta({ format: 'date-time' });
const nullableDateTime = dateTime.nullable();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.int().min(0);
/** Bytes: `format: binary` is what generators turn into a Blob or a byte stream. */
const bytes = z.string().meta({ format: 'binary' });
const event = z.enum(WEBHOOK_EVENTS);
const json = (schema: z.ZodType) => ({ 'application/json': schema });
const header = (description: string, schema: Json) => ({ description, schema });
export const retryAfter = {
  'Retry-After': header('Seconds to wait before asking again', { type: 'integer' }),
};
const location = { Location: header('Where the created resource is read', { type: 'string' }) };
const replayed = {
  'idempotent-replayed': header(
    'Present (`true`) when this is the stored first answer to an earlier request with the same Idempotency-Key and content',
    { type: 'string', enum: ['true'] },
  ),
};

/** The Idempotency-Key header every token POST accepts (src/http/idempotency.ts checks it). */
export const idempotencyKey = z.string().regex(IDEMPOTENCY_KEY_PATTERN).meta({
  description:
    '1–200 visible ASCII characters, one per operation: a repeat with the same content gets the first answer (`idempotent-replayed: true`), other content 409',
});

// Components: schemas with an `id` become #/components/schemas/<id>.
export const Problem = z
  .strictObject({
    type: z.string().meta({ format: 'uri-reference', examples: ['/api/errors#other_office'] }),
    title: z.string().meta({ examples: ['Forbidden'] }),
    status: z.int().min(400).max(599),
    code: z.enum(PROBLEM_CODES as [string, ...string[]]),
    detail: z.string(),
    errors: z.array(
      z.strictObject({
        field: z.string(),
        file: z.union([z.string(), z.int()]).optional(),
        rule: z.union([z.string(), z.int()]).optional(),
        code: z.string(),
        message: z.string(),
      }),
    ),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem details. `type` is /api/errors#<code> (the catalogue of codes, their meaning and fix); `title` the HTTP status phrase; `detail` the reason in the language of Accept-Language (Polish by default, English); `errors` the refused fields and files (empty when none)',
  });

const Filed = z.strictObject({ documentId: id, receiptId: id, receivedAt: dateTime }).meta({ id: 'Filed' });

const File = z
  .strictObject({
    position: count,
    role: z.enum(['main', 'attachment']),
    name: z.string(),
    mediaType: z.string(),
    size: count,
    sha256,
    findings: z.array(z.looseObject({})).meta({ description: 'The validator’s findings' }),
    href: z.string().optional().meta({ description: 'Only in answers of pending/next: where the bytes are' }),
  })
  .meta({ id: 'File' });

const SignatureFinding = z
  .looseObject({
    file: z.string(),
    kind: z.enum(['XAdES', 'PAdES', 'CAdES']),
    status: z.enum(['valid', 'invalid', 'indeterminate']),
    category: z.enum(['qualified', 'trusted', 'personal', 'platform']).optional(),
    signer: z
      .looseObject({
        subject: z.string().optional(),
        issuer: z.string().optional(),
        serialNumber: z.string().optional(),
        notBefore: dateTime.optional(),
        notAfter: dateTime.optional(),
      })
      .optional(),
    person: z
      .looseObject({
        firstName: z.string().optional(),
        familyName: z.string().optional(),
        dateOfBirth: z.string().optional(),
        pesel: z.string().optional(),
      })
      .optional(),
    peselMatch: z.boolean().optional(),
    sealOrganisation: z
      .string()
      .optional()
      .meta({ description: 'For a trusted signature: whose seal made it' }),
    signingTime: dateTime.optional(),
    chainTrusted: z.boolean(),
    revocation: z
      .looseObject({
        status: z.enum(['good', 'revoked', 'unknown', 'notChecked']).optional(),
        source: z.enum(['CRL', 'OCSP']).optional(),
        issuedAt: dateTime.optional(),
        revokedAt: dateTime.optional(),
      })
      .optional(),
    timestamp: z
      .looseObject({
        status: z.enum(['valid', 'invalid']).optional(),
        time: dateTime.optional(),
        authority: z.string().optional().meta({ description: 'Subject of the time-stamping authority' }),
      })
      .optional()
      .meta({
        description:
          'The signature time-stamp (RFC 3161); when valid, its time is the signing time the chain, trusted-list status and revocation are judged at',
      }),
    reasons: z.array(z.looseObject({ key: z.string().optional(), params: z.looseObject({}).optional() })),
  })
  .meta({ id: 'SignatureFinding' });

const signatureStatus = z.enum(['none', 'valid', 'invalid', 'indeterminate']);

const Document = z
  .strictObject({
    documentId: id,
    officeId: id,
    box: z.string(),
    title: z.string(),
    kind: z.enum(LETTER_KINDS).nullable(),
    status: z.enum(DOCUMENT_STATUSES),
    receivedAt: dateTime,
    sender: z.strictObject({ type: z.string(), name: z.string() }),
    receiptId: id,
    totalSize: count,
    signature: z.strictObject({
      status: signatureStatus,
      report: z.array(SignatureFinding).nullable().meta({
        description: 'Every signature found: who signed, its kind and the reasons (docs/signatures.md)',
      }),
    }),
    files: z.array(File).min(1),
    leaseUntil: dateTime.optional().meta({ description: 'Only in answers of pending/next' }),
  })
  .meta({ id: 'Document' });

const WebhookEndpoint = z
  .strictObject({
    id,
    officeId: id,
    url: z.string().meta({ format: 'uri' }),
    events: z.array(event),
    description: z.string(),
    createdAt: dateTime,
    disabledAt: nullableDateTime,
    secret: z
      .string()
      .regex(/^whsec_/)
      .optional()
      .meta({
        description: 'Only in the first answer that creates the endpoint; never again, not even on a replay',
      }),
  })
  .meta({ id: 'WebhookEndpoint' });

const WebhookDelivery = z
  .strictObject({
    id: z.string().meta({ description: 'The webhook-id header' }),
    endpointId: id,
    eventType: event,
    status: z.enum(['pending', 'delivered', 'failed']),
    createdAt: dateTime,
    deliveredAt: nullableDateTime,
    attempts: z.array(
      z.strictObject({
        attempt: z.int().min(1),
        startedAt: dateTime,
        durationMs: count,
        responseStatus: z.int().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'WebhookDelivery' });

// Request schemas shared with web forms.

/** A webhook endpoint to register: the API's JSON body and the office admin's form. */
export const webhookEndpointInput = z.strictObject({
  url: z
    .string({ error: 'webhooks.error.url' })
    .max(2000, { error: 'webhooks.error.url' })
    .meta({ format: 'uri' }),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: 'webhooks.error.events' }), { error: 'webhooks.error.events' })
    .min(1, { error: 'webhooks.error.events' }),
  description: z
    .string({ error: 'webhooks.error.description' })
    .max(200, { error: 'webhooks.error.description' })
    .optional(),
});
export const webhookEndpointRefusal: RefusalRule = {
  code: 'validation_failed',
  key: 'webhooks.error.invalid',
  params: { events: WEBHOOK_EVENTS.join(', ') },
};

/** The text fields of a filing: the API's multipart parts and the resident's filing form. */
export const filingFields = z.object({
  title: z.string().optional(),
  kind: z
    .union([z.enum(LETTER_KINDS), z.literal('')], { error: 'filing.error.kind' })
    .optional()
    .transform((kind) => kind || undefined),
});
export const filingRefusal: RefusalRule = {
  code: 'bad_kind',
  status: 422,
  key: 'filing.error.rejected',
};

/** The log holds at most as many entries as a PostgreSQL integer index allows. */
export const MAX_LOG_COUNT = 2_147_483_647;
const logCount = (description: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'tlog.error.required' : 'tlog.error.count') })
    .regex(/^(0|[1-9][0-9]{0,9})$/, { error: 'tlog.error.count' })
    .transform(Number)
    .pipe(z.int().min(0).max(MAX_LOG_COUNT, { error: 'tlog.error.count' }))
    .meta({ description });
const logRefusal: RefusalRule = {
  code: 'bad_proof_request',
  key: 'tlog.error.proofRequest',
  params: { max: MAX_LOG_COUNT },
};
const proof = <A extends string, B extends string>(a: A, b: B) =>
  z.strictObject({
    [a]: count,
    [b]: count,
    hashes: z
      .array(z.string().meta({ contentEncoding: 'base64' }))
      .meta({ description: 'RFC 9162 proof hashes (SHA-256), base64' }),
  } as Record<A | B, typeof count> & { hashes: z.ZodType });

const multipartFiles = {
  document: bytes.meta({ description: 'The main document' }),
  attachment: z.array(bytes).optional().meta({ description: 'Attachments: repeat the part' }),
};

const created = (what: string) =>
  `${what}. A repeated request with the same Idempotency-Key and content gets this first answer again, with \`idempotent-replayed: true\``;

/** Every operation of the API, by operationId. */
export const API = {
  fileDocument: {
    operationId: 'fileDocument',
    summary:
      'File a document (multipart: one "document", any number of "attachment" files, optional "title" and "kind")',
    body: { multipart: z.object({ ...multipartFiles, ...filingFields.shape }) },
    responses: {
      201: {
        description: created('Filed; the receipt (UPP) was issued'),
        content: json(Filed),
        headers: { ...location, ...replayed },
      },
    },
    problems: [404, 422],
  },
  sendLetter: {
    operationId: 'sendLetter',
    summary:
      'Send a letter to a resident (multipart: "recipientPesel" or "recipientAccountId", "title", one "document", any number of "attachment" files, optional "inReplyTo")',
    body: {
      multipart: z.object({
        recipientPesel: z
          .string()
          .regex(/^[0-9]{11}$/)
          .optional(),
        recipientAccountId: z.string().optional(),
        title: z.string(),
        inReplyTo: z.string().optional().meta({ description: 'The id of the filed document this answers' }),
        ...multipartFiles,
      }),
    },
    responses: {
      201: {
        description: created('Sent; the proof of sending was issued'),
        content: json(z.strictObject({ deliveryId: id, proofOfSendingId: id })),
        headers: { ...location, ...replayed },
      },
    },
    problems: [404, 422],
  },
  getDelivery: {
    operationId: 'getDelivery',
    summary: 'A letter to a resident: its state and proofs (fetch each from /api/v1/receipts/{id})',
    responses: {
      200: {
        description: 'The delivery',
        content: json(
          z.strictObject({
            deliveryId: id,
            status: z.enum(['awaiting', 'received', 'deemed']),
            sentAt: dateTime,
            receivedAt: dateTime.optional(),
            deemedAt: dateTime.optional(),
            notCollectedSince: dateTime.optional().meta({
              description:
                'Still awaiting after 14 days at an office without deemed delivery: when the term ended.',
            }),
            inReplyTo: z.string().nullable(),
            proofs: z.array(z.strictObject({ id, kind: z.enum(['sending', 'UPD']) })),
          }),
        ),
      },
    },
    problems: [404],
  },
  getDocument: {
    operationId: 'getDocument',
    summary: 'A document: metadata and files',
    responses: { 200: { description: 'The document', content: json(Document) } },
    problems: [404],
  },
  getReceipt: {
    operationId: 'getReceipt',
    summary: 'A receipt or proof (UPP, UPD, proof of sending): the signed XML, or its PDF rendering',
    description:
      'The XML is the proof: verify it with xmlsec1 or any XAdES verifier (docs/receipts.md). Read it as text; the PDF as bytes.',
    query: z.object({
      format: z.enum(['xml', 'pdf'], { error: 'filing.error.receiptFormat' }).default('xml'),
    }),
    refusal: { code: 'bad_format', key: 'filing.error.receiptFormat' },
    responses: {
      200: {
        description: 'The receipt, as a download',
        content: {
          'application/xml': z.string().meta({ contentMediaType: 'application/xml' }),
          'application/pdf': bytes,
        },
      },
    },
    problems: [404],
  },
  countPending: {
    operationId: 'countPending',
    summary: 'Count documents not yet acknowledged',
    responses: { 200: { description: 'The count', content: json(z.strictObject({ count })) } },
    problems: [404],
  },
  pullNext: {
    operationId: 'pullNext',
    summary: 'Lease the oldest pending document nobody holds',
    responses: {
      200: {
        description: 'The leased document, until `leaseUntil`',
        content: json(Document),
        headers: replayed,
      },
      204: { description: 'Nothing pending', headers: { ...retryAfter, ...replayed } },
    },
    problems: [404],
  },
  acknowledgeDocument: {
    operationId: 'acknowledgeDocument',
    summary: 'Acknowledge a document by the SHA-256 of its main document (idempotent)',
    body: {
      json: z.strictObject({
        sha256: z.string({ error: 'pull.error.digestFormat' }).regex(/^[0-9a-fA-F]{64}$/, {
          error: 'pull.error.digestFormat',
        }),
      }),
    },
    refusal: {
      code: 'bad_digest',
      key: 'pull.error.digestFormat',
      notObject: 'pull.error.digestFormat',
      unknownFields: 'pull.error.unknownFields',
    },
    responses: { 204: { description: 'Acknowledged', headers: replayed } },
    problems: [404],
  },
  getDocumentFile: {
    operationId: 'getDocumentFile',
    summary: 'The bytes of one file of a document',
    params: { position: count.meta({ description: '0 is the main document' }) },
    responses: {
      200: {
        description: 'The file, as a download',
        content: { 'application/octet-stream': bytes },
        headers: {
          Digest: header('`sha-256=<base64>` of the bytes', { type: 'string' }),
          'Content-Disposition': header("attachment; filename*=UTF-8''<name>", { type: 'string' }),
        },
      },
    },
    problems: [404],
  },
  createWebhookEndpoint: {
    operationId: 'createWebhookEndpoint',
    summary: 'Register a webhook endpoint; the secret is in this answer only',
    body: { json: webhookEndpointInput },
    refusal: webhookEndpointRefusal,
    responses: {
      201: {
        description:
          'Registered. A replay (same Idempotency-Key and content) answers the same without `secret`',
        content: json(WebhookEndpoint),
        headers: replayed,
      },
    },
    problems: [404],
  },
  listWebhookEndpoints: {
    operationId: 'listWebhookEndpoints',
    summary: 'The office’s webhook endpoints',
    responses: {
      200: {
        description: 'The endpoints',
        content: json(z.strictObject({ endpoints: z.array(WebhookEndpoint) })),
      },
    },
    problems: [404],
  },
  disableWebhookEndpoint: {
    operationId: 'disableWebhookEndpoint',
    summary: 'Disable an endpoint (its history stays)',
    responses: { 204: { description: 'Disabled' } },
    problems: [404],
  },
  listWebhookDeliveries: {
    operationId: 'listWebhookDeliveries',
    summary: 'Recent deliveries to an endpoint, newest first, with every attempt',
    responses: {
      200: {
        description: 'The deliveries',
        content: json(z.strictObject({ deliveries: z.array(WebhookDelivery) })),
      },
    },
    problems: [404],
  },
  replayWebhookDelivery: {
    operationId: 'replayWebhookDelivery',
    summary: 'Send a delivery again (same webhook-id)',
    responses: { 202: { description: 'Scheduled', headers: replayed } },
    problems: [404],
  },
  getOfficeCertificate: {
    operationId: 'getOfficeCertificate',
    summary: 'The office’s seal certificate chain (PEM)',
    responses: { 200: { description: 'PEM', content: { 'application/x-pem-file': z.string() } } },
    problems: [404],
  },
  getLogCheckpoint: {
    operationId: 'getLogCheckpoint',
    summary: 'The latest signed checkpoint of the transparency log (C2SP signed note)',
    responses: { 200: { description: 'The checkpoint', content: { 'text/plain': z.string() } } },
    problems: [503],
  },
  getLogKey: {
    operationId: 'getLogKey',
    summary: 'The transparency log’s verifier key',
    responses: { 200: { description: 'The verifier key', content: { 'text/plain': z.string() } } },
  },
  getInclusionProof: {
    operationId: 'getInclusionProof',
    summary: 'Inclusion proof of an entry in a tree size',
    query: z.object({
      index: logCount('The entry (the `index` of the receipt’s log entry)'),
      size: logCount('The tree size of a checkpoint the client holds; greater than index'),
    }),
    refusal: logRefusal,
    responses: { 200: { description: 'The proof', content: json(proof('index', 'size')) } },
    problems: [404],
  },
  getConsistencyProof: {
    operationId: 'getConsistencyProof',
    summary: 'Consistency proof between two tree sizes',
    query: z.object({
      from: logCount('The older tree size'),
      to: logCount('The newer tree size, at most the latest checkpoint’s'),
    }),
    refusal: logRefusal,
    responses: { 200: { description: 'The proof', content: json(proof('from', 'to')) } },
    problems: [404],
  },
  getLogTile: {
    operationId: 'getLogTile',
    summary: 'A tile of the log (C2SP tlog-tiles)',
    params: { path: z.string().meta({ description: 'Tile path, e.g. 0/x001/234' }) },
    responses: { 200: { description: 'The tile', content: { 'application/octet-stream': bytes } } },
    problems: [404],
  },
  listProblemCodes: {
    operationId: 'listProblemCodes',
    summary: 'The catalogue of problem codes (HTML; JSON with Accept: application/json)',
    responses: {
      200: {
        description: 'The codes and their meaning, in the language of Accept-Language',
        content: {
          'application/json': z.strictObject({
            codes: z.array(z.strictObject({ code: Problem.shape.code, meaning: z.string() })),
          }),
          'text/html': z.string(),
        },
      },
    },
  },
  getOpenApiDocument: {
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', content: json(z.looseObject({})) } },
  },
} satisfies Record<string, ApiOperation>;

/** The parsed query of an operation. */
export type QueryOf<O extends ApiOperation> = O['query'] extends z.ZodType ? z.output<O['query']> : never;
/** The parsed JSON body of an operation. */
export type BodyOf<O extends ApiOperation> = O['body'] extends { json: z.ZodType }
  ? z.output<O['body']['json']>
  : never;
