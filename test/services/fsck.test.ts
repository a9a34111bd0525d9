import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp, type App } from '../../src/app';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import type { FsckCheck, FsckReport } from '../../src/services/fsck';
import { testDialects, testEnvironment, type TestEnvironment } from '../helpers/databases';
import { pdf, png } from '../helpers/sample-files';

const blobPath = (dataDir: string, sha256: string) =>
  path.join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);

for (const dialect of testDialects()) {
  describe(`fsck (${dialect})`, () => {
    let env: TestEnvironment;
    let app: App;
    /** A filed document with an attachment, the one each test breaks. */
    let doc: { documentId: string; receiptId: string; files: { sha256: string }[] };
    let deliveryId: string;
    let deliverySha: string;

    const fsck = (quick = false) => app.services.fsck({ quick });
    const only = (report: FsckReport) => report.problems.map((p) => p.check).sort();
    const assertClean = async () => {
      const report = await fsck();
      assert.deepEqual(report.problems, []);
      assert.equal(report.clean, true);
    };
    /** Breaks one thing, checks the report names it, then repairs it and checks fsck is clean again. */
    const whileBroken = async (
      broken: () => Promise<void>,
      repair: () => Promise<void>,
      check: (report: FsckReport) => void,
    ) => {
      await broken();
      try {
        check(await fsck());
      } finally {
        await repair();
      }
      await assertClean();
    };
    const named = (report: FsckReport, kind: FsckCheck) => {
      const found = report.problems.filter((p) => p.check === kind);
      assert.ok(found.length > 0, `${kind} in ${JSON.stringify(report.problems)}`);
      return found;
    };

    before(async () => {
      env = await testEnvironment(dialect, { JOBS_POLL_MS: '0' });
      app = await createApp({ config: env.config, ...(env.pgSchema ? { pgSchema: env.pgSchema } : {}) });
      await app.services.createDemoData({ password: 'demo-password-123' });
      const blobs = app.deps.blobs;
      const main = await pdf('Wniosek o zaświadczenie');
      const attachment = png();
      const filed = await app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: { type: 'token', ref: 'fsck-test', name: 'Kancelaria' },
        files: [
          { field: 'document', name: 'wniosek.pdf', staged: await blobs.stage(main) },
          { field: 'attachment', name: 'skan.png', staged: await blobs.stage(attachment) },
        ],
      });
      const files = await app.database.db
        .selectFrom('document_files')
        .select('sha256')
        .where('document_id', '=', filed.documentId)
        .orderBy('position')
        .execute();
      doc = { documentId: filed.documentId, receiptId: filed.receiptId, files };
      // A later filing, so the broken document's log entry is not the last one.
      await app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: { type: 'token', ref: 'fsck-test', name: 'Kancelaria' },
        files: [{ field: 'document', name: 'pismo.pdf', staged: await blobs.stage(await pdf('Pismo')) }],
      });
      const clerk = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('email', '=', 'urzednik@example.pl')
        .executeTakeFirstOrThrow();
      const answer = await pdf('Odpowiedź urzędu');
      const sent = await app.services.deliverLetter({
        officeId: 'umczestochowa',
        sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
        recipientPesel: DEMO_RESIDENT_PESEL,
        title: 'Odpowiedź na wniosek',
        files: [{ field: 'document', name: 'odpowiedz.pdf', staged: await blobs.stage(answer) }],
      });
      deliveryId = sent.deliveryId;
      deliverySha = (
        await app.database.db
          .selectFrom('delivery_files')
          .select('sha256')
          .where('delivery_id', '=', deliveryId)
          .executeTakeFirstOrThrow()
      ).sha256;
      await app.services.signCheckpointIfGrown();
    });
    after(async () => {
      await app.close();
      await env.cleanup();
    });

    test('a clean installation is clean, in full and quick mode, with what it checked counted', async () => {
      const report = await fsck();
      assert.deepEqual(report.problems, []);
      assert.equal(report.clean, true);
      assert.equal(report.mode, 'full');
      // Three demo letters and two filings; the demo's delivery and one more (each proof of
      // sending is a receipt too).
      assert.equal(report.counts.documents, 5);
      assert.equal(report.counts.documentFiles, 6);
      assert.equal(report.counts.deliveries, 2);
      assert.equal(report.counts.receipts, 7);
      assert.equal(report.counts.logEntries, 7);
      assert.equal(report.counts.checkpointSize, 7);
      assert.equal((await fsck(true)).clean, true);
    });

    test('a deleted blob is reported with the document id, in quick mode too', async () => {
      const file = blobPath(env.config.dataDir, doc.files[1]!.sha256);
      const aside = `${file}.aside`;
      await whileBroken(
        async () => fs.renameSync(file, aside),
        async () => fs.renameSync(aside, file),
        (report) => {
          assert.deepEqual(only(report), ['blob-missing']);
          const [problem] = named(report, 'blob-missing');
          assert.equal(problem!.documentId, doc.documentId);
          assert.match(problem!.detail, /skan\.png/);
        },
      );
      fs.renameSync(file, aside);
      try {
        assert.deepEqual(only(await fsck(true)), ['blob-missing']);
      } finally {
        fs.renameSync(aside, file);
      }
    });

    test('corrupted blob bytes are found by re-hashing, not by the quick check', async () => {
      const file = blobPath(env.config.dataDir, doc.files[0]!.sha256);
      const original = fs.readFileSync(file);
      const corrupted = Buffer.from(original);
      corrupted[corrupted.length >> 1]! ^= 0xff;
      await whileBroken(
        async () => fs.writeFileSync(file, corrupted),
        async () => fs.writeFileSync(file, original),
        (report) => {
          assert.deepEqual(only(report), ['blob-corrupt']);
          const [problem] = named(report, 'blob-corrupt');
          assert.equal(problem!.documentId, doc.documentId);
          assert.match(problem!.detail, /wniosek\.pdf.*hash to [0-9a-f]{64}/);
        },
      );
      fs.writeFileSync(file, corrupted);
      try {
        assert.equal((await fsck(true)).clean, true, 'quick mode checks presence only');
      } finally {
        fs.writeFileSync(file, original);
      }
    });

    test('a deleted log entry is a gap and the receipt it held is not in the log', async () => {
      const receipt = await app.database.db
        .selectFrom('receipts')
        .select('log_index')
        .where('id', '=', doc.receiptId)
        .executeTakeFirstOrThrow();
      const leaf = await app.database.db
        .selectFrom('tlog_leaves')
        .selectAll()
        .where('leaf_index', '=', receipt.log_index!)
        .executeTakeFirstOrThrow();
      await whileBroken(
        async () =>
          void (await app.database.db
            .deleteFrom('tlog_leaves')
            .where('leaf_index', '=', leaf.leaf_index)
            .execute()),
        async () => void (await app.database.db.insertInto('tlog_leaves').values(leaf).execute()),
        (report) => {
          assert.deepEqual(only(report), ['checkpoint-inconsistent', 'log-gap', 'receipt-not-in-log']);
          const [problem] = named(report, 'receipt-not-in-log');
          assert.equal(problem!.documentId, doc.documentId);
          assert.equal(problem!.receiptId, doc.receiptId);
          assert.equal(named(report, 'log-gap')[0]!.logIndex, leaf.leaf_index);
        },
      );
    });

    test("an altered receipt's XML does not verify and no longer matches its log entry", async () => {
      const { xml } = await app.database.db
        .selectFrom('receipts')
        .select('xml')
        .where('id', '=', doc.receiptId)
        .executeTakeFirstOrThrow();
      const altered = xml.replace('skan.png', 'skan.jpg');
      assert.notEqual(altered, xml);
      const setXml = (value: string) => async () =>
        void (await app.database.db
          .updateTable('receipts')
          .set({ xml: value })
          .where('id', '=', doc.receiptId)
          .execute());
      await whileBroken(setXml(altered), setXml(xml), (report) => {
        assert.deepEqual(only(report), [
          'receipt-files-mismatch',
          'receipt-hash-mismatch',
          'receipt-invalid',
          'receipt-not-in-log',
        ]);
        for (const problem of report.problems) assert.equal(problem.documentId, doc.documentId);
        assert.match(named(report, 'receipt-invalid')[0]!.detail, /changed after signing/);
      });
    });

    test('a receipt whose document is gone, and a delivery without its file, are reported', async () => {
      const files = await app.database.db
        .selectFrom('document_files')
        .selectAll()
        .where('document_id', '=', doc.documentId)
        .execute();
      const row = await app.database.db
        .selectFrom('documents')
        .selectAll()
        .where('id', '=', doc.documentId)
        .executeTakeFirstOrThrow();
      await whileBroken(
        async () => {
          await app.database.db
            .deleteFrom('document_files')
            .where('document_id', '=', doc.documentId)
            .execute();
          await app.database.db.deleteFrom('documents').where('id', '=', doc.documentId).execute();
        },
        async () => {
          await app.database.db.insertInto('documents').values(row).execute();
          await app.database.db.insertInto('document_files').values(files).execute();
        },
        (report) => {
          assert.deepEqual(only(report), ['receipt-without-subject']);
          assert.equal(report.problems[0]!.documentId, doc.documentId);
        },
      );
      const file = blobPath(env.config.dataDir, deliverySha);
      await whileBroken(
        async () => fs.renameSync(file, `${file}.aside`),
        async () => fs.renameSync(`${file}.aside`, file),
        (report) => {
          assert.deepEqual(only(report), ['blob-missing']);
          assert.equal(report.problems[0]!.deliveryId, deliveryId);
        },
      );
    });

    // The command's wiring once, on the embedded setup (each run starts a process; the crash test runs it on PostgreSQL).
    if (dialect === 'sqlite')
      test('cli fsck: exit 0 and OK when clean; exit 1 naming the check and document; --json', async () => {
        const env2 = {
          ...process.env,
          DATA_DIR: env.config.dataDir,
          LOG_LEVEL: 'warn',
          DATABASE_URL: pgUrl(env),
        };
        const run = (...args: string[]) =>
          spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'fsck', ...args], {
            env: env2,
            encoding: 'utf8',
          });
        const clean = run();
        assert.equal(clean.status, 0, clean.stderr + clean.stdout);
        assert.match(clean.stdout, /OK: no inconsistencies found/);
        const file = blobPath(env.config.dataDir, doc.files[1]!.sha256);
        fs.renameSync(file, `${file}.aside`);
        try {
          const broken = run('--quick');
          assert.equal(broken.status, 1, broken.stderr);
          assert.match(
            broken.stdout,
            new RegExp(
              `\\[!!\\] blob-missing: document ${doc.documentId}: file 1 \\(attachment "skan\\.png"\\)`,
            ),
          );
          assert.match(broken.stdout, /INCONSISTENT: 1 problems \(blob-missing 1\)/);
          const json = run('--json');
          assert.equal(json.status, 1);
          const parsed = JSON.parse(json.stdout) as FsckReport;
          assert.equal(parsed.clean, false);
          assert.equal(parsed.problems[0]!.documentId, doc.documentId);
        } finally {
          fs.renameSync(`${file}.aside`, file);
        }
        assert.equal(run('--frobnicate').status, 2);
      });
  });
}

/** The DATABASE_URL a child process needs to work in this environment's schema ('' on SQLite). */
function pgUrl(env: TestEnvironment): string {
  if (!env.pgSchema) return '';
  const url = new URL(env.config.databaseUrl!);
  url.searchParams.set('options', `-c search_path=${env.pgSchema}`);
  return url.toString();
}
