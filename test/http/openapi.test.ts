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

  test('/api/docs is a page of ours: every operation by tag with its parameters, body and responses', async () => {
    const res = await app.http.inject({ url: '/api/docs' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(res.body, /<script(?![^>]*src="\/assets\/app\.js")/, 'no script but the site’s own');
    assert.doesNotMatch(res.body, /swagger/i, 'no framework branding');
    assert.match(res.body, /<h1[^>]*>Dokumentacja API<\/h1>/);
    const doc = (await app.http.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string; tags: string[]; summary: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    assert.ok(ops.length >= 10);
    for (const { path, method, op } of ops) {
      const heading = new RegExp(
        `<h3[^>]*id="op-${op.operationId}"[^>]*><code>${method.toUpperCase()}</code> <code>${path.replace(/[{}.]/g, '\\$&')}</code></h3>`,
      );
      assert.match(res.body, heading, `${method} ${path}`);
      assert.ok(res.body.includes(`id="tag-${op.tags[0]}"`), `tag ${op.tags[0]}`);
    }
    // The filing operation: parameters, its multipart body and a problem+json response.
    const filing = res.body.slice(res.body.indexOf('id="op-fileDocument"'));
    const section = filing.slice(0, filing.indexOf('</section>'));
    assert.match(section, /<code>Idempotency-Key<\/code>/);
    assert.match(section, /<code>multipart\/form-data<\/code>/);
    assert.match(section, /<code>document<\/code>/);
    assert.match(
      section,
      /<code>application\/problem\+json<\/code> <a class="govuk-link" href="#schema-Problem">Problem<\/a>/,
    );
    for (const name of Object.keys(doc.components.schemas))
      assert.ok(res.body.includes(`id="schema-${name}"`), name);
    const en = await app.http.inject({ url: '/api/docs?lang=en' });
    assert.match(en.body, /<h1[^>]*>API documentation<\/h1>/);
    const slash = await app.http.inject({ url: '/api/docs/' });
    assert.equal(slash.statusCode, 301);
    assert.equal(slash.headers.location, '/api/docs');
  });
});
