import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { verifyExportFile } from '../src/cli/verify-export';
import { manifestText, type ExportManifest } from '../src/domain/export/manifest';
import { ed25519Verifier, parseVerifierKey, type NoteVerifier } from '../src/domain/tlog/index';
import type { ExportVerification } from '../src/domain/verification/export';
import { ManualClock } from '../src/ports/clock';
import { startTestApp, type TestApp } from './helpers/app';
import { lettersForResident, pastClockStart, rezip, unzip } from './helpers/export-data';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function cli(
  args: string[],
  dataDir: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      cwd: process.cwd(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The paths named by failing findings. */
const failing = (v: ExportVerification) =>
  v.items.filter((i) => i.findings.some((f) => !f.ok)).map((i) => i.path);

describe('npm run cli -- verify <export.zip>', () => {
  let app: TestApp;
  let entries: { path: string; bytes: Buffer }[];
  let manifest: ExportManifest;
  let trust: { trustedCaPems: string[]; verifier: NoteVerifier };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-verify-export-'));
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-no-installation-'));
  const at = (name: string) => path.join(dir, name);
  const clock = new ManualClock(pastClockStart());

  /** Writes a changed copy of the export and verifies it in process (the code the command runs). */
  const verifyChanged = async (
    name: string,
    change: (list: { path: string; bytes: Buffer }[]) => { path: string; bytes: Buffer }[],
  ) => {
    const file = at(`${name}.zip`);
    fs.writeFileSync(file, await rezip(change(entries.map((e) => ({ ...e, bytes: Buffer.from(e.bytes) })))));
    return verifyExportFile(file, trust);
  };
  const flipByte = (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    const i = Math.floor(copy.length / 2);
    copy[i] = copy[i]! ^ 0x01;
    return copy;
  };
  /** The manifest rewritten as the export writes it, after a forger's edit. */
  const withManifest = (list: { path: string; bytes: Buffer }[], edit: (m: ExportManifest) => void) => {
    const m = JSON.parse(manifestText(manifest)) as ExportManifest;
    edit(m);
    return list.map((e) => (e.path === 'manifest.json' ? { ...e, bytes: Buffer.from(manifestText(m)) } : e));
  };

  before(async () => {
    app = await startTestApp('sqlite', { demo: true, clock, env: { JOBS_POLL_MS: '0' } });
    await lettersForResident(app, clock);
    const account = await app.database.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'mieszkaniec@example.pl')
      .executeTakeFirstOrThrow();
    const exported = await app.services.exportResidentData(account.id);
    const zip = await buffer(exported.stream);
    fs.writeFileSync(at('eksport.zip'), zip);
    entries = await unzip(zip);
    manifest = exported.manifest;
    const cas = await app.deps.seals.trustedCaPems();
    fs.writeFileSync(at('ca.pem'), cas.join('\n'));
    fs.writeFileSync(at('log.key'), `${app.services.logVerifierKey()}\n`);
    trust = { trustedCaPems: cas, verifier: parseVerifierKey(app.services.logVerifierKey()) };
  });
  after(async () => {
    await app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(emptyDir, { recursive: true, force: true });
  });

  test('a fresh export verifies: every file, receipt, inclusion proof and the checkpoint; exit 0', async () => {
    const [pl, en, installation] = await Promise.all([
      cli(['verify', at('eksport.zip'), '--ca', at('ca.pem'), '--log-key', at('log.key')], emptyDir),
      cli(
        [
          'verify',
          at('eksport.zip'),
          '--ca',
          at('ca.pem'),
          '--log-key',
          at('log.key'),
          '--lang',
          'en',
          '--json',
        ],
        emptyDir,
      ),
      // In the installation's own DATA_DIR its CA and log key are the defaults.
      cli(['verify', at('eksport.zip'), '--lang', 'en'], app.env.config.dataDir),
    ]);
    assert.equal(pl.status, 0, pl.stdout + pl.stderr);
    assert.match(pl.stdout, /^Eksport jest WAŻNY/);
    const receipts = manifest.files.filter((f) => f.kind === 'receipt');
    for (const r of receipts) assert.match(pl.stdout, new RegExp(`\\[OK\\] ${r.path} \\(poświadczenie\\)`));
    assert.match(pl.stdout, /\[OK\] Poświadczenie jest wpisem \d+ publicznego rejestru przejrzystości/);
    assert.match(
      pl.stdout,
      /\[OK\] Punkt kontrolny rejestru localhost:\d+\/log \(rozmiar \d+\) jest podpisany kluczem rejestru/,
    );
    assert.match(
      pl.stdout,
      /\[--\] Pismo od: Urząd Miasta Częstochowy, wysłane \S+, czeka na odbiór: eksport nie zawiera jego treści/,
    );
    assert.match(
      pl.stdout,
      new RegExp(
        `Sprawdzono ${manifest.files.length} plików, ${receipts.length} poświadczeń, ${receipts.length} dowodów`,
      ),
    );

    assert.equal(en.status, 0, en.stderr);
    const json = JSON.parse(en.stdout) as ExportVerification;
    assert.equal(json.valid, true);
    assert.equal(json.items.length, manifest.files.length);

    assert.equal(installation.status, 0, installation.stdout + installation.stderr);
    assert.match(installation.stdout, /^The export is VALID/);
  });

  test('one byte changed in any file of the export makes it invalid, naming that file', async () => {
    for (const target of entries.filter((e) => e.path !== 'manifest.json')) {
      const v = await verifyChanged('flip', (list) =>
        list.map((e) => (e.path === target.path ? { ...e, bytes: flipByte(e.bytes) } : e)),
      );
      assert.equal(v.valid, false, target.path);
      assert.ok(failing(v).includes(target.path), `${target.path}: ${failing(v).join(', ')}`);
      const changed = v.items
        .find((i) => i.path === target.path)!
        .findings.find((f) => f.key === 'export.check.changed');
      assert.ok(changed, target.path);
    }
  });

  test('a forger who also fixes the manifest is caught by the receipts, the proofs and the checkpoint', async () => {
    const forge = async (kind: string, expectedKeys: RegExp) => {
      const target = manifest.files.find((f) => f.kind === kind)!;
      let forged: Buffer | undefined;
      const v = await verifyChanged(`forge-${kind}`, (list) =>
        withManifest(
          list.map((e) => (e.path === target.path ? { ...e, bytes: (forged = flipByte(e.bytes)) } : e)),
          (m) => {
            const entry = m.files.find((f) => f.path === target.path)!;
            entry.sha256 = sha256(forged!);
          },
        ),
      );
      assert.equal(v.valid, false, kind);
      const keys = v.items.flatMap((i) => i.findings.filter((f) => !f.ok).map((f) => `${i.path} ${f.key}`));
      assert.ok(
        keys.some((k) => expectedKeys.test(k)),
        `${kind}: ${keys.join('; ')}`,
      );
      return { target, keys };
    };
    const file = await forge('document-file', /verification\.file\.(changed|unknown)/);
    assert.ok(
      file.keys.some((k) => k.startsWith(`${file.target.path} `)),
      'the changed file is named',
    );
    await forge('receipt', /^\S+\.xml receipt\.verify\./);
    await forge(
      'inclusion-proof',
      /(inclusion-proof\.json|\.xml) (verification\.log\.|export\.check\.badProof)/,
    );
    await forge('checkpoint', /rejestr\/checkpoint\.txt export\.check\.checkpointBad/);

    // Evidence too large to be read as such is not skipped.
    const proof = manifest.files.find((f) => f.kind === 'inclusion-proof')!;
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const oversized = await verifyChanged('oversized', (list) =>
      withManifest(
        list.map((e) => (e.path === proof.path ? { ...e, bytes: big } : e)),
        (m) =>
          Object.assign(
            m.files.find((f) => f.path === proof.path)!,
            { sha256: sha256(big), size: big.length },
          ),
      ),
    );
    assert.deepEqual(
      oversized.items.flatMap((i) => i.findings.filter((f) => !f.ok).map((f) => `${i.path} ${f.key}`)),
      [`${proof.path} export.check.tooLarge`],
    );

    // A file added to the archive is not in the manifest; a file taken out of it is missing.
    const unlisted = await verifyChanged('extra', (list) => [
      ...list,
      { path: 'pisma-wyslane/dodatkowy.pdf', bytes: Buffer.from('%PDF-1.4') },
    ]);
    assert.deepEqual(failing(unlisted), ['pisma-wyslane/dodatkowy.pdf']);
    const missing = await verifyChanged('missing', (list) =>
      list.filter((e) => e.path !== manifest.filed[0]!.files[0]),
    );
    assert.ok(failing(missing).includes(manifest.filed[0]!.files[0]!));
    // The manifest itself: reformatted, or an entry dropped, or not there at all.
    const reformatted = await verifyChanged('manifest-form', (list) =>
      list.map((e) =>
        e.path === 'manifest.json'
          ? { ...e, bytes: Buffer.from(JSON.stringify(JSON.parse(e.bytes.toString()))) }
          : e,
      ),
    );
    assert.deepEqual(
      reformatted.general.map((f) => f.key),
      ['export.manifest.form'],
    );
    const dropped = await verifyChanged('manifest-drop', (list) =>
      withManifest(list, (m) => (m.files = m.files.filter((f) => f.kind !== 'readme'))),
    );
    assert.deepEqual(failing(dropped), ['README.txt']);
    const none = await verifyChanged('no-manifest', (list) => list.filter((e) => e.path !== 'manifest.json'));
    assert.deepEqual(
      none.general.map((f) => f.key),
      ['export.manifest.missing'],
    );
  });

  test('trust comes from the given CA and log key: another key or CA fails', async () => {
    const other = ed25519Verifier(
      trust.verifier.name,
      generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32),
    );
    const wrongKey = await verifyExportFile(at('eksport.zip'), { ...trust, verifier: other });
    assert.equal(wrongKey.valid, false);
    assert.ok(failing(wrongKey).includes(manifest.log.checkpoint));
    const wrongCa = await verifyExportFile(at('eksport.zip'), { ...trust, trustedCaPems: [] });
    assert.equal(wrongCa.valid, false);
    assert.deepEqual(
      failing(wrongCa).sort(),
      manifest.files
        .filter((f) => f.kind === 'receipt')
        .map((f) => f.path)
        .sort(),
    );
  });

  test('on the command line: a changed file and a damaged archive exit 1 naming the file; usage errors exit 2', async () => {
    const target = manifest.files.find((f) => f.kind === 'document-file')!;
    fs.writeFileSync(
      at('changed.zip'),
      await rezip(entries.map((e) => (e.path === target.path ? { ...e, bytes: flipByte(e.bytes) } : e))),
    );
    // The files of letters are stored, not deflated: a byte flipped in the archive lands in the file's data.
    const raw = fs.readFileSync(at('eksport.zip'));
    const data = raw.indexOf(entries.find((e) => e.path === target.path)!.bytes);
    assert.ok(data > 0);
    raw[data + 20] = raw[data + 20]! ^ 0x01;
    fs.writeFileSync(at('damaged.zip'), raw);
    const trustArgs = ['--ca', at('ca.pem'), '--log-key', at('log.key'), '--lang', 'en'];
    const [changed, damaged, usage, noKey] = await Promise.all([
      cli(['verify', at('changed.zip'), ...trustArgs], emptyDir),
      cli(['verify', at('damaged.zip'), ...trustArgs], emptyDir),
      cli(['verify', at('eksport.zip'), ...trustArgs, '--file', at('ca.pem')], emptyDir),
      cli(['verify', at('eksport.zip'), '--ca', at('ca.pem')], emptyDir),
    ]);
    assert.equal(changed.status, 1, changed.stdout + changed.stderr);
    assert.match(changed.stdout, /^The export is NOT valid:/);
    assert.match(
      changed.stdout,
      new RegExp(
        `- ${target.path.replace(/[.]/g, '\\.')}: The file was CHANGED: the manifest gives SHA-256 ${target.sha256}`,
      ),
    );
    assert.equal(damaged.status, 1, damaged.stdout + damaged.stderr);
    assert.match(
      damaged.stdout,
      new RegExp(
        `- ${target.path.replace(/[.]/g, '\\.')}: The file cannot be read from the archive \\(damaged\\)`,
      ),
    );
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /an export carries its files, checkpoint and proofs/);
    assert.equal(noKey.status, 2);
    assert.match(noKey.stderr, /give the log key with --log-key/);
  });
});
