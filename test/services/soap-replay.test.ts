import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`SOAP request signatures recorded against replay (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, {});
    });
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
  });
}
