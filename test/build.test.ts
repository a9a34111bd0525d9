import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

// `npm start` runs the compiled server (`npm run build`, run by `npm install`); these tests
// check that build, not the sources tsx runs in the other tests.
const DIST = path.resolve('dist');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

test('every source module has its compiled JavaScript and declarations in dist/', () => {
  assert.ok(fs.existsSync(DIST), 'dist/ is missing: run `npm run build`');
  const missing = sources('src').flatMap((file) => {
    const base = path.join(DIST, path.relative('src', file)).replace(/\.tsx?$/, '');
    return [`${base}.js`, `${base}.d.ts`].filter((out) => !fs.existsSync(out));
  });
  assert.deepEqual(missing, []);
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
    exports: Record<string, { types: string; default: string }>;
    scripts: Record<string, string>;
  };
  assert.ok(fs.existsSync(pkg.exports['.']!.default));
  assert.ok(fs.existsSync(pkg.exports['.']!.types));
  assert.equal(pkg.scripts.start, 'node dist/cli/main.js serve');
});

test('the compiled server starts two workers without tsx, serves the portal and its stylesheet, and stops', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-dist-'));
  const child = spawn(process.execPath, [path.join(DIST, 'cli/main.js'), 'serve'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKERS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Urząd OnLine: (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const home = await fetch(url);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Urząd OnLine/);
    const css = await fetch(`${url}/assets/build/app.css`);
    assert.equal(css.status, 200);
    assert.ok((await css.text()).length > 1000);
    // The primary and its workers: plain node running dist/, no TypeScript loader.
    const pids = [
      String(child.pid),
      ...execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/),
    ];
    assert.equal(pids.length, 3);
    for (const pid of pids) {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      assert.deepEqual(args.slice(1), [path.join(DIST, 'cli/main.js'), 'serve']);
      assert.ok(!args.some((arg) => arg.includes('tsx')), args.join(' '));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
