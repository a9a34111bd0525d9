import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { listenLocally, addOtherOffice, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { xmlsecVerifies } from '../helpers/receipts';
import { samplePdf } from '../helpers/sample-files';

function form(
  fields: Record<string, string>,
  files: { field: string; name: string; content: Buffer }[],
): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  for (const f of files)
    data.append(f.field, new Blob([new Uint8Array(f.content)], { type: 'application/pdf' }), f.name);
  return data;
}

for (const dialect of testDialects()) {
  describe(`delivery API (${dialect})`, () => {
    let app: TestApp;
    let base: string;
    const tokens: Record<'deliver' | 'pull' | 'otherOffice', string> = {
      deliver: '',
      pull: '',
      otherOffice: '',
    };
    let caPem: string;

    const deliver = (fields: Record<string, string>, bearer = tokens.deliver, office = 'umczestochowa') =>
      fetch(`${base}/api/v1/offices/${office}/deliveries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        body: form(fields, [{ field: 'document', name: 'decyzja.pdf', content: samplePdf('Decyzja') }]),
      });
    const get = (url: string, bearer = tokens.deliver) =>
      fetch(`${base}${url}`, { headers: { authorization: `Bearer ${bearer}` } });
    const count = async (table: 'deliveries' | 'receipts' | 'jobs') =>
      Number(
        (
          await app.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0' } });
      await addOtherOffice(app);
      base = await listenLocally(app);
      tokens.deliver = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'deliver',
          name: 'System EZD',
        })
      ).token;
      tokens.pull = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'pull',
          name: 'Odbiór',
        })
      ).token;
      tokens.otherOffice = (
        await app.services.createIntegrationToken({
          officeId: 'umkrakow',
          scope: 'deliver',
          name: 'EZD Kraków',
        })
      ).token;
      caPem = fs.readFileSync(path.join(app.env.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
    });
    after(() => app.dispose());

    test('a deliver token sends a letter by PESEL: 201, the proof of sending is served and verifies with xmlsec1, the status is awaiting', async () => {
      const res = await deliver({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Decyzja w sprawie' });
      assert.equal(res.status, 201, await res.clone().text());
      const body = (await res.json()) as { deliveryId: string; proofOfSendingId: string };
      assert.equal(res.headers.get('location'), `/api/v1/deliveries/${body.deliveryId}`);

      const proof = await get(`/api/v1/receipts/${body.proofOfSendingId}`);
      assert.equal(proof.status, 200);
      const xml = await proof.text();
      assert.match(xml, /DowodWyslania/);
      const verified = xmlsecVerifies(xml, caPem);
      assert.ok(verified.ok, verified.output);

      const status = await get(`/api/v1/deliveries/${body.deliveryId}`);
      assert.equal(status.status, 200);
      const view = (await status.json()) as {
        status: string;
        sentAt: string;
        receivedAt?: string;
        proofs: { id: string; kind: string }[];
      };
      assert.equal(view.status, 'awaiting');
      assert.equal(view.receivedAt, undefined);
      assert.deepEqual(view.proofs, [{ id: body.proofOfSendingId, kind: 'sending' }]);

      // Another office's token sees neither the delivery nor its proof.
      assert.equal((await get(`/api/v1/deliveries/${body.deliveryId}`, tokens.otherOffice)).status, 404);
      assert.equal((await get(`/api/v1/receipts/${body.proofOfSendingId}`, tokens.otherOffice)).status, 404);
    });

    test('an unknown PESEL is a 422 problem naming the field, and nothing is stored', async () => {
      const before = [await count('deliveries'), await count('receipts'), await count('jobs')];
      const res = await deliver({ recipientPesel: '02070803628', title: 'Pismo' });
      assert.equal(res.status, 422);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = JSON.stringify(await res.json());
      assert.match(problem, /recipientPesel/);
      assert.deepEqual([await count('deliveries'), await count('receipts'), await count('jobs')], before);
    });

    test('a missing addressee or title is a 422 naming the field', async () => {
      const noRecipient = await deliver({ title: 'Pismo' });
      assert.equal(noRecipient.status, 422);
      assert.match(await noRecipient.text(), /recipientPesel/);
      const noTitle = await deliver({ recipientPesel: DEMO_RESIDENT_PESEL });
      assert.equal(noTitle.status, 422);
      assert.match(await noTitle.text(), /"title"/);
    });

    test('a pull token, or a deliver token of another office, cannot send for this office', async () => {
      const before = await count('deliveries');
      assert.equal(
        (await deliver({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Pismo' }, tokens.pull)).status,
        403,
      );
      assert.equal(
        (await deliver({ recipientPesel: DEMO_RESIDENT_PESEL, title: 'Pismo' }, tokens.otherOffice)).status,
        403,
      );
      assert.equal(await count('deliveries'), before);
    });
  });
}
