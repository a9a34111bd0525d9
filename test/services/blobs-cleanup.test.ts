import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/ports/clock';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startS3, type TestS3 } from '../helpers/s3';
import { pdf, samplePdf } from '../helpers/sample-files';

const MINUTE = 60_000;

for (const dialect of testDialects()) {
  for (const store of ['filesystem', 's3'] as const) {
    describe(`orphan blob cleanup (${dialect}, ${store})`, () => {
      let s3: TestS3 | undefined;
      let app: TestApp;
      const clock = new ManualClock(new Date());

      before(async () => {
        s3 = store === 's3' ? await startS3() : undefined;
        app = await startTestApp(dialect, {
          demo: true,
          clock,
          env: { JOBS_POLL_MS: '0', ...(s3?.env ?? {}) },
        });
      });
      after(async () => {
        await app.dispose();
        await s3?.stop();
      });

      /** Every blob some row names: documents, their files, deliveries' files, drafts' files. */
      async function referenced(): Promise<string[]> {
        const db = app.database.db;
        const all = [
          ...(await db.selectFrom('documents').select('main_sha256 as sha256').execute()),
          ...(await db.selectFrom('document_files').select('sha256').execute()),
          ...(await db.selectFrom('delivery_files').select('sha256').execute()),
          ...(await db.selectFrom('letter_draft_files').select('sha256').execute()),
        ];
        return [...new Set(all.map((r) => r.sha256))];
      }

      test('an old orphan goes; referenced blobs, a young orphan and an orphan committed again stay', async () => {
        const blobs = app.deps.blobs;
        const accounts = await app.database.db
          .selectFrom('accounts')
          .select(['id', 'email', 'display_name'])
          .execute();
        const resident = accounts.find((a) => a.email === 'mieszkaniec@example.pl')!;
        const clerk = accounts.find((a) => a.email === 'urzednik@example.pl')!;
        // Rows of every kind that names a blob, beside the demo's filed documents.
        await app.services.saveDraft({
          accountId: resident.id,
          raw: {
            officeId: 'umczestochowa',
            kind: 'podanie',
            title: 'Szkic',
            place: 'Częstochowa',
            body: 'Treść szkicu',
          },
          newFiles: [{ name: 'szkic.pdf', staged: await blobs.stage(samplePdf('Załącznik szkicu')) }],
          remove: [],
        });
        await app.services.deliverLetter({
          officeId: 'umczestochowa',
          sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
          recipientPesel: DEMO_RESIDENT_PESEL,
          title: 'Odpowiedź',
          files: [
            {
              field: 'document',
              name: 'odpowiedz.pdf',
              staged: await blobs.stage(await pdf('Odpowiedź urzędu')),
            },
          ],
        });
        const kept = await referenced();
        for (const table of ['document_files', 'delivery_files', 'letter_draft_files'] as const) {
          assert.ok(
            (await app.database.db.selectFrom(table).select('sha256').execute()).length > 0,
            `${table} names a blob`,
          );
        }

        const oldOrphan = await blobs.put(Buffer.from('an upload whose filing never committed'));
        const revived = await blobs.put(Buffer.from('the same content, filed again later'));
        const oldTime = (await blobs.stat(oldOrphan.sha256))!.modifiedAt.getTime();
        // S3 keeps whole seconds: the young ones must be at least a second younger.
        await sleep(1100);
        const youngOrphan = await blobs.put(Buffer.from('a filing in progress'));
        await blobs.put(Buffer.from('the same content, filed again later'));
        // An hour after the old orphan was stored, and less after the rest.
        clock.set(new Date(oldTime + 60 * MINUTE + 500));

        const dry = await app.services.cleanUpOrphanBlobs({ olderThanMinutes: 60, dryRun: true });
        assert.deepEqual(
          dry.removed.map((b) => b.sha256),
          [oldOrphan.sha256],
        );
        assert.equal(await blobs.has(oldOrphan.sha256), true, 'a dry run removes nothing');

        const run = await app.services.cleanUpOrphanBlobs({ olderThanMinutes: 60, dryRun: false });
        assert.deepEqual(
          run.removed.map((b) => b.sha256),
          [oldOrphan.sha256],
        );
        assert.equal(run.examined, kept.length + 3);
        assert.equal(await blobs.has(oldOrphan.sha256), false);
        assert.equal(await blobs.has(youngOrphan.sha256), true, 'a young orphan may be a filing in progress');
        assert.equal(await blobs.has(revived.sha256), true, 'committing the content again renewed it');
        for (const sha of kept) assert.equal(await blobs.has(sha), true, `referenced blob ${sha} kept`);

        // Later still, the young orphans go too, the referenced blobs never.
        clock.set(new Date(oldTime + 3 * 60 * MINUTE));
        const later = await app.services.cleanUpOrphanBlobs({ olderThanMinutes: 60, dryRun: false });
        assert.deepEqual(
          later.removed.map((b) => b.sha256).sort(),
          [youngOrphan.sha256, revived.sha256].sort(),
        );
        for (const sha of kept) assert.equal(await blobs.has(sha), true, `referenced blob ${sha} kept`);
      });
    });
  }
}
