import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { DOCUMENT_STATUSES } from '../domain/journal/index';
import { LETTER_KINDS } from '../domain/letters/letter-kind';
import { WEBHOOK_EVENTS, type WebhookEventType } from '../domain/webhooks/events';
import { isTokenAccess, type Access } from './access';
import { PROBLEM_CODES } from './problem';

/**
 * The OpenAPI 3.1 document of the API at /api/openapi.json (and, written by `npm run openapi`,
 * docs/openapi.json). @fastify/swagger lists the routes themselves (paths, methods, path
 * parameters); who may call them comes from each route's access rule; everything else is the
 * documentation below, keyed by route, in plain OpenAPI. It lives here rather than as Fastify
 * schemas on the routes because those would also validate and serialise, changing answers the
 * routes already give (their own field-naming problem messages, unknown-field rules). Tests
 * check that every /api/ route is documented, that docs/openapi.json is what the app serves,
 * and that every answer the API tests receive matches this document.
 */
type Json = Record<string, unknown>;

interface Response {
  description: string;
  content?: Json;
  headers?: Json;
}

interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  /** Success statuses. Error statuses are listed in `problems` and share the problem schema. */
  responses: Record<number, Response>;
  /** Error statuses this operation gives besides those every operation of its kind gives. */
  problems?: number[];
  body?: Json;
  query?: Json[];
  /** Path parameters that are not plain strings: their schemas. */
  pathSchemas?: Record<string, Json>;
}

const json = (schema: Json) => ({ 'application/json': { schema } });
const ok = (description: string, schema: Json, headers?: Json): Response => ({
  description,
  content: json(schema),
  ...(headers ? { headers } : {}),
});
const none = (description: string, headers?: Json): Response => ({
  description,
  ...(headers ? { headers } : {}),
});
const text = (description: string): Response => ({
  description,
  content: { 'text/plain': { schema: { type: 'string' } } },
});
/** Bytes: `format: binary` is what generators turn into a Blob or a byte stream. */
const bytes = { type: 'string', format: 'binary' };
const binary = (description: string, type = 'application/octet-stream'): Response => ({
  description,
  content: { [type]: { schema: bytes } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const header = (description: string, schema: Json) => ({ description, schema });
const retryAfter = { 'Retry-After': header('Seconds to wait before asking again', { type: 'integer' }) };
const location = { Location: header('Where the created resource is read', { type: 'string' }) };
const replayed = {
  'idempotent-replayed': header(
    'Present (`true`) when this is the stored first answer to an earlier request with the same Idempotency-Key and content',
    { type: 'string', enum: ['true'] },
  ),
};
const id = { type: 'string', minLength: 1 };
const dateTime = { type: 'string', format: 'date-time' };
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const events = { type: 'string', enum: [...WEBHOOK_EVENTS] };
const count = (name: string, description: string) => ({
  name,
  in: 'query',
  required: true,
  description,
  schema: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
});
const proof = (ends: [string, string]) => ({
  type: 'object',
  required: [...ends, 'hashes'],
  additionalProperties: false,
  properties: {
    [ends[0]]: { type: 'integer', minimum: 0 },
    [ends[1]]: { type: 'integer', minimum: 0 },
    hashes: {
      type: 'array',
      description: 'RFC 9162 proof hashes (SHA-256), base64',
      items: { type: 'string', contentEncoding: 'base64' },
    },
  },
});

const schemas: Record<string, Json> = {
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details. `type` is /api/errors#<code> (the catalogue of codes, their meaning and fix); `title` the HTTP status phrase; `detail` the reason in the language of Accept-Language (Polish by default, English); `errors` the refused fields and files (empty when none)',
    required: ['type', 'title', 'status', 'code', 'detail', 'errors'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', format: 'uri-reference', examples: ['/api/errors#other_office'] },
      title: { type: 'string', examples: ['Forbidden'] },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      code: { type: 'string', enum: [...PROBLEM_CODES] },
      detail: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'code', 'message'],
          additionalProperties: false,
          properties: {
            field: { type: 'string' },
            file: { type: ['string', 'integer'] },
            rule: { type: ['string', 'integer'] },
            code: { type: 'string' },
            message: { type: 'string' },
          },
        },
      },
    },
  },
  Filed: {
    type: 'object',
    required: ['documentId', 'receiptId', 'receivedAt'],
    additionalProperties: false,
    properties: { documentId: id, receiptId: id, receivedAt: dateTime },
  },
  File: {
    type: 'object',
    required: ['position', 'role', 'name', 'mediaType', 'size', 'sha256', 'findings'],
    additionalProperties: false,
    properties: {
      position: { type: 'integer', minimum: 0 },
      role: { type: 'string', enum: ['main', 'attachment'] },
      name: { type: 'string' },
      mediaType: { type: 'string' },
      size: { type: 'integer', minimum: 0 },
      sha256,
      findings: { type: 'array', items: { type: 'object' }, description: 'The validator’s findings' },
      href: { type: 'string', description: 'Only in answers of pending/next: where the bytes are' },
    },
  },
  SignatureFinding: {
    type: 'object',
    required: ['file', 'kind', 'status', 'chainTrusted', 'reasons'],
    properties: {
      file: { type: 'string' },
      kind: { type: 'string', enum: ['XAdES', 'PAdES', 'CAdES'] },
      status: { type: 'string', enum: ['valid', 'invalid', 'indeterminate'] },
      category: { type: 'string', enum: ['qualified', 'trusted', 'personal', 'platform'] },
      signer: {
        type: 'object',
        properties: {
          subject: { type: 'string' },
          issuer: { type: 'string' },
          serialNumber: { type: 'string' },
          notBefore: { type: 'string', format: 'date-time' },
          notAfter: { type: 'string', format: 'date-time' },
        },
      },
      person: {
        type: 'object',
        properties: {
          firstName: { type: 'string' },
          familyName: { type: 'string' },
          dateOfBirth: { type: 'string' },
          pesel: { type: 'string' },
        },
      },
      peselMatch: { type: 'boolean' },
      sealOrganisation: { type: 'string', description: 'For a trusted signature: whose seal made it' },
      signingTime: { type: 'string', format: 'date-time' },
      chainTrusted: { type: 'boolean' },
      revocation: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['good', 'revoked', 'unknown', 'notChecked'] },
          source: { type: 'string', enum: ['CRL', 'OCSP'] },
          issuedAt: { type: 'string', format: 'date-time' },
          revokedAt: { type: 'string', format: 'date-time' },
        },
      },
      timestamp: {
        type: 'object',
        description:
          'The signature time-stamp (RFC 3161); when valid, its time is the signing time the chain, trusted-list status and revocation are judged at',
        properties: {
          status: { type: 'string', enum: ['valid', 'invalid'] },
          time: { type: 'string', format: 'date-time' },
          authority: { type: 'string', description: 'Subject of the time-stamping authority' },
        },
      },
      reasons: {
        type: 'array',
        items: { type: 'object', properties: { key: { type: 'string' }, params: { type: 'object' } } },
      },
    },
  },
  Document: {
    type: 'object',
    required: [
      'documentId',
      'officeId',
      'box',
      'title',
      'kind',
      'status',
      'receivedAt',
      'sender',
      'receiptId',
      'totalSize',
      'signature',
      'files',
    ],
    additionalProperties: false,
    properties: {
      documentId: id,
      officeId: id,
      box: { type: 'string' },
      title: { type: 'string' },
      kind: { type: ['string', 'null'], enum: [...LETTER_KINDS, null] },
      status: { type: 'string', enum: [...DOCUMENT_STATUSES] },
      receivedAt: dateTime,
      sender: {
        type: 'object',
        required: ['type', 'name'],
        additionalProperties: false,
        properties: { type: { type: 'string' }, name: { type: 'string' } },
      },
      receiptId: id,
      totalSize: { type: 'integer', minimum: 0 },
      signature: {
        type: 'object',
        required: ['status', 'report'],
        additionalProperties: false,
        properties: {
          status: { type: 'string', enum: ['none', 'valid', 'invalid', 'indeterminate'] },
          report: {
            type: ['array', 'null'],
            description: 'Every signature found: who signed, its kind and the reasons (docs/signatures.md)',
            items: ref('SignatureFinding'),
          },
        },
      },
      files: { type: 'array', minItems: 1, items: ref('File') },
      leaseUntil: { ...dateTime, description: 'Only in answers of pending/next' },
    },
  },
  WebhookEndpoint: {
    type: 'object',
    required: ['id', 'officeId', 'url', 'events', 'description', 'createdAt', 'disabledAt'],
    additionalProperties: false,
    properties: {
      id,
      officeId: id,
      url: { type: 'string', format: 'uri' },
      events: { type: 'array', items: events },
      description: { type: 'string' },
      createdAt: dateTime,
      disabledAt: { type: ['string', 'null'], format: 'date-time' },
      secret: {
        type: 'string',
        pattern: '^whsec_',
        description: 'Only in the first answer that creates the endpoint; never again, not even on a replay',
      },
    },
  },
  WebhookDelivery: {
    type: 'object',
    required: ['id', 'endpointId', 'eventType', 'status', 'createdAt', 'deliveredAt', 'attempts'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', description: 'The webhook-id header' },
      endpointId: id,
      eventType: events,
      status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
      createdAt: dateTime,
      deliveredAt: { type: ['string', 'null'], format: 'date-time' },
      attempts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['attempt', 'startedAt', 'durationMs', 'responseStatus', 'error'],
          additionalProperties: false,
          properties: {
            attempt: { type: 'integer', minimum: 1 },
            startedAt: dateTime,
            durationMs: { type: 'integer', minimum: 0 },
            responseStatus: { type: ['integer', 'null'] },
            error: { type: ['string', 'null'] },
          },
        },
      },
    },
  },
};

/** The `data` of each webhook event, besides `officeId` (typed in src/domain/webhooks/events.ts). */
const EVENT_DATA: Record<WebhookEventType, { summary: string; properties: Record<string, Json> }> = {
  'document.received': {
    summary: 'A document was filed in one of the office’s boxes (sent in the transaction that files it)',
    properties: {
      documentId: id,
      boxName: { type: 'string' },
      receiptId: id,
      receivedAt: dateTime,
      mainSha256: sha256,
      signatureStatus: { type: 'string', enum: ['none', 'valid', 'invalid', 'indeterminate'] },
      signatureCategories: {
        type: ['string', 'null'],
        description:
          'Kinds of the valid signatures (qualified, trusted, personal, platform), comma-separated',
      },
      signaturePeselMatch: { type: ['string', 'null'], enum: ['match', 'mismatch', null] },
    },
  },
  'document.registered': {
    summary: 'A clerk registered a document in the correspondence journal',
    properties: { documentId: id, registrationNumber: { type: 'string' }, registeredAt: dateTime },
  },
  'delivery.received': {
    summary: 'The resident received a letter; the proof of receipt (UPD) was issued',
    properties: { deliveryId: id, proofId: id, at: dateTime },
  },
  'delivery.deemed': {
    summary: 'A letter not collected in 14 days was deemed delivered; the UPD was issued',
    properties: { deliveryId: id, proofId: id, at: dateTime },
  },
};

/** The body each event's POST carries: its schema, by event name. */
export function webhookPayloadSchema(event: WebhookEventType): Json {
  const data = EVENT_DATA[event].properties;
  return {
    type: 'object',
    required: ['type', 'timestamp', 'data'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', const: event },
      timestamp: dateTime,
      data: {
        type: 'object',
        required: ['officeId', ...Object.keys(data)],
        additionalProperties: false,
        properties: { officeId: id, ...data },
      },
    },
  };
}

const webhookHeaders = [
  ['webhook-id', 'The message id (msg_…), the same on every attempt: de-duplicate on it'],
  ['webhook-timestamp', 'Unix seconds of this attempt'],
  ['webhook-signature', '`v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<body>`'],
].map(([name, description]) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
}));

const webhooks = Object.fromEntries(
  WEBHOOK_EVENTS.map((event) => [
    event,
    {
      post: {
        operationId: `on${event.replace(/(^|\.)(\w)/g, (_m, _dot, c: string) => c.toUpperCase())}`,
        summary: EVENT_DATA[event].summary,
        description:
          'Sent to every endpoint of the office subscribed to this event, signed after Standard Webhooks; retried with back-off for 24 hours until a 2xx answer',
        parameters: webhookHeaders,
        requestBody: { required: true, content: json(webhookPayloadSchema(event)) },
        responses: { '2XX': { description: 'Received' } },
      },
    },
  ]),
);

const fileParts = {
  document: { ...bytes, description: 'The main document' },
  attachment: { type: 'array', items: bytes, description: 'Attachments: repeat the part' },
};

const DOCS: Record<string, RouteDoc> = {
  'POST /api/v1/boxes/:officeId/:boxName/documents': {
    operationId: 'fileDocument',
    summary:
      'File a document (multipart: one "document", any number of "attachment" files, optional "title" and "kind")',
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['document'],
            properties: {
              ...fileParts,
              title: { type: 'string' },
              kind: { type: 'string', enum: [...LETTER_KINDS] },
            },
          },
        },
      },
    },
    responses: {
      201: ok(
        'Filed; the receipt (UPP) was issued. A repeated request with the same Idempotency-Key and content gets this first answer again, with `idempotent-replayed: true`',
        ref('Filed'),
        { ...location, ...replayed },
      ),
    },
    problems: [404, 422],
  },
  'POST /api/v1/offices/:officeId/deliveries': {
    operationId: 'sendLetter',
    summary:
      'Send a letter to a resident (multipart: "recipientPesel" or "recipientAccountId", "title", one "document", any number of "attachment" files, optional "inReplyTo")',
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['document', 'title'],
            properties: {
              recipientPesel: { type: 'string', pattern: '^[0-9]{11}$' },
              recipientAccountId: { type: 'string' },
              title: { type: 'string' },
              inReplyTo: { type: 'string', description: 'The id of the filed document this answers' },
              ...fileParts,
            },
          },
        },
      },
    },
    responses: {
      201: ok(
        'Sent; the proof of sending was issued. A repeated request with the same Idempotency-Key and content gets this first answer again, with `idempotent-replayed: true`',
        {
          type: 'object',
          required: ['deliveryId', 'proofOfSendingId'],
          additionalProperties: false,
          properties: { deliveryId: id, proofOfSendingId: id },
        },
        { ...location, ...replayed },
      ),
    },
    problems: [404, 422],
  },
  'GET /api/v1/deliveries/:deliveryId': {
    operationId: 'getDelivery',
    summary: 'A letter to a resident: its state and proofs (fetch each from /api/v1/receipts/{id})',
    responses: {
      200: ok('The delivery', {
        type: 'object',
        required: ['deliveryId', 'status', 'sentAt', 'inReplyTo', 'proofs'],
        additionalProperties: false,
        properties: {
          deliveryId: id,
          status: { type: 'string', enum: ['awaiting', 'received', 'deemed'] },
          sentAt: dateTime,
          receivedAt: dateTime,
          deemedAt: dateTime,
          notCollectedSince: {
            ...dateTime,
            description:
              'Still awaiting after 14 days at an office without deemed delivery: when the term ended.',
          },
          inReplyTo: { type: ['string', 'null'] },
          proofs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'kind'],
              additionalProperties: false,
              properties: { id, kind: { type: 'string', enum: ['sending', 'UPD'] } },
            },
          },
        },
      }),
    },
    problems: [404],
  },
  'GET /api/v1/documents/:documentId': {
    operationId: 'getDocument',
    summary: 'A document: metadata and files',
    responses: { 200: ok('The document', ref('Document')) },
    problems: [404],
  },
  'GET /api/v1/receipts/:receiptId': {
    operationId: 'getReceipt',
    summary: 'A receipt or proof (UPP, UPD, proof of sending): the signed XML, or its PDF rendering',
    description:
      'The XML is the proof: verify it with xmlsec1 or any XAdES verifier (docs/receipts.md). Read it as text; the PDF as bytes.',
    query: [
      {
        name: 'format',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['xml', 'pdf'], default: 'xml' },
      },
    ],
    responses: {
      200: {
        description: 'The receipt, as a download',
        content: {
          'application/xml': { schema: { type: 'string', contentMediaType: 'application/xml' } },
          'application/pdf': { schema: bytes },
        },
      },
    },
    problems: [404],
  },
  'GET /api/v1/boxes/:officeId/:boxName/pending': {
    operationId: 'countPending',
    summary: 'Count documents not yet acknowledged',
    responses: {
      200: ok('The count', {
        type: 'object',
        required: ['count'],
        additionalProperties: false,
        properties: { count: { type: 'integer', minimum: 0 } },
      }),
    },
    problems: [404],
  },
  'POST /api/v1/boxes/:officeId/:boxName/pending/next': {
    operationId: 'pullNext',
    summary: 'Lease the oldest pending document nobody holds',
    responses: {
      200: ok('The leased document, until `leaseUntil`', ref('Document'), replayed),
      204: none('Nothing pending', { ...retryAfter, ...replayed }),
    },
    problems: [404],
  },
  'POST /api/v1/documents/:documentId/ack': {
    operationId: 'acknowledgeDocument',
    summary: 'Acknowledge a document by the SHA-256 of its main document (idempotent)',
    body: {
      required: true,
      content: json({
        type: 'object',
        required: ['sha256'],
        additionalProperties: false,
        properties: { sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } },
      }),
    },
    responses: { 204: none('Acknowledged', replayed) },
    problems: [404],
  },
  'GET /api/v1/documents/:documentId/files/:position': {
    operationId: 'getDocumentFile',
    summary: 'The bytes of one file of a document',
    pathSchemas: { position: { type: 'integer', minimum: 0, description: '0 is the main document' } },
    responses: {
      200: {
        ...binary('The file, as a download'),
        headers: {
          Digest: header('`sha-256=<base64>` of the bytes', { type: 'string' }),
          'Content-Disposition': header("attachment; filename*=UTF-8''<name>", { type: 'string' }),
        },
      },
    },
    problems: [404],
  },
  'POST /api/v1/offices/:officeId/webhooks': {
    operationId: 'createWebhookEndpoint',
    summary: 'Register a webhook endpoint; the secret is in this answer only',
    body: {
      required: true,
      content: json({
        type: 'object',
        required: ['url', 'events'],
        additionalProperties: false,
        properties: {
          url: { type: 'string', format: 'uri', maxLength: 2000 },
          events: { type: 'array', items: events, minItems: 1 },
          description: { type: 'string', maxLength: 200 },
        },
      }),
    },
    responses: {
      201: ok(
        'Registered. A replay (same Idempotency-Key and content) answers the same without `secret`',
        ref('WebhookEndpoint'),
        replayed,
      ),
    },
    problems: [404],
  },
  'GET /api/v1/offices/:officeId/webhooks': {
    operationId: 'listWebhookEndpoints',
    summary: 'The office’s webhook endpoints',
    responses: {
      200: ok('The endpoints', {
        type: 'object',
        required: ['endpoints'],
        additionalProperties: false,
        properties: { endpoints: { type: 'array', items: ref('WebhookEndpoint') } },
      }),
    },
    problems: [404],
  },
  'DELETE /api/v1/offices/:officeId/webhooks/:endpointId': {
    operationId: 'disableWebhookEndpoint',
    summary: 'Disable an endpoint (its history stays)',
    responses: { 204: none('Disabled') },
    problems: [404],
  },
  'GET /api/v1/offices/:officeId/webhooks/:endpointId/deliveries': {
    operationId: 'listWebhookDeliveries',
    summary: 'Recent deliveries to an endpoint, newest first, with every attempt',
    responses: {
      200: ok('The deliveries', {
        type: 'object',
        required: ['deliveries'],
        additionalProperties: false,
        properties: { deliveries: { type: 'array', items: ref('WebhookDelivery') } },
      }),
    },
    problems: [404],
  },
  'POST /api/v1/offices/:officeId/webhook-deliveries/:deliveryId/replay': {
    operationId: 'replayWebhookDelivery',
    summary: 'Send a delivery again (same webhook-id)',
    responses: { 202: none('Scheduled', replayed) },
    problems: [404],
  },
  'GET /api/v1/offices/:officeId/certificate': {
    operationId: 'getOfficeCertificate',
    summary: 'The office’s seal certificate chain (PEM)',
    responses: {
      200: {
        description: 'PEM',
        content: { 'application/x-pem-file': { schema: { type: 'string' } } },
      },
    },
    problems: [404],
  },
  'GET /api/v1/log/checkpoint': {
    operationId: 'getLogCheckpoint',
    summary: 'The latest signed checkpoint of the transparency log (C2SP signed note)',
    responses: { 200: text('The checkpoint') },
    problems: [503],
  },
  'GET /api/v1/log/key': {
    operationId: 'getLogKey',
    summary: 'The transparency log’s verifier key',
    responses: { 200: text('The verifier key') },
  },
  'GET /api/v1/log/proof/inclusion': {
    operationId: 'getInclusionProof',
    summary: 'Inclusion proof of an entry in a tree size',
    query: [
      count('index', 'The entry (the `index` of the receipt’s log entry)'),
      count('size', 'The tree size of a checkpoint the client holds; greater than index'),
    ],
    responses: { 200: ok('The proof', proof(['index', 'size'])) },
    problems: [404],
  },
  'GET /api/v1/log/proof/consistency': {
    operationId: 'getConsistencyProof',
    summary: 'Consistency proof between two tree sizes',
    query: [
      count('from', 'The older tree size'),
      count('to', 'The newer tree size, at most the latest checkpoint’s'),
    ],
    responses: { 200: ok('The proof', proof(['from', 'to'])) },
    problems: [404],
  },
  'GET /api/v1/log/tile/*': {
    operationId: 'getLogTile',
    summary: 'A tile of the log (C2SP tlog-tiles)',
    responses: { 200: binary('The tile') },
    problems: [404],
  },
  'GET /api/errors': {
    operationId: 'listProblemCodes',
    summary: 'The catalogue of problem codes (HTML; JSON with Accept: application/json)',
    responses: {
      200: {
        description: 'The codes and their meaning, in the language of Accept-Language',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['codes'],
              additionalProperties: false,
              properties: {
                codes: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['code', 'meaning'],
                    additionalProperties: false,
                    properties: {
                      code: { type: 'string', enum: [...PROBLEM_CODES] },
                      meaning: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
          'text/html': { schema: { type: 'string' } },
        },
      },
    },
  },
  'GET /api/openapi.json': {
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    responses: { 200: ok('OpenAPI 3.1', { type: 'object' }) },
  },
};

/** Every documented route, for the completeness test. */
export const DOCUMENTED_ROUTES = Object.keys(DOCS);

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed request, unknown fields, invalid values or a malformed Idempotency-Key',
  401: 'No token, or an unknown, expired or revoked token',
  403: 'The token lacks the scope or belongs to another office',
  404: 'Not found',
  409: 'Conflict (state, digest mismatch, Idempotency-Key reused for another request or still in progress)',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Refused by the validator (named files and rules)',
  429: 'Rate limit of the token exceeded',
  500: 'Server error; retry later (with the same Idempotency-Key)',
  503: 'Not available now; retry later',
};

/** The error statuses of an operation: its own, and those every operation of its kind has. */
function problemStatuses(method: string, token: boolean, own: number[] = []): number[] {
  const all = new Set([400, 500, 503, ...own]); // 400: a malformed query string, anywhere
  if (token) for (const s of [401, 403, 429]) all.add(s);
  if (method === 'POST') for (const s of [409, 413, 415]) all.add(s); // bodies, Idempotency-Key
  return [...all].sort((a, b) => a - b);
}

const problem = (status: number): Response => ({
  description: PROBLEM_TEXT[status] ?? 'Error',
  content: { 'application/problem+json': { schema: ref('Problem') } },
  ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
});

function operation(method: string, doc: RouteDoc, access: Access | undefined, tag: string): Json {
  const token = access !== undefined && isTokenAccess(access);
  const responses: Record<string, Response> = {};
  for (const [status, response] of Object.entries(doc.responses)) responses[status] = response;
  for (const status of problemStatuses(method, token, doc.problems)) responses[status] = problem(status);
  const parameters: Json[] = [...(doc.query ?? [])];
  if (method === 'POST' && token)
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        '1–200 visible ASCII characters, one per operation: a repeat with the same content gets the first answer (`idempotent-replayed: true`), other content 409',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
    });
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    tags: [tag],
    ...(token
      ? {
          security: [{ bearer: [] }],
          description: [
            doc.description,
            `Integration token scope: ${(access as { token: string[] }).token.join(' or ')}`,
          ]
            .filter(Boolean)
            .join('\n\n'),
        }
      : { security: [], ...(doc.description ? { description: doc.description } : {}) }),
    parameters,
    ...(doc.body ? { requestBody: doc.body } : {}),
    responses,
  };
}

/** The route's OpenAPI path: `:name` → `{name}`, a trailing wildcard → `{path}`. */
export const openApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');

export async function registerOpenApi(
  app: FastifyInstance,
  options: { publicUrl: string; title: string },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${options.title} API`,
        version: '1',
        description:
          'Filing, the pull queue, letters to residents, webhooks and the transparency log. Errors are application/problem+json (RFC 9457) with a `code` from /api/errors.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Integration token (uo_…) of one office and scope',
          },
        },
        schemas,
      },
    },
    transform: ({ schema, url }) =>
      // Only the API; the web pages are not part of it.
      ({ schema: (url.startsWith('/api/') ? (schema ?? {}) : { hide: true }) as never, url }),
    transformObject: (documentObject) => {
      const spec = (documentObject as { openapiObject: Json }).openapiObject;
      const found = (spec.paths ?? {}) as Record<string, Record<string, Json>>;
      const paths: Record<string, Record<string, Json>> = {};
      // Rebuilt in the order of DOCS, from the routes @fastify/swagger found and their access rules.
      for (const [key, doc] of Object.entries(DOCS)) {
        const [method, url] = key.split(' ') as [string, string];
        const generated = found[url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}')]?.[method.toLowerCase()];
        if (!generated) continue;
        const access = app.accessRegistry.find((r) => r.method === method && r.url === url)?.access;
        const pathParameters = url.endsWith('*')
          ? [
              {
                name: 'path',
                in: 'path',
                required: true,
                schema: { type: 'string' },
                description: 'Tile path, e.g. 0/x001/234',
              },
            ]
          : ((generated.parameters as Json[] | undefined) ?? [])
              .filter((p) => p.in === 'path')
              .map((p) => {
                const schema = doc.pathSchemas?.[p.name as string];
                return schema ? { ...p, schema } : p;
              });
        const op = operation(method, doc, access, url.split('/')[3] ?? 'api');
        op.parameters = [...pathParameters, ...(op.parameters as Json[])];
        (paths[openApiPath(url)] ??= {})[method.toLowerCase()] = op;
      }
      return { ...spec, paths, webhooks };
    },
  });
  // Browsable at /api/docs: external scripts and styles only, so the strict CSP stays as it is.
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    uiConfig: { url: '/api/openapi.json' } as never,
  });
  app.get('/api/openapi.json', { config: { access: 'public' } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').send(app.swagger()),
  );
}
