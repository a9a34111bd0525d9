import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { listenLocally, startTestApp, type TestApp } from '../helpers/app';
import { samplePdf } from '../helpers/sample-files';

const run = promisify(execFile);
const EXAMPLES = path.resolve(import.meta.dirname, '../../docs/examples');
const PYTHON = '/usr/bin/python3';

const found = (command: string, args: string[]): boolean => spawnSync(command, args).status === 0;
/** Missing toolchains skip only outside CI: under CI=true a skipped example would hide a broken one. */
const skipUnless = (present: boolean, what: string): string | false =>
  present ? false : process.env.CI === 'true' ? false : `${what} is not installed`;

/** The documented examples, run as an integrator would: file a letter, keep the receipt. */
describe('the Python and Java examples file a letter and save its receipt', () => {
  let app: TestApp;
  let env: NodeJS.ProcessEnv = {};
  let work = '';

  before(async () => {
    app = await startTestApp('sqlite', { demo: true, env: { JOBS_POLL_MS: '0' } });
    const base = await listenLocally(app);
    const { token } = await app.services.createIntegrationToken({
      officeId: 'umczestochowa',
      scope: 'submit',
      name: 'Examples',
    });
    env = { ...process.env, URZAD_URL: base, URZAD_TOKEN: token };
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-examples-'));
    fs.writeFileSync(path.join(work, 'wniosek.pdf'), samplePdf('Wniosek z przykladu'));
    fs.writeFileSync(path.join(work, 'zalacznik.txt'), 'Załącznik: treść w UTF-8.\n');
  });
  after(async () => {
    await app?.dispose();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Runs one example's filing twice with one Idempotency-Key and checks what it printed and saved. */
  async function fileAndCheck(command: string, script: string[], label: string): Promise<void> {
    const receiptFile = `${label}-upp.xml`;
    const args = [
      ...script,
      'umczestochowa',
      'skrytka',
      'wniosek.pdf',
      '--attachment',
      'zalacznik.txt',
      '--title',
      `Wniosek (${label})`,
      '--receipt',
      receiptFile,
      '--idempotency-key',
      `example-${label}`,
    ];
    const first = await run(command, args, { cwd: work, env });
    const filed = JSON.parse(first.stdout) as {
      documentId: string;
      receiptId: string;
      receivedAt: string;
      replayed: boolean;
      receipt: string;
    };
    assert.match(filed.documentId, /^[0-9a-f-]{36}$/);
    assert.equal(filed.replayed, false);
    assert.equal(filed.receipt, receiptFile);
    const receipt = fs.readFileSync(path.join(work, receiptFile));
    const report = await app.services.checkReceipt(receipt);
    assert.equal(report.valid, true, JSON.stringify(report.reasons));
    assert.match(receipt.toString('utf8'), new RegExp(filed.receiptId));

    const document = await app.database.db
      .selectFrom('documents')
      .select(['id', 'title'])
      .where('id', '=', filed.documentId)
      .executeTakeFirstOrThrow();
    assert.equal(document.title, `Wniosek (${label})`);
    const files = await app.database.db
      .selectFrom('document_files')
      .select(['name'])
      .where('document_id', '=', filed.documentId)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      files.map((f) => f.name),
      ['wniosek.pdf', 'zalacznik.txt'],
    );

    // A retry with the same key returns the same document and receipt, marked as a replay.
    const again = JSON.parse((await run(command, args, { cwd: work, env })).stdout) as typeof filed;
    assert.deepEqual({ ...again, replayed: undefined }, { ...filed, replayed: undefined });
    assert.equal(again.replayed, true);

    // A refused request: exit 1 and the problem's detail on stderr.
    const refused = await run(command, args, {
      cwd: work,
      env: { ...env, URZAD_TOKEN: 'uo_revoked-or-unknown-token' },
    }).then(
      () => assert.fail('an unknown token must be refused'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /HTTP 401 unauthorized: .+/);
  }

  test('Python (standard library only)', { skip: skipUnless(fs.existsSync(PYTHON), PYTHON) }, async () => {
    await fileAndCheck(PYTHON, [path.join(EXAMPLES, 'python/file_letter.py')], 'python');
  });

  test(
    'Java (JDK 17 HttpClient, single-file source launch)',
    { skip: skipUnless(found('java', ['-version']), 'java (Debian: default-jdk-headless)') },
    async () => {
      await fileAndCheck('java', [path.join(EXAMPLES, 'java/FileLetter.java')], 'java');
    },
  );
});
