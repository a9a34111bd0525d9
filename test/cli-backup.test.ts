import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backupDataDir, restoreDataDir } from '../src/adapters/embedded-backup';
import { createApp, type App } from '../src/app';
import { backupCommand } from '../src/cli/backup';
import { parseManifest, type BackupManifest } from '../src/domain/backup-manifest';
import { AppError } from '../src/domain/errors';
import { verifyReceipt } from '../src/domain/receipts/index';
import { parseInclusionProof, parseVerifierKey } from '../src/domain/tlog/index';
import { checkLogInclusion, judge, matchFiles, type GivenFile } from '../src/domain/verification/index';
import { translate } from '../src/i18n/index';
import { listenLocally, startTestApp, type TestApp } from './helpers/app';
import { png, samplePdf } from './helpers/sample-files';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const BOX = '/api/v1/boxes/umczestochowa/skrytka/documents';
const CLIENTS = 4;

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      cwd: process.cwd(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Filing {
  documentId: string;
  receiptId: string;
  /** When the 201 arrived (performance.now()). */
  ackedAt: number;
}

/** Files one document through the API over HTTP; a unique main file each time. */
async function fileOne(url: string, token: string, n: number): Promise<Filing> {
  const form = new FormData();
  form.append('title', `Wniosek nr ${n}`);
  form.append(
    'document',
    new Blob([new Uint8Array(samplePdf(`Wniosek numer ${n} ${Math.random()}`))]),
    `wniosek-${n}.pdf`,
  );
  form.append('attachment', new Blob([new Uint8Array(png())]), 'skan.png');
  const res = await fetch(`${url}${BOX}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`filing ${n}: ${res.status} ${body}`);
  const { documentId, receiptId } = JSON.parse(body) as { documentId: string; receiptId: string };
  return { documentId, receiptId, ackedAt: performance.now() };
}

/** Reads an AppError's message in both languages, as the command line prints it. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ key: string; params: Record<string, string | number>; text: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      key: error.key,
      params: error.params,
      text: `${translate('pl', error.key, error.params)}\n${translate('en', error.key, error.params)}`,
    };
  }
  throw new Error('expected a refusal');
}

const listTree = (dir: string): string[] =>
  fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : [];

describe('npm run cli -- backup / restore (embedded)', () => {
  let app: TestApp;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-backup-'));
  const backupDir = path.join(work, 'backup');
  let manifest: BackupManifest;

  before(async () => {
    app = await startTestApp('sqlite', { demo: true, env: { API_RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  after(async () => {
    await app.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a backup taken while clients file restores into a fresh DATA_DIR where every receipt verifies', async (t) => {
    const url = await listenLocally(app);
    const { token } = await app.services.createIntegrationToken({
      officeId: 'umczestochowa',
      scope: 'submit',
      name: 'Kancelaria Nowak',
    });
    const acked: Filing[] = [];
    let stop = false;
    let next = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stop) acked.push(await fileOne(url, token, next++));
    });
    let clientError: unknown;
    const failure = Promise.all(clients).then(
      () => undefined,
      (error: unknown) => (clientError = error),
    );

    while (acked.length < 20 && clientError === undefined) await new Promise((r) => setTimeout(r, 20));
    // Everything acknowledged before the command starts must be in the backup.
    const started = performance.now();
    const beforeBackup = [...acked];
    const run = await cli(['backup', backupDir], { DATA_DIR: app.env.config.dataDir });
    const finished = performance.now();
    const duringBackup = acked.filter((f) => f.ackedAt > started && f.ackedAt < finished).length;
    stop = true;
    assert.equal(await failure, undefined, 'every filing under load succeeds');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^backup written to .*: \d+ documents, \d+ receipts, log size \d+ \(latest checkpoint at size \d+\), \d+ blobs, \d+ key and secret files/,
    );
    assert.match(run.stdout, /keep it as safe as the server itself/);
    assert.ok(duringBackup > 0, 'clients kept filing while the backup ran');
    t.diagnostic(
      `backup command ${Math.round(finished - started)} ms (process start included); filings acknowledged before it ${beforeBackup.length}, while it ran ${duringBackup}, in all ${acked.length}`,
    );

    manifest = parseManifest(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
    assert.ok(
      manifest.database.documents >= beforeBackup.length + 3,
      'the demo letters and every acknowledged filing',
    );
    assert.ok(
      manifest.database.checkpoint && manifest.database.checkpoint.treeSize <= manifest.database.logSize,
    );
    assert.equal(manifest.seals, 'included');
    // Every file of the backup is listed with its digest, and private: directories 0700, files 0600.
    const listed = manifest.files.map((f) => f.path);
    for (const need of [
      'urzad.sqlite',
      'keys/ca.pem',
      'keys/log-ed25519.pem',
      'keys/platform.pem',
      'keys/offices/umczestochowa.pem',
      'secrets/cookie-secret',
    ]) {
      assert.ok(listed.includes(need), `${need} is in the backup`);
    }
    for (const entry of listTree(backupDir)) {
      const full = path.join(backupDir, entry);
      const stat = fs.statSync(full);
      assert.equal(stat.mode & 0o777, stat.isDirectory() ? 0o700 : 0o600, entry);
      if (stat.isFile() && entry !== 'manifest.json') {
        const file = manifest.files.find((f) => f.path === entry.split(path.sep).join('/'));
        assert.ok(file, `${entry} is in the manifest`);
        assert.equal(createHash('sha256').update(fs.readFileSync(full)).digest('hex'), file.sha256, entry);
      }
    }
    assert.equal(fs.statSync(backupDir).mode & 0o777, 0o700);

    // Restore with the command line into a DATA_DIR that does not exist yet.
    const restoredDir = path.join(work, 'restored');
    const restore = await cli(['restore', backupDir], { DATA_DIR: restoredDir });
    assert.equal(restore.status, 0, restore.stdout + restore.stderr);
    assert.match(restore.stdout, /^restored into .* the backup of /);

    const restored = await createApp({ config: { ...app.env.config, dataDir: restoredDir } });
    try {
      const db = restored.database.db;
      const documents = await db.selectFrom('documents').select(['id', 'receipt_id']).execute();
      assert.equal(documents.length, manifest.database.documents);
      const present = new Set(documents.map((d) => `${d.id} ${d.receipt_id}`));
      for (const f of beforeBackup)
        assert.ok(
          present.has(`${f.documentId} ${f.receiptId}`),
          `filing ${f.documentId}, acknowledged before the backup, is restored`,
        );

      // The residents' trust anchors are the original installation's: its CA and its log key.
      const cas = await app.deps.seals.trustedCaPems();
      const logKey = (await app.http.inject({ url: '/api/v1/log/key' })).body;
      assert.equal(
        (await restored.http.inject({ url: '/api/v1/log/key' })).body,
        logKey,
        'the restored log signs with the same key',
      );
      const receipts = await db
        .selectFrom('receipts')
        .select(['id', 'document_id', 'xml'])
        .orderBy('log_index')
        .execute();
      assert.equal(receipts.length, manifest.database.receipts);
      assert.ok(receipts.length >= beforeBackup.length);
      const verified = await verifyAll(restored, receipts, cas, logKey);
      assert.equal(verified, receipts.length);

      // What the residents keep (the receipts as the original served them) verifies against the restored installation.
      for (const f of beforeBackup.slice(0, 5)) {
        const theirs = await app.http.inject({
          url: `/api/v1/receipts/${f.receiptId}`,
          headers: { authorization: `Bearer ${token}` },
        });
        const ours = receipts.find((r) => r.id === f.receiptId);
        assert.equal(ours?.xml, theirs.body);
      }

      // The restored installation keeps working: same token, a new filing, its receipt in the log.
      const restoredUrl = await listenLocally(restored);
      const more = await fileOne(restoredUrl, token, 999_999);
      await restored.services.signCheckpointIfGrown();
      const row = await db
        .selectFrom('receipts')
        .select(['id', 'document_id', 'xml'])
        .where('id', '=', more.receiptId)
        .executeTakeFirstOrThrow();
      assert.equal(await verifyAll(restored, [row], cas, logKey), 1);
    } finally {
      await restored.close();
    }
  });

  test('a changed, missing or extra file in the backup is refused, naming the file; nothing is restored', async () => {
    assert.ok(manifest, 'the backup of the first test');
    const blob = manifest.files.find((f) => f.path.startsWith('blobs/'))!;
    const copy = (name: string) => {
      const dir = path.join(work, name);
      fs.cpSync(backupDir, dir, { recursive: true });
      return dir;
    };
    const dataDir = path.join(work, 'refused');

    const tampered = copy('tampered');
    const bytes = fs.readFileSync(path.join(tampered, blob.path));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    fs.writeFileSync(path.join(tampered, blob.path), bytes);
    const changed = await refusal(restoreDataDir({ backupDir: tampered, dataDir }));
    assert.equal(changed.key, 'backup.restore.fileChanged');
    assert.equal(changed.params.file, blob.path);
    assert.match(changed.text, new RegExp(`Plik kopii „${blob.path}” nie zgadza się z manifestem`));
    assert.match(changed.text, new RegExp(`The backup file "${blob.path}" does not match the manifest`));
    assert.equal(fs.existsSync(dataDir), false, 'nothing was restored');

    const missing = copy('missing');
    fs.rmSync(path.join(missing, 'keys', 'log-ed25519.pem'));
    const gone = await refusal(restoreDataDir({ backupDir: missing, dataDir }));
    assert.deepEqual([gone.key, gone.params.file], ['backup.restore.fileMissing', 'keys/log-ed25519.pem']);

    const extra = copy('extra');
    fs.writeFileSync(path.join(extra, 'keys', 'planted.pem'), 'not from the backup');
    const planted = await refusal(restoreDataDir({ backupDir: extra, dataDir }));
    assert.deepEqual(
      [planted.key, planted.params.file],
      ['backup.restore.fileUnexpected', 'keys/planted.pem'],
    );

    // A manifest rewritten to point outside the data directory is refused before anything is read.
    const escaping = copy('escaping');
    const m = JSON.parse(fs.readFileSync(path.join(escaping, 'manifest.json'), 'utf8')) as BackupManifest;
    m.files.push({ path: '../../etc/cron.d/x', size: 1, sha256: blob.sha256 });
    fs.writeFileSync(path.join(escaping, 'manifest.json'), JSON.stringify(m));
    const escape = await refusal(restoreDataDir({ backupDir: escaping, dataDir }));
    assert.equal(escape.key, 'backup.restore.badManifest');
    assert.match(escape.text, /names a path a backup never holds: "\.\.\/\.\.\/etc\/cron\.d\/x"/);

    // The command line exits 2 with the message in Polish and English.
    const run = await cli(['restore', tampered], { DATA_DIR: dataDir });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`Plik kopii „${blob.path}”[^\\n]*\\nThe backup file "${blob.path}"`));
    assert.equal(fs.existsSync(dataDir), false, 'nothing was restored');
  });

  test('refusals: a non-empty target, a non-empty DATA_DIR, PostgreSQL, S3, a blob missing from the store', async () => {
    const occupied = path.join(work, 'occupied');
    fs.mkdirSync(occupied);
    fs.writeFileSync(path.join(occupied, 'keep.txt'), 'mine');
    const target = await refusal(backupDataDir({ dataDir: app.env.config.dataDir, target: occupied }));
    assert.deepEqual([target.key, target.params.dir], ['backup.error.targetNotEmpty', occupied]);
    assert.match(target.text, /\(argument <dir>\) nie jest pusty/);
    assert.deepEqual(fs.readdirSync(occupied), ['keep.txt']);

    const insideTarget = path.join(app.env.config.dataDir, 'keys', 'backup');
    const inside = await refusal(backupDataDir({ dataDir: app.env.config.dataDir, target: insideTarget }));
    assert.equal(inside.key, 'backup.error.targetInsideDataDir');
    assert.equal(fs.existsSync(insideTarget), false);

    const dataDir = await refusal(restoreDataDir({ backupDir, dataDir: occupied }));
    assert.equal(dataDir.key, 'backup.restore.dataDirNotEmpty');
    assert.deepEqual(fs.readdirSync(occupied), ['keep.txt']);

    // With PostgreSQL the command points to the documented procedure and touches nothing.
    const pg = await refusal(
      backupCommand(
        [path.join(work, 'pg')],
        { ...app.env.config, databaseUrl: 'postgres://nobody@127.0.0.1:1/none' },
        () => undefined,
      ),
    );
    assert.equal(pg.key, 'backup.error.postgres');
    assert.match(pg.text, /zob\. docs\/operations\.md/);
    assert.match(pg.text, /see docs\/operations\.md/);
    assert.equal(fs.existsSync(path.join(work, 'pg')), false);
    const s3 = await refusal(
      backupCommand(
        [path.join(work, 's3')],
        {
          ...app.env.config,
          s3: {
            endpoint: undefined,
            bucket: 'urzad',
            region: 'us-east-1',
            credentials: undefined,
            forcePathStyle: true,
          },
        },
        () => undefined,
      ),
    );
    assert.equal(s3.key, 'backup.error.s3');
    assert.equal(fs.existsSync(path.join(work, 's3')), false);

    // A store that lost a file the database names: no backup at all, rather than one that cannot be restored.
    const blob = manifest.files.find((f) => f.path.startsWith('blobs/'))!;
    fs.rmSync(path.join(app.env.config.dataDir, blob.path));
    const broken = path.join(work, 'broken');
    const lost = await refusal(backupDataDir({ dataDir: app.env.config.dataDir, target: broken }));
    assert.deepEqual(
      [lost.key, lost.params.sha256, lost.params.count],
      ['backup.error.blobMissing', blob.sha256, 1],
    );
    assert.equal(fs.existsSync(broken), false, 'the half-written backup is removed');
  });
});

/** Verifies receipts as their holders would: signature and chain, files from the store, inclusion under the restored log's checkpoint. */
async function verifyAll(
  app: App,
  receipts: { id: string; document_id: string; xml: string }[],
  cas: string[],
  logKey: string,
): Promise<number> {
  const db = app.database.db;
  const verifier = parseVerifierKey(logKey);
  const checkpointNote = (await app.http.inject({ url: '/api/v1/log/checkpoint' })).body;
  const size = Number(checkpointNote.split('\n')[1]);
  let valid = 0;
  for (const receipt of receipts) {
    const report = await verifyReceipt(Buffer.from(receipt.xml, 'utf8'), { trustedCaPems: cas });
    const rows = [
      ...(await db
        .selectFrom('document_files')
        .select(['name', 'sha256'])
        .where('document_id', '=', receipt.document_id)
        .execute()),
      ...(await db
        .selectFrom('delivery_files')
        .select(['name', 'sha256'])
        .where('delivery_id', '=', receipt.document_id)
        .execute()),
    ];
    const given: GivenFile[] = [];
    for (const row of rows) {
      const content = await app.deps.blobs.read(row.sha256);
      given.push({
        name: row.name,
        sha256: createHash('sha256').update(content).digest('hex'),
        size: content.length,
      });
    }
    const proof = parseInclusionProof(
      (await app.http.inject({ url: `/api/v1/log/proof/inclusion?index=${report.logIndex}&size=${size}` }))
        .body,
    );
    const verification = judge(
      report,
      matchFiles(report.files, given),
      checkLogInclusion(report, { checkpointNote, verifier, proof }),
    );
    assert.ok(
      verification.valid,
      `receipt ${receipt.id}: ${JSON.stringify({ reasons: report.reasons, log: verification.log })}`,
    );
    assert.equal(verification.log.status, 'included');
    assert.equal(given.length, report.files.length, `every file of receipt ${receipt.id} is restored`);
    valid++;
  }
  return valid;
}
