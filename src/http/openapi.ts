import swagger from '@fastify/swagger';
import { ApiDocsPage, type OpenApiDocument } from '../views/pages/api-docs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WEBHOOK_EVENT_SCHEMAS, WEBHOOK_EVENTS, webhookPayloadSchema } from '../domain/webhooks/events';
import { isTokenAccess, type Access } from './access';
import {
  API,
  idempotencyKey,
  Problem,
  retryAfter,
  type ApiOperation,
  type ApiResponse,
} from './api-contract';

/**
 * The OpenAPI 3.1 document of the API at /api/openapi.json (and, written by `npm run openapi`,
 * docs/openapi.json), generated: the paths and methods from the routes, who may call them from
 * each route's access rule, everything else from the zod schemas of its operation
 * (src/http/api-contract.ts), the same that validate the requests, and the webhooks from the
 * events' schemas (src/domain/webhooks/events.ts). Schemas with an `id` become components.
 * Tests check that every /api/ route is documented, that docs/openapi.json is what the app
 * serves, and that every answer the API tests receive matches this document.
 */
type Json = Record<string, unknown>;

/** Converts schemas to JSON Schema 2020-12 (OpenAPI 3.1), gathering components as it goes. */
class SchemaWriter {
  readonly components: Record<string, Json> = {};

  write(schema: z.ZodType, io: 'input' | 'output'): Json {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
    const { $schema: _dialect, $defs, ...rest } = converted;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, Json>))
      this.components[name] = this.relink(def);
    return this.relink(rest);
  }

  /** Points references at the components, and drops the safe-integer bounds zod adds to every integer. */
  private relink(schema: Json): Json {
    return JSON.parse(
      JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/'),
      (key, value) =>
        (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) ||
        (key === 'maximum' && value === Number.MAX_SAFE_INTEGER)
          ? undefined
          : (value as unknown),
    ) as Json;
  }
}

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

function response(writer: SchemaWriter, answer: ApiResponse): Json {
  return {
    description: answer.description,
    ...(answer.content
      ? {
          content: Object.fromEntries(
            Object.entries(answer.content).map(([type, schema]) => [
              type,
              { schema: writer.write(schema, 'output') },
            ]),
          ),
        }
      : {}),
    ...(answer.headers ? { headers: answer.headers } : {}),
  };
}

function problem(writer: SchemaWriter, status: number): Json {
  return {
    description: PROBLEM_TEXT[status] ?? 'Error',
    content: { 'application/problem+json': { schema: writer.write(Problem, 'output') } },
    ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
  };
}

/** A parameter per property of an object schema. */
function parameters(
  writer: SchemaWriter,
  where: 'path' | 'query',
  schemas: Record<string, z.ZodType>,
): Json[] {
  return Object.entries(schemas).map(([name, schema]) => {
    const { description, ...rest } = writer.write(schema, 'input');
    return {
      name,
      in: where,
      required: where === 'path' || !schema.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/** The route's OpenAPI path: `:name` → `{name}`, a trailing wildcard → `{path}`. */
export const openApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');

function operation(
  writer: SchemaWriter,
  method: string,
  url: string,
  op: ApiOperation,
  access: Access | undefined,
): Json {
  const token = access !== undefined && isTokenAccess(access);
  const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!).concat(url.endsWith('*') ? ['path'] : []);
  const pathSchemas = Object.fromEntries(names.map((name) => [name, op.params?.[name] ?? z.string()]));
  const params = [
    ...parameters(writer, 'path', pathSchemas),
    ...(op.query ? parameters(writer, 'query', op.query.shape as Record<string, z.ZodType>) : []),
  ];
  if (method === 'POST' && token) {
    const { description, ...schema } = writer.write(idempotencyKey, 'input');
    params.push({ name: 'Idempotency-Key', in: 'header', required: false, description, schema });
  }
  const responses: Record<string, Json> = {};
  for (const [status, answer] of Object.entries(op.responses)) responses[status] = response(writer, answer);
  for (const status of problemStatuses(method, token, op.problems))
    responses[status] = problem(writer, status);
  const body = op.body
    ? 'json' in op.body
      ? { 'application/json': { schema: writer.write(op.body.json, 'input') } }
      : { 'multipart/form-data': { schema: writer.write(op.body.multipart, 'input') } }
    : undefined;
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: [url.split('/')[3] ?? 'api'],
    ...(token
      ? {
          security: [{ bearer: [] }],
          description: [
            op.description,
            `Integration token scope: ${(access as { token: string[] }).token.join(' or ')}`,
          ]
            .filter(Boolean)
            .join('\n\n'),
        }
      : { security: [], ...(op.description ? { description: op.description } : {}) }),
    parameters: params,
    ...(body ? { requestBody: { required: true, content: body } } : {}),
    responses,
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

function webhooks(writer: SchemaWriter): Json {
  return Object.fromEntries(
    WEBHOOK_EVENTS.map((event) => [
      event,
      {
        post: {
          operationId: `on${event.replace(/(^|\.)(\w)/g, (_m, _dot, c: string) => c.toUpperCase())}`,
          summary: z.globalRegistry.get(WEBHOOK_EVENT_SCHEMAS[event])?.description,
          description:
            'Sent to every endpoint of the office subscribed to this event, signed after Standard Webhooks; retried with back-off for 24 hours until a 2xx answer',
          parameters: webhookHeaders,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: writer.write(webhookPayloadSchema(event), 'output') } },
          },
          responses: { '2XX': { description: 'Received' } },
        },
      },
    ]),
  );
}

/** The document's paths, webhooks and components, from the routes registered on the app. */
function generate(app: FastifyInstance): Json {
  const writer = new SchemaWriter();
  const paths: Record<string, Record<string, Json>> = {};
  for (const { method, url, contract } of app.contractRegistry) {
    const access = app.accessRegistry.find((r) => r.method === method && r.url === url)?.access;
    (paths[openApiPath(url)] ??= {})[method.toLowerCase()] = operation(writer, method, url, contract, access);
  }
  const hooks = webhooks(writer);
  return { paths, webhooks: hooks, schemas: writer.components };
}

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
      },
    },
    transform: ({ schema, url }) =>
      // The paths are generated from the operations below; @fastify/swagger lists none itself.
      ({ schema: { ...(schema ?? {}), hide: true } as never, url }),
    transformObject: (documentObject) => {
      const spec = (documentObject as { openapiObject: Json }).openapiObject;
      const { paths, webhooks: hooks, schemas } = generate(app);
      const components = (spec.components ?? {}) as Json;
      return { ...spec, paths, webhooks: hooks, components: { ...components, schemas } } as never;
    },
  });
  // Readable at /api/docs: a page of ours made from the document, no JavaScript needed.
  app.get('/api/docs', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page((ctx) => ApiDocsPage({ ctx, doc: app.swagger() as unknown as OpenApiDocument })),
  );
  app.get('/api/docs/', { config: { access: 'public' } }, async (_request, reply) =>
    reply.redirect('/api/docs', 301),
  );
  app.get(
    '/api/openapi.json',
    { config: { access: 'public', contract: API.getOpenApiDocument } },
    async (_request, reply) => reply.header('cache-control', 'no-cache').send(app.swagger()),
  );
}
