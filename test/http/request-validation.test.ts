import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { z } from 'zod';
import { AppError } from '../../src/domain/errors';
import {
  API,
  filingFields,
  filingRefusal,
  webhookEndpointInput,
  webhookEndpointRefusal,
} from '../../src/http/api-contract';
import { registerApiValidation } from '../../src/http/api-validation';
import { problemBody } from '../../src/http/problem';
import { parseRequest } from '../../src/http/request-validation';

/** The refusal a parse raises, as the problem+json body in a language. */
function refused(run: () => unknown, lang: 'pl' | 'en' = 'en') {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return problemBody(lang, error);
  }
  assert.fail('the input was accepted');
}

describe('the one error formatter: zod issues → problem+json', () => {
  test('unknown fields are named first, as unknown_fields', () => {
    const problem = refused(() =>
      parseRequest(webhookEndpointInput, { url: 1, events: [], colour: 'red' }, webhookEndpointRefusal),
    );
    assert.equal(problem.code, 'unknown_fields');
    assert.equal(problem.status, 400);
    assert.equal(problem.detail, 'Unknown fields: colour.');
  });

  test('a body that is not an object is bad_body, with the operation’s message', () => {
    const ack = API.acknowledgeDocument;
    const problem = refused(() => parseRequest(ack.body.json, ['x'], ack.refusal));
    assert.equal(problem.code, 'bad_body');
    assert.match(problem.detail, /sha256/);
  });

  test('each refused field once, by name, with the schema’s message in Polish and English', () => {
    const input = { url: 'x'.repeat(2001), events: ['document.eaten', 'also.wrong'], description: 7 };
    const run = () => parseRequest(webhookEndpointInput, input, webhookEndpointRefusal);
    const en = refused(run, 'en');
    assert.equal(en.code, 'validation_failed');
    assert.equal(en.status, 400);
    assert.deepEqual(
      en.errors.map((e) => [e.field, e.code]),
      [
        ['url', 'webhooks.error.url'],
        ['events', 'webhooks.error.events'],
        ['description', 'webhooks.error.description'],
      ],
    );
    assert.match(en.errors[1]!.message, /document\.received, document\.registered/);
    const pl = refused(run, 'pl');
    assert.match(pl.errors[2]!.message, /Opis może mieć najwyżej 200 znaków/);
  });

  test('a rule without a message of its own falls back to one naming the field', () => {
    const schema = z.strictObject({ size: z.int() });
    const problem = refused(
      () => parseRequest(schema, { size: 'big' }, { code: 'bad_request', key: 'error.badRequest.title' }),
      'pl',
    );
    assert.deepEqual(problem.errors, [
      {
        field: 'size',
        code: 'api.error.field',
        message: 'Pole „size” ma niepoprawną wartość: sprawdź jego typ i zakres w OpenAPI.',
      },
    ]);
  });

  test('the status of a refusal is the operation’s: a filing with an unknown kind is 422', () => {
    const problem = refused(() => parseRequest(filingFields, { kind: 'skarga' }, filingRefusal));
    assert.equal(problem.status, 422);
    assert.equal(problem.code, 'bad_kind');
    assert.deepEqual(
      problem.errors.map((e) => e.field),
      ['kind'],
    );
    assert.deepEqual(parseRequest(filingFields, { kind: '', title: 'T' }, filingRefusal), {
      kind: undefined,
      title: 'T',
    });
  });

  test('query counts are parsed to numbers; a missing and a malformed one are told apart', () => {
    const proof = API.getInclusionProof;
    assert.deepEqual(parseRequest(proof.query, { index: '3', size: '10', lang: 'en' }, proof.refusal), {
      index: 3,
      size: 10,
    });
    const problem = refused(() => parseRequest(proof.query, { size: '1e3' }, proof.refusal));
    assert.deepEqual(
      problem.errors.map((e) => [e.field, e.code]),
      [
        ['index', 'tlog.error.required'],
        ['size', 'tlog.error.count'],
      ],
    );
    assert.match(problem.errors[1]!.message, /2147483647/);
  });
});

describe('every /api/ route declares its operation', () => {
  test('an /api/ route without config.contract stops the app from starting; others need none', async () => {
    const app = Fastify();
    registerApiValidation(app);
    app.get('/portal', async () => 'ok');
    app.get('/api/v1/documented', { config: { contract: API.getLogKey } }, async () => 'ok');
    assert.throws(() => app.get('/api/v1/undocumented', async () => 'ok'), /declares no operation/);
    assert.deepEqual(
      app.contractRegistry.map((r) => `${r.method} ${r.url}`),
      ['GET /api/v1/documented'],
    );
    await app.close();
  });
});
