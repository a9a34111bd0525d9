import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTokenAccess } from '../../src/http/access';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { listenLocally, markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { samplePdf } from '../helpers/sample-files';

type Body = { json: unknown } | { form: () => FormData } | { none: true };

/** One valid request per API POST, and a second, different one: what a retry must not be confused with. */
interface Case {
  token: 'submit' | 'pull' | 'deliver' | 'admin';
  url: () => string;
  body: () => Body;
  other: () => Body;
  /** Rows the request creates: counted to prove a replay did nothing. */
  count: () => Promise<number>;
}

function form(fields: Record<string, string>, document: Buffer): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append('document', new Blob([new Uint8Array(document)], { type: 'application/pdf' }), 'pismo.pdf');
  return data;
}

for (const dialect of testDialects()) {
  describe(`every API POST in the route registry honours Idempotency-Key (${dialect})`, () => {
    let app: TestApp;
    let base: string;
    const tokens = { submit: '', pull: '', deliver: '', admin: '' };
    let documentId = '';
    let sha256 = '';
    let webhookDeliveryId = '';
    const rows =
      (table: 'documents' | 'deliveries' | 'webhook_endpoints' | 'jobs' | 'audit_log') => async () =>
        Number(
          (
            await app.database.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );

    const cases: Record<string, Case> = {
      'POST /api/v1/boxes/:officeId/:boxName/documents': {
        token: 'submit',
        url: () => '/api/v1/boxes/umczestochowa/skrytka/documents',
        body: () => ({ form: () => form({ title: 'Wniosek' }, samplePdf('pierwszy')) }),
        other: () => ({ form: () => form({ title: 'Wniosek' }, samplePdf('drugi')) }),
        count: rows('documents'),
      },
      'POST /api/v1/offices/:officeId/deliveries': {
        token: 'deliver',
        url: () => '/api/v1/offices/umczestochowa/deliveries',
        body: () => ({
          form: () => form({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Decyzja' }, samplePdf('decyzja')),
        }),
        other: () => ({
          form: () =>
            form({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Inna decyzja' }, samplePdf('decyzja')),
        }),
        count: rows('deliveries'),
      },
      'POST /api/v1/boxes/:officeId/:boxName/pending/next': {
        token: 'pull',
        url: () => '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        body: () => ({ none: true }),
        other: () => ({ json: { another: 'body' } }),
        count: rows('audit_log'),
      },
      'POST /api/v1/documents/:documentId/ack': {
        token: 'pull',
        url: () => `/api/v1/documents/${documentId}/ack`,
        body: () => ({ json: { sha256 } }),
        other: () => ({ json: { sha256: sha256.toUpperCase() } }),
        count: rows('audit_log'),
      },
      'POST /api/v1/offices/:officeId/webhooks': {
        token: 'admin',
        url: () => '/api/v1/offices/umczestochowa/webhooks',
        body: () => ({ json: { url: 'https://ezd.example.gov.pl/hook', events: ['document.received'] } }),
        other: () => ({ json: { url: 'https://ezd.example.gov.pl/other', events: ['document.received'] } }),
        count: rows('webhook_endpoints'),
      },
      'POST /api/v1/offices/:officeId/webhook-deliveries/:deliveryId/replay': {
        token: 'admin',
        url: () => `/api/v1/offices/umczestochowa/webhook-deliveries/${webhookDeliveryId}/replay`,
        body: () => ({ none: true }),
        other: () => ({ json: { another: 'body' } }),
        count: rows('jobs'),
      },
    };

    const send = (c: Case, body: Body, key: string) => {
      const init: RequestInit & { headers: Record<string, string> } = {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[c.token]}`, 'idempotency-key': key },
      };
      if ('json' in body) {
        init.headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body.json);
      } else if ('form' in body) init.body = body.form();
      return fetch(`${base}${c.url()}`, init);
    };

    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0' } });
      await markDemoLettersTaken(app);
      base = await listenLocally(app);
      for (const scope of ['submit', 'pull', 'deliver', 'admin'] as const)
        tokens[scope] = (
          await app.services.createIntegrationToken({
            officeId: 'umczestochowa',
            scope,
            name: `EZD ${scope}`,
          })
        ).token;
      // A webhook endpoint and a filed document give the ack and the replay something to act on.
      const endpoint = await app.services.createWebhookEndpoint({
        actor: { tokenId: 'test' },
        officeId: 'umczestochowa',
        url: 'https://ezd.example.gov.pl/existing',
        events: ['document.received'],
      });
      const filed = await fetch(`${base}/api/v1/boxes/umczestochowa/skrytka/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.submit}` },
        body: form({}, samplePdf('do potwierdzenia')),
      });
      assert.equal(filed.status, 201);
      documentId = ((await filed.json()) as { documentId: string }).documentId;
      const document = await app.services.getDocument(
        { kind: 'token', token: await app.services.authenticateToken(`Bearer ${tokens.pull}`) },
        documentId,
      );
      sha256 = document.files[0]!.sha256;
      const deliveries = await app.services.listWebhookDeliveries('umczestochowa', endpoint.id);
      webhookDeliveryId = deliveries[0]!.id;
    });
    after(() => app.dispose());

    test('each POST: the same key and body get the first answer, replayed, with nothing done twice; another body gets 409', async () => {
      const posts = app.http.accessRegistry.filter(
        (r) => r.method === 'POST' && r.url.startsWith('/api/') && isTokenAccess(r.access),
      );
      assert.ok(posts.length >= 6);
      for (const route of posts) {
        const name = `${route.method} ${route.url}`;
        const c = cases[name];
        assert.ok(c, `${name} has a case in this test`);
        const key = `key-${route.url}`;
        const first = await send(c, c.body(), key);
        const firstBody = await first.text();
        assert.ok(first.status < 300, `${name}: ${first.status} ${firstBody}`);
        assert.equal(first.headers.get('idempotent-replayed'), null, name);
        const before = await c.count();
        const again = await send(c, c.body(), key);
        assert.equal(again.status, first.status, name);
        assert.equal(again.headers.get('idempotent-replayed'), 'true', name);
        const againBody = await again.text();
        if (name.endsWith('/webhooks')) {
          // The secret is shown once: the replay is the first answer without it.
          const { secret, ...rest } = JSON.parse(firstBody) as Record<string, unknown>;
          assert.match(String(secret), /^whsec_/);
          assert.deepEqual(JSON.parse(againBody), rest, name);
        } else assert.equal(againBody, firstBody, name);
        assert.equal(await c.count(), before, `${name}: the replay changed nothing`);
        const other = await send(c, c.other(), key);
        assert.equal(other.status, 409, `${name}: ${await other.clone().text()}`);
        assert.equal((await other.json()).code, 'idempotency_conflict', name);
      }
    });

    test('concurrent retries of a delivery with one key make one letter', async () => {
      const c = cases['POST /api/v1/offices/:officeId/deliveries']!;
      const before = await c.count();
      const answers = await Promise.all(Array.from({ length: 4 }, () => send(c, c.other(), 'race-delivery')));
      assert.deepEqual(
        answers.map((a) => a.status),
        [201, 201, 201, 201],
      );
      assert.equal(new Set(await Promise.all(answers.map((a) => a.text()))).size, 1);
      assert.equal(await c.count(), before + 1);
    });
  });
}
