import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { WEBHOOK_EVENTS } from '../../src/domain/webhooks/events';
import { isTokenAccess } from '../../src/http/access';
import { startTestApp, type TestApp } from '../helpers/app';

// The document is built from the routes; one database is enough.
describe('OpenAPI document', () => {
  let app: TestApp;
  let doc: {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }
      >
    >;
    components: { securitySchemes: Record<string, unknown> };
    webhooks: Record<string, unknown>;
  };

  before(async () => {
    app = await startTestApp('sqlite', { env: { JOBS_POLL_MS: '0' } });
    const res = await app.http.inject({ url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json() as typeof doc;
  });
  after(async () => app.dispose());

  test('is a valid OpenAPI 3.1 document', async () => {
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc as never);
    assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal(result.valid, true);
    // The validator does refuse a broken document.
    const broken = await new Validator().validate({
      ...doc,
      paths: { '/x': { get: { responses: 'none' } } },
    } as never);
    assert.equal(broken.valid, false);
  });

  test('docs/openapi.json is the document the app serves (npm run openapi writes it)', () => {
    const written = JSON.parse(fs.readFileSync('docs/openapi.json', 'utf8')) as unknown;
    assert.deepEqual(written, doc, 'docs/openapi.json is out of date: run npm run openapi');
  });

  test('swagger-parser validates it and resolves every reference; it refuses a dangling one', async () => {
    const api = await SwaggerParser.validate(structuredClone(doc) as never);
    assert.equal((api as { openapi: string }).openapi, '3.1.0');
    await assert.rejects(
      SwaggerParser.validate({
        ...structuredClone(doc),
        paths: { '/x': { get: { responses: { 200: { $ref: '#/components/responses/None' } } } } },
      } as never),
    );
  });

  test('every operation has a unique operationId; the webhooks are the event list', () => {
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId?: string }).operationId),
    );
    assert.ok(
      ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)),
      ids.join(),
    );
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(Object.keys(doc.webhooks), [...WEBHOOK_EVENTS]);
  });

  test('has every /api/ route, with the bearer scheme on token routes and problem+json errors', () => {
    assert.ok(doc.components.securitySchemes.bearer);
    const missing: string[] = [];
    for (const route of app.http.accessRegistry.filter((r) => r.url.startsWith('/api/'))) {
      const path = route.url.replace(/:(\w+)/g, '{$1}').replace('*', '{path}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      if (!op) {
        missing.push(`${route.method} ${route.url}`);
        continue;
      }
      if (isTokenAccess(route.access)) {
        assert.deepEqual(op.security, [{ bearer: [] }], `${route.method} ${route.url}`);
        for (const status of ['401', '403', '429'])
          assert.ok(
            op.responses[status]?.content?.['application/problem+json'],
            `${route.method} ${route.url} ${status}`,
          );
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400)
          assert.ok(
            response.content?.['application/problem+json'],
            `${route.method} ${route.url} ${status} is problem+json`,
          );
      }
    }
    assert.deepEqual(missing, []);
    assert.equal(
      Object.keys(doc.paths).filter((p) => !p.startsWith('/api/')).length,
      0,
      'web pages are not part of the API',
    );
  });
});

describe('API docs page', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp('sqlite', { env: { JOBS_POLL_MS: '0' } });
  });
  after(async () => app.dispose());

  test('/api/docs serves Swagger UI under the strict CSP, with scripts from our origin only', async () => {
    const page = await app.http.inject({ url: '/api/docs/' });
    const html =
      page.statusCode === 302 ? await app.http.inject({ url: String(page.headers.location) }) : page;
    assert.equal(html.statusCode, 200);
    assert.match(html.body, /swagger-ui-bundle\.js/);
    assert.doesNotMatch(html.body, /<script>(?!\s*<\/script>)|<script [^>]*>[^<\s]/, 'no inline script');
    assert.match(String(html.headers['content-security-policy']), /script-src 'self'/);
    const init = await app.http.inject({ url: '/api/docs/static/swagger-initializer.js' });
    assert.equal(init.statusCode, 200);
    assert.match(init.body, /\/api\/openapi\.json/);
  });
});
