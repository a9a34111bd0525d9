import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [...CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });
}

test('serve starts on an empty data directory, prints its URL, serves the portal and stops on SIGTERM', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-'));
  const child = spawn(process.execPath, [...CLI, 'serve'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s: ${out}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Urząd OnLine: (http:\/\/\S+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const home = await fetch(url);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Urząd OnLine/);
    assert.ok(fs.existsSync(path.join(dataDir, 'urzad.sqlite')), 'SQLite database created in DATA_DIR');
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exit, 0, 'graceful shutdown');
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('demo is idempotent and acts on the DATA_DIR it is given', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-'));
  try {
    const first = cli(['demo', '--password', 'correct-horse-battery'], { DATA_DIR: dataDir });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /office umczestochowa .*: created/);
    const second = cli(['demo'], { DATA_DIR: dataDir });
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /office umczestochowa .*: updated/);
    assert.doesNotMatch(second.stdout, /: created/);
    for (const email of ['mieszkaniec', 'urzednik', 'punkt', 'admin']) assert.match(first.stdout, new RegExp(`account ${email}@example\\.pl .*: created`));
    assert.match(first.stdout, /role clerk of umczestochowa: granted/);
    assert.match(first.stdout, /trusted profile PZ-DEMO-0001 .*PESEL 440514\*{5}.*: confirmed, valid until \d{4}-\d{2}-\d{2}/);
    assert.doesNotMatch(first.stdout, /44051401359/, 'the full PESEL is not printed');
    assert.match(second.stdout, /accounts: skipped, give --password/);
    const third = cli(['demo', '--password', 'another-demo-phrase'], { DATA_DIR: dataDir });
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.stdout, /account admin@example\.pl: password set/);
    assert.match(third.stdout, /trusted profile PZ-DEMO-0001 of mieszkaniec@example\.pl: exists/);
    assert.doesNotMatch(third.stdout, /: (created|granted)/);
    const weak = cli(['demo', '--password', 'short'], { DATA_DIR: dataDir });
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /--password: at least 12 characters/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('usage errors exit 2 with the usage text; bad settings are named', () => {
  const unknown = cli(['frobnicate'], {});
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  assert.match(unknown.stderr, /Usage: npm run cli/);
  const badPort = cli(['migrate'], { PORT: 'abc', DATA_DIR: os.tmpdir() });
  assert.equal(badPort.status, 2);
  assert.match(badPort.stderr, /PORT/);
});

test('verify-receipt: exit 0 for a valid receipt, 1 with the reason for a changed one', async () => {
  const { signReceipt } = await import('../src/domain/receipts/index');
  const { receiptInput, temporarySeals, OFFICE } = await import('./helpers/receipts');
  const keys = temporarySeals();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-verify-'));
  try {
    const seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
    const xml = signReceipt(receiptInput('UPP'), seal);
    fs.writeFileSync(path.join(dir, 'upp.xml'), xml);
    fs.writeFileSync(path.join(dir, 'changed.xml'), xml.replace('wniosek.xml', 'wniosek.xm1'));
    const ca = path.join(keys.dir, 'ca.cert.pem');
    const valid = cli(['verify-receipt', path.join(dir, 'upp.xml'), '--ca', ca], { DATA_DIR: dir });
    assert.equal(valid.status, 0, valid.stderr);
    assert.match(valid.stdout, /Poświadczenie jest WAŻNE/);
    assert.match(valid.stdout, /Urząd Miasta Częstochowy \(umczestochowa\)/);
    const changed = cli(['verify-receipt', path.join(dir, 'changed.xml'), '--ca', ca, '--lang', 'en'], { DATA_DIR: dir });
    assert.equal(changed.status, 1);
    assert.match(changed.stdout, /NOT valid/);
    assert.match(changed.stdout, /changed after signing/);
    // Outside an installation, without --ca, there is nothing to trust: a usage error, no keys made.
    const nowhere = cli(['verify-receipt', path.join(dir, 'upp.xml')], { DATA_DIR: path.join(dir, 'none') });
    assert.equal(nowhere.status, 2);
    assert.match(nowhere.stderr, /--ca/);
    assert.equal(fs.existsSync(path.join(dir, 'none')), false);
    // Trusting only this installation's own (different) CA: not valid.
    assert.equal(cli(['demo'], { DATA_DIR: dir }).status, 0);
    const json = cli(['verify-receipt', path.join(dir, 'upp.xml'), '--json'], { DATA_DIR: dir });
    assert.equal(json.status, 1);
    assert.equal(JSON.parse(json.stdout).report.chainTrusted, false);
    assert.equal(cli(['verify-receipt'], { DATA_DIR: dir }).status, 2);
  } finally {
    keys.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
