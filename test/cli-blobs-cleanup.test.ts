import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createFsBlobStore } from '../src/adapters/fs-blob-store';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

function cli(args: string[], dataDir: string) {
  return spawnSync(process.execPath, [...CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

test('blobs-cleanup: a dry run lists the old orphan, the run removes it and keeps the young one; a too short age is refused', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-cli-'));
  try {
    const root = path.join(dataDir, 'blobs');
    const store = createFsBlobStore(root);
    const old = await store.put(Buffer.from('left behind two hours ago'));
    const young = await store.put(Buffer.from('a filing in progress'));
    const oldFile = path.join(root, old.sha256.slice(0, 2), old.sha256.slice(2, 4), old.sha256);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(oldFile, twoHoursAgo, twoHoursAgo);

    const dry = cli(['blobs-cleanup', '--dry-run'], dataDir);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would remove ${old.sha256}`));
    assert.doesNotMatch(dry.stdout, new RegExp(young.sha256));
    assert.match(dry.stdout, /dry run: 1 of 2 stored files would be removed/);
    assert.equal(await store.has(old.sha256), true);

    const run = cli(['blobs-cleanup', '--older-than-minutes', '90'], dataDir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^removed ${old.sha256} \\(stored ${twoHoursAgo.toISOString().slice(0, 16)}`, 'm'),
    );
    assert.match(run.stdout, /1 of 2 stored files removed \(unreferenced, older than 90 min\)/);
    assert.equal(await store.has(old.sha256), false);
    assert.equal(await store.has(young.sha256), true);

    const tooShort = cli(['blobs-cleanup', '--older-than-minutes', '1'], dataDir);
    assert.equal(tooShort.status, 2);
    assert.match(tooShort.stderr, /--older-than-minutes must be a whole number of at least 5/);
    assert.equal(await store.has(young.sha256), true);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
