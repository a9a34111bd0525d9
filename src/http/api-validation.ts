import type { FastifyInstance } from 'fastify';
import type { ApiOperation } from './api-contract';
import { parseRequest, type RefusalRule } from './request-validation';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation of src/http/api-contract.ts the route serves (every /api/ route has one). */
    contract?: ApiOperation;
  }
  interface FastifyInstance {
    /** Every API route with its operation, in the order registered: what the OpenAPI document lists. */
    contractRegistry: RouteContract[];
  }
}

export interface RouteContract {
  method: string;
  url: string;
  contract: ApiOperation;
}

/** Routes under /api/ that plugins add and that are not operations of the API. */
const NOT_OPERATIONS = ['/api/docs'];

const DEFAULT_REFUSAL: RefusalRule = { code: 'bad_request', key: 'error.badRequest.title' };

/**
 * Every /api/ route declares its operation (`config.contract`); the app refuses to start
 * otherwise, so the OpenAPI document cannot miss one. Before the handler (after the access
 * check and the Idempotency-Key), the query and a JSON body are parsed with the operation's
 * schemas: the handler gets the parsed values, or the caller a problem+json naming the fields.
 */
export function registerApiValidation(app: FastifyInstance): void {
  const registry: RouteContract[] = [];
  app.decorate('contractRegistry', registry);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || NOT_OPERATIONS.some((prefix) => route.url.startsWith(prefix)))
      return;
    const contract = (route.config as { contract?: ApiOperation } | undefined)?.contract;
    if (!contract)
      throw new Error(`Route ${route.method} ${route.url} declares no operation (config.contract)`);
    for (const method of [route.method].flat())
      if (method !== 'HEAD') registry.push({ method, url: route.url, contract });
  });
}

/** The parsing hook; registered after the access check and the Idempotency-Key. */
export function validateApiRequests(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const contract = request.routeOptions.config.contract;
    if (!contract) return;
    const refusal = contract.refusal ?? DEFAULT_REFUSAL;
    if (contract.query) request.query = parseRequest(contract.query, request.query, refusal);
    if (contract.body && 'json' in contract.body)
      request.body = parseRequest(contract.body.json, request.body, refusal);
  });
}
