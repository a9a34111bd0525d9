import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { listenLocally, markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startS3, type TestS3 } from '../helpers/s3';
import { samplePdf } from '../helpers/sample-files';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const dialect of testDialects()) {
  describe(`files in S3 (${dialect})`, () => {
    let s3: TestS3;
    let app: TestApp;
    let base: string;

    before(async () => {
      s3 = await startS3();
      app = await startTestApp(dialect, { demo: true, env: s3.env });
      await markDemoLettersTaken(app);
      base = await listenLocally(app);
    });
    after(async () => {
      await app.dispose();
      await s3.stop();
    });

    test('a document filed through the API is stored in the bucket, not in DATA_DIR, and read back intact', async () => {
      const submit = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Kancelaria',
        })
      ).token;
      const pull = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
      ).token;
      const pdf = samplePdf('Wniosek przechowany w S3');
      const attachment = Buffer.from('Załącznik: zażółć gęślą jaźń\n');
      const form = new FormData();
      form.append('title', 'Wniosek');
      form.append('document', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'wniosek.pdf');
      form.append(
        'attachment',
        new Blob([new Uint8Array(attachment)], { type: 'text/plain' }),
        'zalacznik.txt',
      );
      const filed = await fetch(`${base}/api/v1/boxes/umczestochowa/skrytka/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${submit}` },
        body: form,
      });
      assert.equal(filed.status, 201, await filed.clone().text());

      const keys = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      const stored = (keys.Contents ?? []).map((c) => c.Key);
      assert.ok(stored.includes(`blobs/${sha(pdf)}`), 'the document is an object in the bucket');
      assert.ok(stored.includes(`blobs/${sha(attachment)}`), 'so is its attachment');
      assert.equal(
        fs.existsSync(path.join(app.env.config.dataDir, 'blobs')),
        false,
        'nothing under DATA_DIR/blobs',
      );
      assert.deepEqual(
        fs.readdirSync(path.join(app.env.config.dataDir, 'staging')),
        [],
        'no staging file left',
      );

      const next = await fetch(`${base}/api/v1/boxes/umczestochowa/skrytka/pending/next`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pull}` },
      });
      assert.equal(next.status, 200);
      const leased = (await next.json()) as { files: { href: string; sha256: string }[] };
      assert.deepEqual(
        leased.files.map((f) => f.sha256),
        [sha(pdf), sha(attachment)],
      );
      for (const [i, content] of [pdf, attachment].entries()) {
        const download = await fetch(`${base}${leased.files[i]!.href}`, {
          headers: { authorization: `Bearer ${pull}` },
        });
        assert.equal(download.status, 200);
        assert.deepEqual(Buffer.from(await download.arrayBuffer()), content);
      }
    });

    test('readiness asks the bucket: ready with it; a missing bucket stops the start, named', async () => {
      const ready = await fetch(`${base}/readyz`);
      assert.equal(ready.status, 200, await ready.clone().text());
      await assert.rejects(
        startTestApp(dialect, { env: { ...s3.env, S3_BUCKET: 'no-such-bucket' } }),
        /object store does not answer \(bucket "no-such-bucket"\)/,
      );
    });
  });
}
