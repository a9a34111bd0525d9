import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { openApiPath } from '../../src/http/openapi';

type Json = Record<string, unknown>;

/** The document's id for ajv, so that schemas are addressed by their JSON pointer in it. */
const DOC_ID = 'https://contract.test/openapi.json';
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

/** JSON Pointer of a path in the document (RFC 6901). */
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks answers of the API against its OpenAPI document: the operation exists, the status is
 * one it lists, the media type is one it lists for that status, and a JSON body matches the
 * schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). Violations are collected, not thrown,
 * so one run reports them all.
 */
export class OpenApiContract {
  readonly violations: string[] = [];
  /** `METHOD path status` of every answer checked. */
  readonly seen = new Set<string>();
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ ...doc, $id: DOC_ID });
  }

  /** A schema of the document by its JSON pointer, compiled once. */
  validator(path: string): ValidateFunction {
    let validate = this.compiled.get(path);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOC_ID}#/${path}` });
      this.compiled.set(path, validate);
    }
    return validate;
  }

  /** Validates a value against a schema of the document; the errors, or none. */
  errorsOf(path: string, value: unknown): string[] {
    const validate = this.validator(path);
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  }

  check(answer: {
    method: string;
    route: string;
    status: number;
    contentType: string | undefined;
    body: string | undefined;
  }): void {
    const path = openApiPath(answer.route);
    // HEAD is the GET without its body.
    const head = answer.method === 'HEAD';
    const method = head ? 'get' : answer.method.toLowerCase();
    const where = `${answer.method} ${path} ${answer.status}`;
    this.seen.add(where);
    const op = (this.doc.paths as Record<string, Record<string, Operation>>)[path]?.[method];
    if (!op) return void this.violations.push(`${where}: no such operation in the document`);
    const response = op.responses[String(answer.status)];
    if (!response) return void this.violations.push(`${where}: status not listed`);
    const media = answer.contentType?.split(';')[0]?.trim().toLowerCase();
    const hasBody = !head && answer.body !== undefined && answer.body !== '';
    if (!response.content) {
      if (hasBody) this.violations.push(`${where}: a body (${media}) where the document lists none`);
      return;
    }
    if (!media || !response.content[media])
      return void this.violations.push(
        `${where}: content type ${media ?? 'none'} not among ${Object.keys(response.content).join(', ')}`,
      );
    if (head || !/json$/.test(media) || answer.body === undefined) return;
    let value: unknown;
    try {
      value = JSON.parse(answer.body);
    } catch {
      return void this.violations.push(`${where}: ${media} body is not JSON`);
    }
    const schemaPath = pointer(
      'paths',
      path,
      method,
      'responses',
      String(answer.status),
      'content',
      media,
      'schema',
    );
    for (const error of this.errorsOf(schemaPath, value)) this.violations.push(`${where}: ${error}`);
  }
}

/**
 * Checks every /api/ answer the app sends from now on (a hook, so answers to inject() and to
 * real HTTP clients alike). Call before the app's first request; the document is the one the
 * app serves.
 */
export function recordContract(http: FastifyInstance): {
  contract: () => OpenApiContract;
  /** The violations so far (none when no /api/ answer was sent). */
  violations: () => string[];
} {
  let contract: OpenApiContract | undefined;
  const get = () => (contract ??= new OpenApiContract(http.swagger() as unknown as Json));
  http.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url;
    if (!request.url.startsWith('/api/') || !route || route.startsWith('/api/docs')) return payload;
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
    const type = reply.getHeader('content-type');
    // A fault of the checker is a violation too; it never changes the answer.
    try {
      get().check({
        method: request.method,
        route,
        status: reply.statusCode,
        contentType: typeof type === 'string' ? type : undefined,
        // A stream (a file) is not read here; its media type still is checked.
        body: payload == null ? '' : body,
      });
    } catch (error) {
      get().violations.push(`${request.method} ${route}: the check failed: ${String(error)}`);
    }
    return payload;
  });
  return { contract: get, violations: () => contract?.violations ?? [] };
}
