import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseLog, PowerModel } from '../../scripts/power-loss/replay';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The power-loss test's recording layer and model (scripts/power-loss): the shim must see the
 * calls Node (libuv's thread pool, sync and async) and SQLite make, and the model must keep
 * exactly what was fsynced.
 */
describe('power-loss recording and replay', () => {
  let work: string;
  let shim: string;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-power-unit-'));
    shim = path.join(work, 'shim.so');
    const cc = spawnSync(
      'gcc',
      ['-shared', '-fPIC', '-o', shim, path.join(ROOT, 'scripts/power-loss/shim.c'), '-ldl', '-lpthread'],
      { encoding: 'utf8' },
    );
    assert.equal(cc.status, 0, cc.stderr);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Runs `code` (an ES module) under the shim with DATA as the recorded directory. */
  function record(code: string, drop: Record<string, string> = {}): { dir: string; model: PowerModel } {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(work, 'data-')));
    const log = path.join(work, `${path.basename(dir)}.ops`);
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: ROOT,
      env: { ...process.env, DATA: dir, LD_PRELOAD: shim, POWER_ROOT: dir, POWER_LOG: log, ...drop },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const model = new PowerModel(dir);
    for (const r of parseLog(fs.readFileSync(log))) model.apply(r);
    return { dir, model };
  }

  function cut(model: PowerModel): string {
    const target = fs.mkdtempSync(path.join(work, 'cut-'));
    model.materialize(target);
    return target;
  }

  it('keeps fsynced files whose directory was fsynced and forgets the rest', () => {
    const { model } = record(`
      import fs from 'node:fs';
      import fsp from 'node:fs/promises';
      const d = process.env.DATA;
      const sync = (p) => { const fd = fs.openSync(p, 'r'); fs.fsyncSync(fd); fs.closeSync(fd); };
      // Durable: bytes fsynced, then renamed into a directory that is fsynced.
      fs.mkdirSync(d + '/a');
      sync(d);
      const h = await fsp.open(d + '/tmp-1', 'wx');
      await h.writev([Buffer.from('kept '), Buffer.from('bytes')]);
      await h.sync();
      await h.close();
      await fsp.rename(d + '/tmp-1', d + '/a/kept');
      sync(d + '/a');
      // Written later without fsync: the file keeps what was synced.
      fs.appendFileSync(d + '/a/kept', ' and lost ones');
      // Bytes fsynced, name never: gone.
      const fd = fs.openSync(d + '/a/nameless', 'w');
      fs.writeSync(fd, 'x');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      // A name fsynced, bytes never: an empty file.
      fs.writeFileSync(d + '/empty', 'never synced');
      sync(d);
    `);
    const after = cut(model);
    assert.equal(fs.readFileSync(path.join(after, 'a/kept'), 'utf8'), 'kept bytes');
    assert.equal(fs.existsSync(path.join(after, 'a/nameless')), false);
    assert.equal(fs.existsSync(path.join(after, 'tmp-1')), false);
    assert.equal(fs.readFileSync(path.join(after, 'empty'), 'utf8'), '');
    // The log accounts for every byte on disk (sync and async writes, writev, append).
    assert.deepEqual(model.compare(), []);
  });

  it("sees SQLite's writes and fsyncs: a committed row survives, and the log matches the files", () => {
    const { model } = record(`
      import Database from 'better-sqlite3';
      const db = new Database(process.env.DATA + '/t.sqlite');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec('create table t (v text)');
      db.prepare('insert into t values (?)').run('committed');
      process.exit(0); // no clean close: the WAL stays, as after a crash
    `);
    assert.ok((model.counts.fsync ?? 0) >= 2, JSON.stringify(model.counts));
    assert.ok((model.counts.write ?? 0) >= 2, JSON.stringify(model.counts));
    assert.deepEqual(model.compare(), []);
    const after = cut(model);
    const check = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import D from 'better-sqlite3'; console.log(new D(process.argv[1] + '/t.sqlite').prepare('select v from t').pluck().get())`,
        after,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(check.stdout.trim(), 'committed', check.stderr);
  });

  it('leaves out the fsyncs POWER_DROP_DIR names, so the test can show a missing one', () => {
    const code = `
      import fs from 'node:fs';
      const d = process.env.DATA;
      fs.mkdirSync(d + '/blobs');
      const fd = fs.openSync(d + '/blobs/x', 'w'); fs.writeSync(fd, 'x'); fs.fsyncSync(fd); fs.closeSync(fd);
      for (const dir of [d + '/blobs', d]) { const h = fs.openSync(dir, 'r'); fs.fsyncSync(h); fs.closeSync(h); }
    `;
    assert.equal(fs.readFileSync(path.join(cut(record(code).model), 'blobs/x'), 'utf8'), 'x');
    assert.equal(
      fs.existsSync(path.join(cut(record(code, { POWER_DROP_DIR: '/blobs' }).model), 'blobs/x')),
      false,
    );
  });
});
