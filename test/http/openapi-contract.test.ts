import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WEBHOOK_EVENTS } from '../../src/domain/webhooks/events';
import { ManualClock } from '../../src/ports/clock';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import {
  addOtherOffice,
  listenLocally,
  markDemoLettersTaken,
  startTestApp,
  type TestApp,
} from '../helpers/app';
import { OpenApiContract } from '../helpers/openapi-contract';
import { samplePdf } from '../helpers/sample-files';

type Scope = 'submit' | 'pull' | 'deliver' | 'admin';

/**
 * The contract: the API's main flows, each answer (success and refusal) checked against the
 * OpenAPI document the app serves (test/helpers/openapi-contract.ts), and every webhook event
 * the flows cause checked against the document's `webhooks`.
 */
describe('every API answer matches the OpenAPI document', () => {
  let app: TestApp;
  let base: string;
  const tokens: Record<Scope, string> = { submit: '', pull: '', deliver: '', admin: '' };
  let otherOfficeAdmin = '';
  const clock = new ManualClock(new Date());

  before(async () => {
    app = await startTestApp('sqlite', {
      demo: true,
      clock,
      contract: true,
      env: { JOBS_POLL_MS: '0', WEBHOOKS_ALLOW_PRIVATE: 'true' },
    });
    await markDemoLettersTaken(app);
    for (const scope of Object.keys(tokens) as Scope[])
      tokens[scope] = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope,
          name: `Kontrakt ${scope}`,
        })
      ).token;
    await addOtherOffice(app);
    otherOfficeAdmin = (
      await app.services.createIntegrationToken({ officeId: 'umkrakow', scope: 'admin', name: 'Kraków' })
    ).token;
    base = await listenLocally(app);
  });
  after(async () => app.dispose());

  async function call(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    });
    await res.arrayBuffer(); // read whole: the hook has checked it
    return res;
  }
  const expect = async (status: number, res: Promise<Response>) => {
    const answer = await res;
    assert.equal(answer.status, status, `${answer.url}`);
    return answer;
  };
  const json = async <T>(method: string, path: string, options: Parameters<typeof call>[2] = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as T };
  };
  const letter = (fields: Record<string, string>, text: string) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append(
      'document',
      new Blob([new Uint8Array(samplePdf(text))], { type: 'application/pdf' }),
      'pismo.pdf',
    );
    return form;
  };
  const box = '/api/v1/boxes/umczestochowa/skrytka';

  test('filing, replay, receipts, documents, refusals', async () => {
    const filed = await json<{ documentId: string; receiptId: string }>('POST', `${box}/documents`, {
      token: tokens.submit,
      headers: { 'idempotency-key': 'contract-1' },
      body: letter({ title: 'Wniosek', kind: 'podanie' }, 'kontrakt'),
    });
    assert.equal(filed.status, 201);
    const replay = await call('POST', `${box}/documents`, {
      token: tokens.submit,
      headers: { 'idempotency-key': 'contract-1' },
      body: letter({ title: 'Wniosek', kind: 'podanie' }, 'kontrakt'),
    });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    await expect(
      409,
      call('POST', `${box}/documents`, {
        token: tokens.submit,
        headers: { 'idempotency-key': 'contract-1' },
        body: letter({ title: 'Inny' }, 'inny'),
      }),
    );
    await expect(
      400,
      call('POST', `${box}/documents`, { token: tokens.submit, headers: { 'idempotency-key': ' ' } }),
    );
    await expect(
      422,
      call('POST', `${box}/documents`, { token: tokens.submit, body: letter({ kind: 'list' }, 'zly') }),
    );
    await expect(415, call('POST', `${box}/documents`, { token: tokens.submit, json: { title: 'x' } }));
    await expect(
      404,
      call('POST', '/api/v1/boxes/umczestochowa/brak/documents', {
        token: tokens.submit,
        body: letter({}, 'x'),
      }),
    );
    await expect(401, call('POST', `${box}/documents`, { body: letter({}, 'x') }));
    await expect(401, call('POST', `${box}/documents`, { token: 'uo_nonsense', body: letter({}, 'x') }));
    await expect(403, call('POST', `${box}/documents`, { token: tokens.pull, body: letter({}, 'x') }));
    await expect(
      403,
      call('POST', '/api/v1/boxes/umkrakow/skrytka/documents', {
        token: tokens.submit,
        body: letter({}, 'x'),
      }),
    );

    const { documentId, receiptId } = filed.body;
    await expect(200, call('GET', `/api/v1/documents/${documentId}`, { token: tokens.submit }));
    await expect(404, call('GET', '/api/v1/documents/brak', { token: tokens.submit }));
    await expect(200, call('GET', `/api/v1/documents/${documentId}/files/0`, { token: tokens.submit }));
    await expect(404, call('GET', `/api/v1/documents/${documentId}/files/9`, { token: tokens.submit }));
    await expect(200, call('GET', `/api/v1/receipts/${receiptId}`, { token: tokens.submit }));
    await expect(200, call('GET', `/api/v1/receipts/${receiptId}?format=pdf`, { token: tokens.submit }));
    await expect(400, call('GET', `/api/v1/receipts/${receiptId}?format=doc`, { token: tokens.submit }));
    await expect(404, call('GET', '/api/v1/receipts/brak', { token: tokens.submit }));
    await expect(400, call('GET', `/api/v1/receipts/${receiptId}?format=%E0%A4%A`, { token: tokens.submit }));
  });

  test('the pull queue: count, lease, files, acknowledge, empty', async () => {
    const count = await json<{ count: number }>('GET', `${box}/pending`, { token: tokens.pull });
    assert.equal(count.status, 200);
    assert.ok(count.body.count >= 1);
    const next = await json<{ documentId: string; files: { sha256: string }[] }>(
      'POST',
      `${box}/pending/next`,
      {
        token: tokens.pull,
      },
    );
    assert.equal(next.status, 200);
    const ack = `/api/v1/documents/${next.body.documentId}/ack`;
    await expect(400, call('POST', ack, { token: tokens.pull, json: { sha256: 'x', extra: 1 } }));
    await expect(400, call('POST', ack, { token: tokens.pull, json: [] }));
    await expect(409, call('POST', ack, { token: tokens.pull, json: { sha256: '0'.repeat(64) } }));
    await expect(
      415,
      call('POST', ack, {
        token: tokens.pull,
        body: 'sha256',
        headers: { 'content-type': 'application/xml' },
      }),
    );
    await expect(
      404,
      call('POST', '/api/v1/documents/brak/ack', { token: tokens.pull, json: { sha256: '0'.repeat(64) } }),
    );
    await expect(
      204,
      call('POST', ack, { token: tokens.pull, json: { sha256: next.body.files[0]!.sha256 } }),
    );
    await expect(204, call('POST', `${box}/pending/next`, { token: tokens.pull }));
    await expect(403, call('GET', '/api/v1/boxes/umkrakow/skrytka/pending', { token: tokens.pull }));
  });

  test('letters to residents', async () => {
    const sent = await json<{ deliveryId: string; proofOfSendingId: string }>(
      'POST',
      '/api/v1/offices/umczestochowa/deliveries',
      {
        token: tokens.deliver,
        body: letter({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Decyzja' }, 'decyzja'),
      },
    );
    assert.equal(sent.status, 201);
    await expect(
      422,
      call('POST', '/api/v1/offices/umczestochowa/deliveries', {
        token: tokens.deliver,
        body: letter({ recipientPesel: '00000000000', title: 'Decyzja' }, 'decyzja'),
      }),
    );
    await expect(200, call('GET', `/api/v1/deliveries/${sent.body.deliveryId}`, { token: tokens.deliver }));
    await expect(404, call('GET', '/api/v1/deliveries/brak', { token: tokens.deliver }));
    await expect(
      200,
      call('GET', `/api/v1/receipts/${sent.body.proofOfSendingId}`, { token: tokens.deliver }),
    );
  });

  test('webhook endpoints, their deliveries and every event’s payload', async () => {
    const hooks = '/api/v1/offices/umczestochowa/webhooks';
    const created = await json<{ id: string }>('POST', hooks, {
      token: tokens.admin,
      headers: { 'idempotency-key': 'hook-1' },
      json: { url: 'http://127.0.0.1:9/hook', events: [...WEBHOOK_EVENTS], description: 'Kontrakt' },
    });
    assert.equal(created.status, 201);
    await expect(
      201,
      call('POST', hooks, {
        token: tokens.admin,
        headers: { 'idempotency-key': 'hook-1' },
        json: { url: 'http://127.0.0.1:9/hook', events: [...WEBHOOK_EVENTS], description: 'Kontrakt' },
      }),
    );
    await expect(
      400,
      call('POST', hooks, { token: tokens.admin, json: { url: 'http://127.0.0.1:9/', events: ['x'] } }),
    );
    await expect(400, call('POST', hooks, { token: tokens.admin, json: { url: 'x', events: [], other: 1 } }));
    await expect(
      400,
      call('POST', hooks, {
        token: tokens.admin,
        body: '{',
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(403, call('GET', hooks, { token: otherOfficeAdmin }));
    await expect(200, call('GET', hooks, { token: tokens.admin }));

    // Every event, caused for real: a filing, a registration, a letter deemed delivered.
    const filed = await json<{ documentId: string }>('POST', `${box}/documents`, {
      token: tokens.submit,
      body: letter({ title: 'Do rejestracji' }, 'rejestracja'),
    });
    const clerk = await app.database.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
    await app.services.registerDocument({
      officeId: 'umczestochowa',
      documentId: filed.body.documentId,
      actorId: clerk.id,
    });
    await json('POST', '/api/v1/offices/umczestochowa/deliveries', {
      token: tokens.deliver,
      body: letter({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Wezwanie' }, 'wezwanie'),
    });
    const runner = { runnerId: 'contract', limit: 50, lockMs: 60_000 };
    await app.services.runDueJobs(runner);
    clock.advance(16 * 24 * 60 * 60 * 1000);
    await app.services.runDueJobs(runner);

    const sent = await json<{ deliveries: { id: string; eventType: string }[] }>(
      'GET',
      `${hooks}/${created.body.id}/deliveries`,
      { token: tokens.admin },
    );
    assert.equal(sent.status, 200);
    const bodies = await app.database.db
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'body'])
      .where('endpoint_id', '=', created.body.id)
      .execute();
    const contract = app.contract!();
    for (const row of bodies) {
      const path = `webhooks/${row.event_type}/post/requestBody/content/application~1json/schema`;
      assert.deepEqual(contract.errorsOf(path, JSON.parse(row.body)), [], row.body);
    }
    // delivery.received needs a resident's confirmation by code: test/services/deliveries.test.ts.
    assert.deepEqual(
      [...new Set(bodies.map((b) => b.event_type))].sort(),
      WEBHOOK_EVENTS.filter((e) => e !== 'delivery.received').sort(),
    );

    const first = sent.body.deliveries[0]!;
    await expect(
      202,
      call('POST', `/api/v1/offices/umczestochowa/webhook-deliveries/${first.id}/replay`, {
        token: tokens.admin,
      }),
    );
    await expect(
      404,
      call('POST', '/api/v1/offices/umczestochowa/webhook-deliveries/brak/replay', { token: tokens.admin }),
    );
    await expect(204, call('DELETE', `${hooks}/${created.body.id}`, { token: tokens.admin }));
    await expect(404, call('DELETE', `${hooks}/brak`, { token: tokens.admin }));
  });

  test('the transparency log, the certificate, the catalogue and the document itself', async () => {
    const checkpoint = await call('GET', '/api/v1/log/checkpoint');
    assert.ok([200, 503].includes(checkpoint.status));
    await expect(200, call('GET', '/api/v1/log/key'));
    await expect(400, call('GET', '/api/v1/log/proof/inclusion?index=0'));
    await expect(400, call('GET', '/api/v1/log/proof/consistency?from=x&to=1'));
    await app.services.signCheckpointIfGrown();
    const size = (await (await fetch(`${base}/api/v1/log/checkpoint`)).text()).split('\n')[1];
    if (size) {
      await expect(200, call('GET', `/api/v1/log/proof/inclusion?index=0&size=${size}`));
      await expect(200, call('GET', `/api/v1/log/proof/consistency?from=1&to=${size}`));
    }
    await expect(400, call('GET', '/api/v1/log/tile/x/y'));
    await expect(200, call('GET', '/api/v1/offices/umczestochowa/certificate'));
    await expect(404, call('GET', '/api/v1/offices/brak/certificate'));
    await expect(200, call('GET', '/api/errors', { headers: { accept: 'application/json' } }));
    await expect(200, call('GET', '/api/errors'));
    await expect(200, call('GET', '/api/openapi.json'));
  });

  test('no answer broke the document, and every kind of refusal was seen', () => {
    const contract = app.contract!();
    assert.deepEqual(contract.violations, []);
    const statuses = new Set([...contract.seen].map((s) => s.split(' ')[2]));
    // The checker does refuse what breaks the document.
    const probe = new OpenApiContract(
      JSON.parse(JSON.stringify(app.http.swagger())) as Record<string, unknown>,
    );
    probe.check({
      method: 'GET',
      route: '/api/v1/boxes/:officeId/:boxName/pending',
      status: 200,
      contentType: 'application/json',
      body: '{"count":"1"}',
    });
    probe.check({
      method: 'GET',
      route: '/api/v1/log/key',
      status: 404,
      contentType: 'application/problem+json',
      body: '{}',
    });
    probe.check({
      method: 'GET',
      route: '/api/v1/log/key',
      status: 200,
      contentType: 'application/json',
      body: '{}',
    });
    assert.equal(probe.violations.length, 3, probe.violations.join('\n'));
    for (const status of ['200', '201', '202', '204', '400', '401', '403', '404', '409', '415', '422'])
      assert.ok(statuses.has(status), `no ${status} answer was checked`);
  });
});
