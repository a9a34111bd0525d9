import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadOrCreateLogKey } from '../src/adapters/log-key';
import {
  ed25519PrivateKeyFromSeed,
  ed25519Signer,
  formatCheckpoint,
  leafHash,
  memoryHashSource,
  signNote,
} from '../src/domain/tlog/index';
import { appendToLog } from '../src/services/transparency-log';
import { startTestApp, type TestApp } from './helpers/app';
import { testDialects } from './helpers/databases';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Runs the command line as a separate process, without blocking the server in this one. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A server that answers the checkpoint with `checkpoint()` and forwards everything else. */
async function lyingServer(
  upstream: string,
  checkpoint: () => string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/api/v1/log/checkpoint') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(checkpoint());
      return;
    }
    fetch(`${upstream}${req.url}`).then(
      async (answer) =>
        res
          .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' })
          .end(await answer.text()),
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

for (const dialect of testDialects()) {
  describe(`log monitor (${dialect})`, () => {
    let app: TestApp;
    let url: string;
    let dir: string;
    let state: string;

    before(async () => {
      app = await startTestApp(dialect);
      await app.http.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.http.server.address() as { port: number }).port}`;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-monitor-'));
      state = path.join(dir, 'state.json');
    });
    after(async () => {
      await app.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function append(count: number): Promise<void> {
      const { db, dialect: d, clock } = app.deps;
      for (let i = 0; i < count; i++)
        await db
          .transaction()
          .execute((tx) => appendToLog(tx, d, sha256(`receipt ${Math.random()}`), clock.now()));
      await app.services.signCheckpointIfGrown();
    }

    const savedState = () =>
      JSON.parse(fs.readFileSync(state, 'utf8')) as {
        key: string;
        checkpoint: { size: number; note: string };
      };

    test('pins the key on first use, then follows the log as it grows', async () => {
      await append(5);
      const first = await cli(['log', 'monitor', url, '--state', state]);
      assert.equal(first.status, 0, first.stderr);
      assert.match(
        first.stdout,
        /^OK localhost:3000\/log: size 5, root \S+; first checkpoint kept, key pinned \(localhost:3000\/log\+[0-9a-f]{8}\+/,
      );
      assert.equal(savedState().key, app.services.logVerifierKey());

      await append(6);
      const second = await cli(['log', 'monitor', `${url}/`, '--state', state]);
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /size 11, .*consistent with size 5/);

      const third = await cli([
        'log',
        'monitor',
        url,
        '--state',
        state,
        '--key',
        app.services.logVerifierKey(),
      ]);
      assert.equal(third.status, 0, third.stderr);
      assert.match(third.stdout, /unchanged since the last check/);
    });

    test('a forged signature, a smaller size or a second root for the same size raises an alarm', async () => {
      const kept = savedState().checkpoint;
      const genuine = (await app.http.inject({ url: '/api/v1/log/checkpoint' })).body;
      const signer = ed25519Signer(app.env.config.logOrigin, loadOrCreateLogKey(app.env.config.dataDir));
      const impostor = ed25519Signer(
        app.env.config.logOrigin,
        ed25519PrivateKeyFromSeed(Buffer.alloc(32, 9)),
      );
      const older = await app.deps.db
        .selectFrom('tlog_checkpoints')
        .select('note')
        .where('tree_size', '=', 5)
        .executeTakeFirstOrThrow();
      const cases: Array<[string, string, RegExp]> = [
        [
          'changed size line',
          genuine.replace(`\n${kept.size}\n`, `\n${kept.size + 1}\n`),
          /does not verify with the log key.*does not verify/,
        ],
        [
          'another key',
          signNote(formatCheckpoint({ origin: signer.name, size: kept.size + 3, rootHash: sha256('x') }), [
            impostor,
          ]),
          /no signature from a known key/,
        ],
        ['smaller size', older.note, /the log shrank: size 5 after size 11/],
        [
          'fork',
          signNote(
            formatCheckpoint({ origin: signer.name, size: kept.size, rootHash: sha256('other history') }),
            [signer],
          ),
          /fork: two different roots for size 11/,
        ],
      ];
      for (const [name, note, alarm] of cases) {
        const liar = await lyingServer(url, () => note);
        try {
          const run = await cli(['log', 'monitor', liar.url, '--state', state]);
          assert.equal(run.status, 1, `${name}: ${run.stdout}${run.stderr}`);
          assert.match(run.stderr, /^ALARM /, name);
          assert.match(run.stderr, alarm, name);
        } finally {
          await liar.close();
        }
        assert.deepEqual(savedState().checkpoint, kept, `${name}: the state keeps the last good checkpoint`);
      }
    });

    test('a log that rewrites a stored hash is caught by the consistency proof', async () => {
      const { db } = app.deps;
      const rows = await db.selectFrom('tlog_leaves').select('entry_hash').orderBy('leaf_index').execute();
      const leaves = rows.map((r) => leafHash(Buffer.from(r.entry_hash!, 'hex')));
      leaves[2] = leafHash(sha256('a receipt the office would rather forget'));
      // Rewrite history consistently: every stored subtree over the forged leaf.
      const forged = memoryHashSource(leaves);
      const nodes = await db.selectFrom('tlog_nodes').select(['level', 'node_index']).execute();
      const hashes = await forged.get(nodes.map((n) => ({ level: n.level, index: n.node_index })));
      for (const [i, n] of nodes.entries()) {
        await db
          .updateTable('tlog_nodes')
          .set({ hash: hashes[i]!.toString('hex') })
          .where('level', '=', n.level)
          .where('node_index', '=', n.node_index)
          .execute();
      }
      await append(2);
      const run = await cli(['log', 'monitor', url, '--state', state]);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(
        run.stderr,
        /ALARM .*fork: the tree of size 13 is not an extension of the tree of size 11/,
      );
      assert.equal(savedState().checkpoint.size, 11);
    });

    test('usage errors exit 2', async () => {
      assert.equal((await cli(['log', 'monitor'])).status, 2);
      assert.equal((await cli(['log', 'monitor', 'not a url'])).status, 2);
      assert.equal((await cli(['log', 'watch', url])).status, 2);
      const badKey = await cli(['log', 'monitor', url, '--state', state, '--key', 'nonsense']);
      assert.equal(badKey.status, 2);
      assert.match(badKey.stderr, /--key: a verifier key reads/);
      const unreachable = await cli([
        'log',
        'monitor',
        'http://127.0.0.1:9',
        '--state',
        path.join(dir, 'other.json'),
      ]);
      assert.equal(unreachable.status, 1);
      assert.match(unreachable.stderr, /log monitor failed/);
    });
  });
}
