import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from './helpers/app';
import { badReceipts, issueReceipt, type BadReceipt, type IssuedReceipt } from './helpers/issued-receipt';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** Runs the command line as a resident would (async, so several run on the two cores at once). */
function cli(
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], {
      env: { ...process.env, DATA_DIR: cwd, LOG_LEVEL: 'warn' },
      cwd: process.cwd(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run cli -- verify', () => {
  let app: TestApp;
  let issued: IssuedReceipt;
  let bad: Awaited<ReturnType<typeof badReceipts>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-verify-cli-'));
  const at = (name: string) => path.join(dir, name);
  const evidence = () => [
    '--ca',
    at('ca.pem'),
    '--checkpoint',
    at('checkpoint.txt'),
    '--proof',
    at('proof.json'),
    '--log-key',
    at('log.key'),
  ];

  before(async () => {
    app = await startTestApp('sqlite', { demo: true });
    issued = await issueReceipt(app);
    bad = await badReceipts(issued.xml, app.deps.seals);
    fs.writeFileSync(at('upp.xml'), issued.xml);
    fs.writeFileSync(at('ca.pem'), issued.caPem);
    fs.writeFileSync(at('checkpoint.txt'), issued.checkpoint);
    fs.writeFileSync(at('proof.json'), issued.proof);
    fs.writeFileSync(at('log.key'), issued.logKey);
    for (const f of issued.files) fs.writeFileSync(at(f.name), f.content);
  });
  after(async () => {
    bad.cleanup();
    await app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a receipt from a fresh installation: signature, chain, files and inclusion under a signed checkpoint', async () => {
    const run = await cli(
      ['verify', at('upp.xml'), ...evidence(), '--file', at('wniosek.pdf'), '--file', at('skan.png')],
      dir,
    );
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Poświadczenie jest WAŻNE\./);
    assert.match(run.stdout, /Urząd: Urząd Miasta Częstochowy \(umczestochowa\)/);
    assert.match(
      run.stdout,
      /\[OK\] Plik „wniosek\.pdf” zgadza się z pozycją „wniosek\.pdf” \(dokument główny\)/,
    );
    assert.match(run.stdout, /\[OK\] Plik „skan\.png” zgadza się z pozycją „skan\.png” \(załącznik\)/);
    assert.match(
      run.stdout,
      /Rejestr przejrzystości: \[OK\] Poświadczenie jest wpisem \d+ publicznego rejestru przejrzystości localhost:3000\/log pod punktem kontrolnym podpisanym kluczem rejestru \(rozmiar rejestru: \d+\)/,
    );

    const en = await cli(['verify', at('upp.xml'), ...evidence(), '--lang', 'en'], dir);
    assert.equal(en.status, 0, en.stdout);
    assert.match(en.stdout, /^The receipt is VALID\./);
    assert.match(
      en.stdout,
      /\[--\] Not checked: the entry "wniosek\.pdf" \(main document\); that file was not given/,
    );
    assert.match(en.stdout, /\[OK\] The receipt is entry \d+ of the public transparency log/);

    // The key may be given inline, as `GET /api/v1/log/key` prints it; verify-receipt is the same command.
    const inline = await cli(
      ['verify-receipt', at('upp.xml'), ...evidence().slice(0, -1), issued.logKey.trim(), '--json'],
      dir,
    );
    assert.equal(inline.status, 0, inline.stdout + inline.stderr);
    const json = JSON.parse(inline.stdout) as {
      valid: boolean;
      log: { status: string; index: number; size: number };
      report: { chainTrusted: boolean };
    };
    const stored = await app.database.db
      .selectFrom('receipts')
      .select('log_index')
      .where('xml', '=', issued.xml.toString('utf8'))
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [json.valid, json.log.status, json.log.index, json.report.chainTrusted],
      [true, 'included', stored.log_index, true],
    );

    // Without log evidence the report says the log was not checked; the receipt still holds.
    const noLog = await cli(['verify', at('upp.xml'), '--ca', at('ca.pem'), '--lang', 'en'], dir);
    assert.equal(noLog.status, 0, noLog.stdout);
    assert.match(noLog.stdout, /The transparency log was not checked/);
  });

  test('files: a truncated file, an unknown file and a renamed copy', async () => {
    const png = issued.files.find((f) => f.name === 'skan.png')!.content;
    const truncated = path.join(dir, 'cut', 'skan.png');
    fs.mkdirSync(path.dirname(truncated));
    fs.writeFileSync(truncated, png.subarray(0, png.length - 10));
    fs.writeFileSync(at('inny.txt'), 'something else\n');
    fs.writeFileSync(at('kopia.pdf'), issued.files[0]!.content);
    const run = await cli(
      [
        'verify',
        at('upp.xml'),
        '--ca',
        at('ca.pem'),
        '--file',
        truncated,
        '--file',
        at('inny.txt'),
        '--file',
        at('kopia.pdf'),
        '--lang',
        'en',
      ],
      dir,
    );
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stdout, /^The receipt is NOT valid:/);
    assert.match(
      run.stdout,
      /- The file "skan\.png" does NOT match the entry "skan\.png": the receipt gives SHA-256 [0-9a-f]{64} \(\d+ B\), the file has [0-9a-f]{64} \(\d+ B\)/,
    );
    assert.match(run.stdout, /- The file "inny\.txt" \(SHA-256 [0-9a-f]{64}, 15 B\) is not in the receipt/);
    assert.match(
      run.stdout,
      /\[OK\] The file "kopia\.pdf" matches the entry "wniosek\.pdf" \(main document\), although its name differs/,
    );
  });

  test('every bad receipt of the issue is invalid, with the precise reason, exit 1', async () => {
    const check = async (b: BadReceipt) => {
      const file = at(`bad-${b.name.replace(/\W+/g, '-')}.xml`);
      fs.writeFileSync(file, b.xml);
      const args = b.caPem
        ? (fs.writeFileSync(`${file}.ca.pem`, b.caPem), ['--ca', `${file}.ca.pem`])
        : ['--ca', at('ca.pem')];
      const run = await cli(['verify', file, ...args, '--lang', 'en'], dir);
      return { b, run };
    };
    const results = [];
    // Two at a time: the machine has two cores.
    for (let i = 0; i < bad.list.length; i += 2)
      results.push(...(await Promise.all(bad.list.slice(i, i + 2).map(check))));
    for (const { b, run } of results) {
      assert.equal(run.status, 1, `${b.name}: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout, /^The receipt is NOT valid:/, b.name);
      assert.match(run.stdout, b.reason, `${b.name}: ${run.stdout}`);
    }
  });

  test('log evidence that does not hold: bad checkpoint signature, a proof for another entry, a changed receipt', async () => {
    const [sig] = issued.checkpoint.split('\n').filter((l) => l.startsWith('— '));
    const flipped = sig!.replace(/.(=*)$/, (m, pad: string) => `${m[0] === 'A' ? 'B' : 'A'}${pad}`);
    fs.writeFileSync(at('forged.txt'), issued.checkpoint.replace(sig!, flipped));
    const forged = await cli(
      [
        'verify',
        at('upp.xml'),
        ...evidence().map((a) => (a === at('checkpoint.txt') ? at('forged.txt') : a)),
        '--lang',
        'en',
      ],
      dir,
    );
    assert.equal(forged.status, 1, forged.stdout);
    assert.match(forged.stdout, /- The checkpoint of the log is not correctly signed by the log key/);

    const proof = JSON.parse(issued.proof) as { index: number; size: number; hashes: string[] };
    fs.writeFileSync(at('other-proof.json'), JSON.stringify({ ...proof, index: proof.index + 1 }));
    const other = await cli(
      [
        'verify',
        at('upp.xml'),
        ...evidence().map((a) => (a === at('proof.json') ? at('other-proof.json') : a)),
        '--lang',
        'en',
      ],
      dir,
    );
    assert.equal(other.status, 1, other.stdout);
    assert.match(other.stdout, /inclusion proof is for another entry than entry \d+/);

    // A receipt changed in one byte is no longer the entry of the log either.
    fs.writeFileSync(at('changed.xml'), bad.list[0]!.xml);
    const changed = await cli(['verify', at('changed.xml'), ...evidence(), '--lang', 'en'], dir);
    assert.equal(changed.status, 1, changed.stdout);
    assert.match(changed.stdout, /changed after signing/);
    assert.match(
      changed.stdout,
      /The receipt is not in the log: entry \d+ under this checkpoint is another document/,
    );
  });

  test('usage errors exit 2', async () => {
    const runs = await Promise.all([
      cli(['verify'], dir),
      cli(['verify', at('missing.xml'), '--ca', at('ca.pem')], dir),
      cli(['verify', at('upp.xml'), '--ca', at('ca.pem'), '--checkpoint', at('checkpoint.txt')], dir),
    ]);
    const more = await Promise.all([
      cli(['verify', at('upp.xml'), '--ca', at('ca.pem'), '--frobnicate'], dir),
      cli(['verify', at('upp.xml'), ...evidence().slice(0, -1), 'not-a-key'], dir),
      cli(['verify', at('upp.xml'), '--ca', at('ca.pem'), '--lang', 'de'], dir),
    ]);
    for (const run of [...runs, ...more]) {
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /Usage: npm run cli/);
    }
    assert.match(runs[1]!.stderr, /cannot read/);
    assert.match(runs[2]!.stderr, /--checkpoint, --proof and --log-key go together/);
  });
});
