import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { samplePdf } from '../helpers/sample-files';

for (const dialect of testDialects()) {
  describe(`pull queue (${dialect})`, () => {
    let app: TestApp;
    let submit: string;
    let pull: string;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    async function fileOne(i: number): Promise<{ documentId: string; sha256: string }> {
      const pdf = samplePdf(`dokument ${i}`);
      const boundary = 'b0undary';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="d${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        pdf,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/documents',
        headers: { ...bearer(submit), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      assert.equal(res.statusCode, 201, res.body);
      const { documentId } = res.json() as { documentId: string };
      const { createHash } = await import('node:crypto');
      return { documentId, sha256: createHash('sha256').update(pdf).digest('hex') };
    }

    before(async () => {
      app = await startTestApp(dialect, { demo: true, clock });
      submit = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Nadawca',
        })
      ).token;
      pull = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
      ).token;
      await markDemoLettersTaken(app);
    });
    after(async () => app.dispose());

    test('count, next with a lease, acknowledge by digest; a lapsed lease hands the document out again', async () => {
      const a = await fileOne(1);
      const b = await fileOne(2);
      const count = await app.http.inject({
        url: '/api/v1/boxes/umczestochowa/skrytka/pending',
        headers: bearer(pull),
      });
      assert.deepEqual(count.json(), { count: 2 });

      const first = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        headers: bearer(pull),
      });
      assert.equal(first.statusCode, 200);
      const leased = first.json() as {
        documentId: string;
        leaseUntil: string;
        receiptId: string;
        files: { href: string; sha256: string }[];
      };
      assert.equal(leased.documentId, a.documentId, 'oldest first');
      assert.equal(leased.leaseUntil, '2026-11-26T10:01:00.000Z');
      assert.ok(leased.receiptId);
      const download = await app.http.inject({ url: leased.files[0]!.href, headers: bearer(pull) });
      assert.equal(download.statusCode, 200);
      assert.match(download.headers['content-disposition'] as string, /^attachment/);
      assert.equal(download.headers['x-content-type-options'], 'nosniff');

      const second = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        headers: bearer(pull),
      });
      assert.equal(
        (second.json() as { documentId: string }).documentId,
        b.documentId,
        'a leased document is not handed out twice',
      );
      const empty = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        headers: bearer(pull),
      });
      assert.equal(empty.statusCode, 204);
      assert.equal(empty.headers['retry-after'], '5');

      const wrong = await app.http.inject({
        method: 'POST',
        url: `/api/v1/documents/${a.documentId}/ack`,
        headers: bearer(pull),
        payload: { sha256: b.sha256 },
      });
      assert.equal(wrong.statusCode, 409);
      const ack = await app.http.inject({
        method: 'POST',
        url: `/api/v1/documents/${a.documentId}/ack`,
        headers: bearer(pull),
        payload: { sha256: a.sha256 },
      });
      assert.equal(ack.statusCode, 204);
      const again = await app.http.inject({
        method: 'POST',
        url: `/api/v1/documents/${a.documentId}/ack`,
        headers: bearer(pull),
        payload: { sha256: a.sha256 },
      });
      assert.equal(again.statusCode, 204);

      clock.advance(61_000);
      const redelivered = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        headers: bearer(pull),
      });
      assert.equal(
        (redelivered.json() as { documentId: string }).documentId,
        b.documentId,
        'the lapsed lease is handed out again',
      );
      const ackB = await app.http.inject({
        method: 'POST',
        url: `/api/v1/documents/${b.documentId}/ack`,
        headers: bearer(pull),
        payload: { sha256: b.sha256 },
      });
      assert.equal(ackB.statusCode, 204);
      assert.deepEqual(
        (
          await app.http.inject({ url: '/api/v1/boxes/umczestochowa/skrytka/pending', headers: bearer(pull) })
        ).json(),
        { count: 0 },
      );
      const stillInBox = await app.http.inject({
        url: `/api/v1/documents/${a.documentId}`,
        headers: bearer(pull),
      });
      assert.equal(stillInBox.statusCode, 200, 'acknowledged documents stay in the box');
    });

    test('bad bodies and other tokens are refused', async () => {
      const { documentId } = await fileOne(3);
      const unknownField = await app.http.inject({
        method: 'POST',
        url: `/api/v1/documents/${documentId}/ack`,
        headers: bearer(pull),
        payload: { sha256: 'a'.repeat(64), extra: 1 },
      });
      assert.equal(unknownField.statusCode, 400);
      const malformed = await app.http.inject({
        method: 'POST',
        url: `/api/v1/documents/${documentId}/ack`,
        headers: { ...bearer(pull), 'content-type': 'application/json' },
        payload: '{"sha256":',
      });
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.headers['content-type'] as string, /problem\+json/);
      const asSubmitter = await app.http.inject({
        method: 'POST',
        url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        headers: bearer(submit),
      });
      assert.equal(asSubmitter.statusCode, 403);
    });

    test('8 concurrent pullers drain the box with no duplicates and no losses', async () => {
      // Empty the queue of earlier tests first.
      for (;;) {
        const res = await app.http.inject({
          method: 'POST',
          url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
          headers: bearer(pull),
        });
        if (res.statusCode === 204) break;
        const doc = res.json() as { documentId: string; files: { sha256: string }[] };
        await app.http.inject({
          method: 'POST',
          url: `/api/v1/documents/${doc.documentId}/ack`,
          headers: bearer(pull),
          payload: { sha256: doc.files[0]!.sha256 },
        });
      }
      const filed = new Map<string, string>();
      for (let i = 0; i < 60; i++) {
        const f = await fileOne(100 + i);
        filed.set(f.documentId, f.sha256);
      }
      const taken: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (;;) {
            const res = await app.http.inject({
              method: 'POST',
              url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
              headers: bearer(pull),
            });
            if (res.statusCode === 204) return;
            const doc = res.json() as { documentId: string };
            taken.push(doc.documentId);
            const ack = await app.http.inject({
              method: 'POST',
              url: `/api/v1/documents/${doc.documentId}/ack`,
              headers: bearer(pull),
              payload: { sha256: filed.get(doc.documentId) },
            });
            assert.equal(ack.statusCode, 204);
          }
        }),
      );
      assert.equal(taken.length, filed.size, 'every document handed out exactly once');
      assert.equal(new Set(taken).size, taken.length, 'no duplicates');
      assert.deepEqual(new Set(taken), new Set(filed.keys()), 'no losses');
    });
  });
}
