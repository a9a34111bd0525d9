import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyExportFile } from '../../src/cli/verify-export';
import type { ExportManifest } from '../../src/domain/export/manifest';
import { parseVerifierKey } from '../../src/domain/tlog/index';
import { ManualClock } from '../../src/ports/clock';
import { csrfFrom, listenLocally, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { AWAITING_TITLE, lettersForResident, pastClockStart, unzip } from '../helpers/export-data';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

for (const dialect of testDialects()) {
  describe(`the resident's export (${dialect})`, () => {
    let app: TestApp;
    let letters: Awaited<ReturnType<typeof lettersForResident>>;
    const clock = new ManualClock(pastClockStart());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-export-'));

    before(async () => {
      app = await startTestApp(dialect, { demo: true, clock, env: { JOBS_POLL_MS: '0' } });
      letters = await lettersForResident(app, clock);
    });
    after(async () => {
      await app.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const download = async (client: WebClient) => {
      const page = await client.get('/konto/eksport');
      assert.equal(page.statusCode, 200);
      return client.post('/konto/eksport', {});
    };

    test('anonymous: the page and the download lead to the login; no ZIP without a CSRF token', async () => {
      const anonymous = new WebClient(app.http);
      const page = await anonymous.get('/konto/eksport');
      assert.equal(page.statusCode, 303);
      assert.match(String(page.headers.location), /^\/logowanie/);
      const post = await app.http.inject({ method: 'POST', url: '/konto/eksport', payload: {} });
      assert.notEqual(post.statusCode, 200);
      assert.notEqual(post.headers['content-type'], 'application/zip');

      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const forged = await app.http.inject({
        method: 'POST',
        url: '/konto/eksport',
        headers: { cookie: resident.cookies },
        payload: {},
      });
      assert.equal(forged.statusCode, 403);
      assert.notEqual(forged.headers['content-type'], 'application/zip');
    });

    test('the page and the links from /pisma and /konto, in Polish and English, without scripts', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      for (const from of ['/pisma', '/konto'])
        assert.match(
          (await resident.get(from)).body,
          /href="\/konto\/eksport"[^>]*>\s*Pobierz wszystkie swoje pisma i poświadczenia \(ZIP\)/,
        );
      const page = await resident.get('/konto/eksport');
      assert.match(page.body, /<form method="post" action="\/konto\/eksport"/);
      assert.match(page.body, /name="_csrf"/);
      assert.match(page.body, /Pobierz eksport \(ZIP\)/);
      assert.doesNotMatch(page.body, /<script(?![^>]*src=)/, 'no inline script');
      const english = await resident.get('/konto/eksport?lang=en');
      assert.match(english.body, /Export your letters and receipts/);
      assert.match(english.body, /Download the export \(ZIP\)/);
      assert.match(english.body, /README\.txt in the archive says how to check the export/);
      // Residents are never told to run developer commands (docs/style-guide.md).
      for (const body of [page.body, english.body]) {
        assert.doesNotMatch(body, /npm|\bCLI\b/);
        assert.match(body, /href="\/weryfikacja"/);
      }
    });

    test('the resident gets everything of theirs: filed letters, received letters with proofs, notices, checkpoint and proofs; it verifies', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const res = await download(resident);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.equal(res.headers['content-type'], 'application/zip');
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="eksport-\d{4}-\d{2}-\d{2}\.zip"$/,
      );
      assert.equal(res.headers['cache-control'], 'no-store');
      const zip = res.rawPayload;
      const entries = await unzip(zip);
      const manifest = JSON.parse(
        entries.find((e) => e.path === 'manifest.json')!.bytes.toString('utf8'),
      ) as ExportManifest;

      // Every entry but the manifest is listed once, with its digest and size.
      assert.deepEqual(
        entries
          .map((e) => e.path)
          .filter((p) => p !== 'manifest.json')
          .sort(),
        manifest.files.map((f) => f.path).sort(),
      );
      for (const e of entries.filter((x) => x.path !== 'manifest.json')) {
        const listed = manifest.files.find((f) => f.path === e.path)!;
        assert.deepEqual([listed.sha256, listed.size], [sha256(e.bytes), e.bytes.length], e.path);
      }

      const account = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      const documents = await app.database.db
        .selectFrom('documents')
        .select(['id', 'receipt_id'])
        .where('sender_ref', '=', account.id)
        .execute();
      assert.ok(documents.length >= 2, 'the demo resident has filed letters');
      assert.deepEqual(manifest.filed.map((l) => l.id).sort(), documents.map((d) => d.id).sort());
      for (const d of documents) {
        const upp = manifest.files.find((f) => f.kind === 'receipt' && f.receiptId === d.receipt_id)!;
        assert.equal(upp.receiptKind, 'UPP');
        assert.ok(upp.inclusionProof, 'every receipt is under the checkpoint');
        const stored = await app.database.db
          .selectFrom('receipts')
          .select('xml')
          .where('id', '=', d.receipt_id)
          .executeTakeFirstOrThrow();
        assert.equal(
          entries.find((e) => e.path === upp.path)!.bytes.toString('utf8'),
          stored.xml,
          'the receipt exactly as issued',
        );
        const files = await app.database.db
          .selectFrom('document_files')
          .select(['sha256'])
          .where('document_id', '=', d.id)
          .execute();
        for (const f of files)
          assert.ok(
            manifest.files.some(
              (m) => m.kind === 'document-file' && m.sha256 === f.sha256 && m.receipts?.includes(upp.path),
            ),
          );
      }

      // The deemed letters (the demo's and ours): their files and both proofs. The awaiting one: a
      // notice, nothing of its content.
      const deemed = await app.database.db
        .selectFrom('deliveries')
        .select('id')
        .where('recipient_account_id', '=', account.id)
        .where('status', '=', 'deemed')
        .execute();
      assert.ok(deemed.some((d) => d.id === letters.deemedId));
      assert.deepEqual(
        manifest.received.map((l) => [l.id, l.status]).sort(),
        deemed.map((d) => [d.id, 'deemed']).sort(),
      );
      assert.deepEqual(
        manifest.files
          .filter((f) => f.kind === 'receipt' && f.documentId === letters.deemedId)
          .map((f) => f.receiptKind),
        ['sending', 'UPD'],
      );
      assert.equal(
        manifest.files.filter(
          (f) => f.kind === 'document-file' && f.path.startsWith(`pisma-otrzymane/${letters.deemedId}/`),
        ).length,
        1,
      );
      assert.deepEqual(
        manifest.awaiting.map((n) => [n.deliveryId, n.officeName]),
        [[letters.awaitingId, 'Urząd Miasta Częstochowy']],
      );
      assert.ok(
        !manifest.files.some(
          (f) =>
            f.sha256 === letters.awaitingSha256 ||
            f.path.includes(letters.awaitingId) ||
            f.documentId === letters.awaitingId,
        ),
      );
      for (const e of entries)
        assert.ok(
          !e.bytes.includes(Buffer.from(AWAITING_TITLE)),
          `${e.path} holds nothing of the awaiting letter`,
        );

      const readme = entries.find((e) => e.path === 'README.txt')!.bytes.toString('utf8');
      assert.match(readme, /Jak sprawdzić bez dostępu do internetu/);
      assert.match(readme, /How to check it without the internet/);
      assert.match(readme, /npm run cli -- verify eksport\.zip --ca ca\.pem --log-key log\.key/);

      // The export is audited, with counts only.
      const audit = await app.database.db
        .selectFrom('audit_log')
        .select(['actor_id', 'details'])
        .where('action', '=', 'account.exported')
        .execute();
      assert.equal(audit.length, 1);
      assert.deepEqual(JSON.parse(audit[0]!.details), {
        awaiting: 1,
        filed: documents.length,
        files: manifest.files.length,
        received: deemed.length,
      });

      // And it verifies offline with the installation's CA and log key.
      const file = path.join(dir, 'eksport.zip');
      fs.writeFileSync(file, zip);
      const trust = {
        trustedCaPems: await app.deps.seals.trustedCaPems(),
        verifier: parseVerifierKey(app.services.logVerifierKey()),
      };
      const verification = await verifyExportFile(file, trust);
      assert.equal(
        verification.valid,
        true,
        JSON.stringify(
          verification.items.filter((i) => i.findings.some((f) => !f.ok)),
          null,
          1,
        ),
      );
      // A UPP per filed letter, a proof of sending and a UPD per deemed letter.
      const evidence = documents.length + 2 * deemed.length;
      assert.deepEqual(verification.counts, {
        files: manifest.files.length,
        receipts: evidence,
        proofs: evidence,
      });
    });

    test('over a real connection the ZIP is streamed (chunked, no length known beforehand) and verifies', async () => {
      const base = await listenLocally(app);
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const page = await resident.get('/konto/eksport');
      const res = await fetch(`${base}/konto/eksport`, {
        method: 'POST',
        headers: { cookie: resident.cookies, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrfFrom(page.body) }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('transfer-encoding'), 'chunked');
      assert.equal(res.headers.get('content-length'), null);
      const file = path.join(dir, 'streamed.zip');
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const trust = {
        trustedCaPems: await app.deps.seals.trustedCaPems(),
        verifier: parseVerifierKey(app.services.logVerifierKey()),
      };
      assert.equal((await verifyExportFile(file, trust)).valid, true);
    });

    test('another resident gets nothing of the first', async () => {
      const first = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      const theirs = await app.database.db
        .selectFrom('documents')
        .select(['id', 'receipt_id'])
        .where('sender_ref', '=', first.id)
        .execute();
      const other = new WebClient(app.http);
      await other.logIn('urzednik@example.pl', PASSWORD);
      const res = await download(other);
      assert.equal(res.statusCode, 200);
      const entries = await unzip(res.rawPayload);
      const manifest = JSON.parse(
        entries.find((e) => e.path === 'manifest.json')!.bytes.toString('utf8'),
      ) as ExportManifest;
      assert.deepEqual(
        [manifest.filed.length, manifest.received.length, manifest.awaiting.length],
        [0, 0, 0],
      );
      assert.deepEqual(manifest.files.map((f) => f.kind).sort(), [
        'ca-certificate',
        'checkpoint',
        'log-key',
        'readme',
      ]);
      const all = Buffer.concat(entries.map((e) => e.bytes)).toString('utf8');
      for (const id of [
        ...theirs.flatMap((d) => [d.id, d.receipt_id]),
        letters.deemedId,
        letters.awaitingId,
        first.id,
      ])
        assert.ok(!all.includes(id), `nothing of ${id}`);
    });
  });
}
