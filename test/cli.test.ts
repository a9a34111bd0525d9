import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [...CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
  });
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
    for (const email of ['mieszkaniec', 'urzednik', 'punkt', 'admin'])
      assert.match(first.stdout, new RegExp(`account ${email}@example\\.pl .*: created`));
    assert.match(first.stdout, /role clerk of umczestochowa: granted/);
    assert.match(first.stdout, /^resident box: \/[0-9a-f-]{36}\/skrytka$/m);
    assert.match(
      first.stdout,
      /trusted profile PZ-DEMO-0001 .*PESEL 440514\*{5}.*: confirmed, valid until \d{4}-\d{2}-\d{2}/,
    );
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

test('demo prints a TOTP secret for each staff account, the same on a rerun; a code from it opens the staff pages', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-'));
  const secretsIn = (stdout: string) =>
    new Map([...stdout.matchAll(/^totp secret (\S+): ([A-Z2-7]+)$/gm)].map((m) => [m[1]!, m[2]!]));
  try {
    const first = cli(['demo', '--password', 'correct-horse-battery'], { DATA_DIR: dataDir });
    assert.equal(first.status, 0, first.stderr);
    const secrets = secretsIn(first.stdout);
    assert.deepEqual(
      [...secrets.keys()].sort(),
      ['admin@example.pl', 'punkt@example.pl', 'urzednik@example.pl'],
      'every staff account, and not the resident',
    );
    const again = cli(['demo', '--password', 'correct-horse-battery'], { DATA_DIR: dataDir });
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(secretsIn(again.stdout), secrets, 'a rerun keeps the secrets scripts already hold');

    const { createApp } = await import('../src/app');
    const { loadConfig } = await import('../src/config');
    const { currentTotp } = await import('../src/services/second-factor');
    const { systemClock } = await import('../src/ports/clock');
    const { WebClient } = await import('./helpers/web-client');
    const app = await createApp({
      config: loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }),
    });
    try {
      // The password alone leads to the code page; the code from the printed secret opens the desk.
      const clerk = new WebClient(app.http);
      const login = await clerk.post(
        '/logowanie',
        { email: 'urzednik@example.pl', password: 'correct-horse-battery' },
        '/logowanie',
      );
      assert.equal(login.headers.location, '/logowanie/kod');
      const code = currentTotp({ clock: systemClock }, secrets.get('urzednik@example.pl')!);
      const done = await clerk.post('/logowanie/kod', { code }, '/logowanie/kod');
      assert.equal(done.headers.location, '/urzad/umczestochowa/skrzynka');
      assert.equal((await clerk.get('/urzad/umczestochowa/skrzynka')).statusCode, 200);
    } finally {
      await app.close();
    }
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

test('the offline commands start without the server: verify and log monitor load no web framework or database driver', () => {
  // Printed at exit: the packages the process loaded (CommonJS ones, which all of these are).
  const report = `data:text/javascript,${encodeURIComponent(
    "import { createRequire } from 'node:module';" +
      "const cache = createRequire('file:///report.js').cache;" +
      "process.on('exit', () => process.stderr.write('\\nloaded: ' + Object.keys(cache).join(' ')));",
  )}`;
  for (const args of [['verify'], ['log', 'monitor']]) {
    const run = spawnSync(process.execPath, ['--import', report, ...CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    assert.equal(run.status, 2, run.stderr);
    const loaded = /loaded: (.*)$/.exec(run.stderr)?.[1] ?? '';
    assert.match(loaded, /node_modules\/tsx\//, `${args.join(' ')}: the report lists what was loaded`);
    for (const heavy of ['fastify', 'pg', 'better-sqlite3', '@aws-sdk/client-s3', 'pdfkit'])
      assert.doesNotMatch(loaded, new RegExp(`node_modules/${heavy}/`), `${args.join(' ')} loads ${heavy}`);
  }
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
    const changed = cli(['verify-receipt', path.join(dir, 'changed.xml'), '--ca', ca, '--lang', 'en'], {
      DATA_DIR: dir,
    });
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

/** Process ids of the children of `pid`, from /proc (Linux). */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent pid is the 2nd field after it.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === pid && cmdline.includes('src/cli/main.ts')) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children.sort();
}

/** A GET on a new connection, so the cluster hands each request to the next worker; never waits forever (the bound is generous: a worker on a busy machine is slow to answer its first request). */
function getOnNewConnection(url: string, timeoutMs = 120_000): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`));
      })
      .on('error', reject);
  });
}

test('serve with WORKERS=2: both workers answer on one port, a killed worker is restarted, SIGTERM stops all with exit 0', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-workers-'));
  const child = spawn(process.execPath, [...CLI, 'serve'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // Complete JSON lines only: the last one may still be arriving.
  const logLines = () =>
    out
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; pid: number; workerPid?: number });
  let seen: number[] = [];
  const waitFor = async <T>(what: string, found: () => T | undefined, ms = 90_000): Promise<T> => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      const value = found();
      if (value !== undefined) return value;
      if (child.exitCode !== null)
        throw new Error(`serve exited ${child.exitCode} while waiting for ${what}: ${out}`);
    }
    throw new Error(`no ${what} within ${ms} ms: ${out}`);
  };
  try {
    const url = await waitFor(
      'URL',
      () => /Urząd OnLine: (http:\/\/\S+) \(sqlite, .*, 2 workers\)/.exec(out)?.[1],
    );
    const workers = childPids(child.pid!);
    seen = [...workers];
    assert.equal(workers.length, 2, 'the primary forked two workers');
    const listening = logLines()
      .filter((l) => l.msg === 'worker listening')
      .map((l) => l.pid)
      .sort();
    assert.deepEqual(listening, workers, 'each worker logs that it listens');
    assert.equal(out.match(/Urząd OnLine: http/g)?.length, 1, 'the address is printed once, by the primary');

    for (let i = 0; i < 12; i++) assert.equal(await getOnNewConnection(url), 200);
    const served = await waitFor('request logs of both workers', () => {
      const pids = new Set(
        logLines()
          .filter((l) => l.msg === 'request completed')
          .map((l) => l.pid),
      );
      return pids.size === 2 ? [...pids].sort() : undefined;
    });
    assert.deepEqual(served, workers, 'requests were answered by both workers');
    // Keys generated by the workers at the same moment (login.gov.pl's were) made one fail.
    assert.ok(
      !logLines().some((l) => l.msg === 'worker exited; restarting it'),
      `no worker failed at start: ${out}`,
    );

    // A worker that dies is replaced; the other keeps serving meanwhile.
    process.kill(workers[0]!, 'SIGKILL');
    // Once the primary knows (a connection handed to a worker as it dies is lost with it).
    await waitFor('the exit noticed', () =>
      logLines().some((l) => l.msg === 'worker exited; restarting it') ? true : undefined,
    );
    // A connection the primary hands out just as a worker dies can be lost with it (node:cluster
    // does not hand it on), so a client retries on a new connection, as a load balancer would.
    let status = 0;
    for (let attempt = 0; attempt < 10 && status !== 200; attempt++)
      status = await getOnNewConnection(url, 10_000).catch(() => 0);
    assert.equal(status, 200, 'the surviving worker answers');
    await waitFor('a restarted worker', () => {
      const now = childPids(child.pid!);
      return now.length === 2 &&
        !now.includes(workers[0]!) &&
        logLines().some(
          (l) => l.msg === 'worker listening' && now.includes(l.pid) && !workers.includes(l.pid),
        )
        ? true
        : undefined;
    });
    assert.ok(logLines().some((l) => l.msg === 'worker exited; restarting it' && l.workerPid === workers[0]));
    const current = childPids(child.pid!);
    seen.push(...current);

    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exit, 0, 'graceful shutdown of the primary and its workers');
    for (const pid of current) assert.throws(() => process.kill(pid, 0), 'no worker outlives the primary');
  } finally {
    // Workers outlive a killed primary (and hold its output open): end them first.
    for (const pid of new Set([...seen, ...childPids(child.pid ?? -1)])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the installation is prepared once before WORKERS start: migrations, cookie secret and the login.gov.pl keys', async () => {
  const { prepareInstallation } = await import('../src/app');
  const { loadConfig } = await import('../src/config');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-prepare-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    assert.ok(config.loginGovPl.simulator, 'embedded defaults use the login.gov.pl simulator');
    await prepareInstallation(config);
    for (const name of ['login-gov-pl-signing', 'login-gov-pl-encryption'])
      for (const part of ['key', 'crt'])
        assert.ok(
          fs.existsSync(path.join(config.loginGovPl.keysDir, `${name}.${part}.pem`)),
          `${name}.${part}.pem`,
        );
    assert.ok(fs.existsSync(path.join(dataDir, 'secrets', 'cookie-secret')));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
