import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { soapAcknowledge, soapPullNext } from '../../src/services/soap-pull';
import type { ServiceDeps } from '../../src/services/deps';
import type { IntegrationSystem } from '../../src/services/integration-systems';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`SOAP request signatures recorded against replay (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      // Only the system's key matters to the services; any certificate registers it.
      const pem = (await app.deps.seals.platform()).certificatePem;
      system = await app.services.addIntegrationSystem({
        officeId: 'umczestochowa',
        name: 'EZD',
        certificatePem: pem,
      });
    });
    let system: IntegrationSystem;
    after(() => app.dispose());

    const record = (signatureValue: string) =>
      app.services.recordRequestSignature({ signatureValue, keepMs: 60_000 });

    test('many at once: each new signature is accepted once, every repetition refused, in or across batches', async () => {
      const signatures = Array.from({ length: 40 }, () => randomUUID());
      // Every signature three times, all at once: the writes overlap and are batched.
      const first = await Promise.all([...signatures, ...signatures, ...signatures].map(record));
      assert.equal(first.filter(Boolean).length, signatures.length, 'exactly one of each three accepted');
      for (const [i, signature] of signatures.entries())
        assert.equal(
          [first[i], first[i + signatures.length], first[i + 2 * signatures.length]].filter(Boolean).length,
          1,
          `${signature} accepted once`,
        );
      assert.ok(first.slice(0, signatures.length).every(Boolean), 'the first to arrive is the one accepted');
      // Later, alone or among new ones, a seen signature stays refused.
      const again = await Promise.all([signatures[0]!, randomUUID(), signatures[1]!].map(record));
      assert.deepEqual(again, [false, true, false]);
      const rows = await app.database.db
        .selectFrom('soap_seen_signatures')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(rows.n), signatures.length + 1, 'one row per signature');
    });
    /** The services' dependencies with a clock that fails on its `failOn`-th reading. */
    const failingClock = (failOn: number): ServiceDeps => {
      let readings = 0;
      return {
        ...app.deps,
        clock: {
          now: () => {
            readings += 1;
            if (readings === failOn) throw new Error('clock failure inside the transaction');
            return new Date();
          },
        },
      } as ServiceDeps;
    };
    const seen = async (signatureValue: string) => {
      const digest = createHash('sha256').update(signatureValue).digest('hex');
      const row = await app.database.db
        .selectFrom('soap_seen_signatures')
        .select('digest')
        .where('digest', '=', digest)
        .executeTakeFirst();
      return row !== undefined;
    };

    test('a pull whose lease fails records no signature; sent again it leases, and a replay of it is refused', async () => {
      const signature = { signatureValue: randomUUID(), keepMs: 60_000 };
      const input = { system, boxName: 'skrytka', leaseMs: 60_000, signature };
      // The first reading records the signature, the second (the lease's) fails: both undone.
      await assert.rejects(soapPullNext(failingClock(2), input), /clock failure/);
      assert.equal(await seen(signature.signatureValue), false, 'the failed pull is not remembered');
      const leased = await app.database.db
        .selectFrom('documents')
        .select('id')
        .where('lease_owner', '=', `system:${system.id}`)
        .execute();
      assert.equal(leased.length, 0, 'nothing leased');

      const pulled = await soapPullNext(app.deps, input);
      assert.ok(pulled, 'the same request, sent again, leases a document');
      assert.equal(await seen(signature.signatureValue), true);
      await assert.rejects(
        soapPullNext(app.deps, input),
        (error: Error & { code?: string }) => error.code === 'replay',
      );
      const stillLeased = await app.database.db
        .selectFrom('documents')
        .select('id')
        .where('lease_owner', '=', `system:${system.id}`)
        .execute();
      assert.deepEqual(
        stillLeased.map((r) => r.id),
        [pulled.document.documentId],
        'the replay leased nothing more',
      );

      // An acknowledgement that fails inside its transaction records nothing and confirms nothing.
      const skrot = createHash('sha1').update(pulled.content).digest('base64');
      const ack = {
        system,
        boxName: 'skrytka',
        skrot,
        signature: { signatureValue: randomUUID(), keepMs: 60_000 },
      };
      await assert.rejects(soapAcknowledge(failingClock(2), ack), /clock failure/);
      assert.equal(
        await seen(ack.signature.signatureValue),
        false,
        'the failed acknowledgement is not remembered',
      );
      const unconfirmed = await app.database.db
        .selectFrom('documents')
        .select('acked_at')
        .where('id', '=', pulled.document.documentId)
        .executeTakeFirstOrThrow();
      assert.equal(unconfirmed.acked_at, null, 'not acknowledged');
      assert.equal(await soapAcknowledge(app.deps, ack), true, 'sent again, it acknowledges');
      await assert.rejects(
        soapAcknowledge(app.deps, ack),
        (error: Error & { code?: string }) => error.code === 'replay',
      );
      // A digest that matches nothing acknowledges nothing, and its request is remembered all the same.
      const wrong = { ...ack, skrot: 'AAAA', signature: { signatureValue: randomUUID(), keepMs: 60_000 } };
      assert.equal(await soapAcknowledge(app.deps, wrong), false);
      assert.equal(await seen(wrong.signature.signatureValue), true);
    });
  });
}
