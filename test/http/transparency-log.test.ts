import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  checkInclusion,
  ed25519PrivateKeyFromSeed,
  ed25519Signer,
  leafHash,
  nodeHash,
  openCheckpoint,
  parseInclusionProof,
  parseVerifierKey,
  rootHash,
  verifierKeyString,
  verifyConsistency,
  verifyInclusion,
  type Checkpoint,
} from '../../src/domain/tlog/index';
import { appendToLog } from '../../src/services/transparency-log';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const b64 = (hashes: string[]): Buffer[] => hashes.map((h) => Buffer.from(h, 'base64'));

for (const dialect of testDialects()) {
  describe(`transparency log API (${dialect})`, () => {
    let app: TestApp;
    const entries: Buffer[] = [];

    before(async () => {
      app = await startTestApp(dialect);
    });
    after(async () => app.dispose());

    async function append(count: number): Promise<void> {
      const { db, dialect: d, clock } = app.deps;
      for (let i = 0; i < count; i++) {
        const entry = sha256(`receipt ${entries.length}`);
        const { index } = await db.transaction().execute((tx) => appendToLog(tx, d, entry, clock.now()));
        assert.equal(index, entries.length);
        entries.push(entry);
      }
    }

    async function checkpoint(): Promise<Checkpoint> {
      const key = await app.http.inject({ url: '/api/v1/log/key' });
      const res = await app.http.inject({ url: '/api/v1/log/checkpoint' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain; charset=utf-8/);
      return openCheckpoint(res.body, parseVerifierKey(key.body));
    }

    test('the key is a C2SP verifier key named by the origin, and a fresh installation has a checkpoint', async () => {
      const key = await app.http.inject({ url: '/api/v1/log/key' });
      assert.equal(key.statusCode, 200);
      assert.match(key.body, /^localhost:3000\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
      const first = await checkpoint();
      assert.equal(first.origin, 'localhost:3000/log');
      assert.equal(first.size, 0);
    });

    test('the checkpoint is renewed while the log grows, and proofs verify against it', async () => {
      await append(13);
      // Waits for the condition; the generous bound only keeps a broken renewal from hanging.
      const started = Date.now();
      let latest = await checkpoint();
      while (latest.size < 13 && Date.now() - started < 60_000) {
        await new Promise((r) => setTimeout(r, 50));
        latest = await checkpoint();
      }
      assert.equal(latest.size, 13, 'a checkpoint of the new size');

      for (const index of [0, 6, 12]) {
        const res = await app.http.inject({ url: `/api/v1/log/proof/inclusion?index=${index}&size=13` });
        assert.equal(res.statusCode, 200);
        const body = res.json() as { index: number; size: number; hashes: string[] };
        assert.equal(body.index, index);
        assert.ok(verifyInclusion(index, 13, leafHash(entries[index]!), b64(body.hashes), latest.rootHash));
        assert.ok(
          !verifyInclusion(index, 13, leafHash(sha256('another receipt')), b64(body.hashes), latest.rootHash),
        );
      }

      const old = latest;
      await append(7);
      await app.services.signCheckpointIfGrown();
      const now = await checkpoint();
      assert.equal(now.size, 20);
      const res = await app.http.inject({
        url: `/api/v1/log/proof/consistency?from=${old.size}&to=${now.size}`,
      });
      assert.equal(res.statusCode, 200);
      const body = res.json() as { from: number; to: number; hashes: string[] };
      assert.deepEqual([body.from, body.to], [13, 20]);
      assert.ok(verifyConsistency(13, 20, old.rootHash, now.rootHash, b64(body.hashes)));
      const empty = await app.http.inject({ url: '/api/v1/log/proof/consistency?from=20&to=20' });
      assert.deepEqual((empty.json() as { hashes: string[] }).hashes, []);
    });

    test('bad parameters get 400 problem+json naming the parameter and the rule, in Polish and English', async () => {
      const cases: Array<[string, string, RegExp]> = [
        ['/api/v1/log/proof/inclusion?size=3', 'index', /Podaj parametr „index”/],
        [
          '/api/v1/log/proof/inclusion?index=-1&size=3',
          'index',
          /„index” musi być liczbą całkowitą od 0 do 2147483647/,
        ],
        ['/api/v1/log/proof/inclusion?index=1.5&size=3', 'index', /liczbą całkowitą/],
        ['/api/v1/log/proof/inclusion?index=1&size=3&size=4', 'size', /liczbą całkowitą/],
        ['/api/v1/log/proof/inclusion?index=abc&size=3', 'index', /liczbą całkowitą/],
        [
          '/api/v1/log/proof/inclusion?index=3&size=3',
          'index',
          /„index” \(3\) musi być mniejszy niż parametr „size” \(3\)/,
        ],
        [
          '/api/v1/log/proof/inclusion?index=0&size=21',
          'size',
          /„size” \(21\) przekracza bieżący rozmiar dziennika \(20\)/,
        ],
        ['/api/v1/log/proof/inclusion?index=0&size=99999999999', 'size', /liczbą całkowitą/],
        [
          '/api/v1/log/proof/consistency?from=5&to=4',
          'from',
          /„from” \(5\) nie może być większy niż parametr „to” \(4\)/,
        ],
        ['/api/v1/log/proof/consistency?from=5&to=21', 'to', /przekracza bieżący rozmiar dziennika/],
        ['/api/v1/log/proof/consistency?to=4', 'from', /Podaj parametr „from”/],
      ];
      for (const [url, field, message] of cases) {
        const res = await app.http.inject({ url });
        assert.equal(res.statusCode, 400, url);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        const body = res.json() as {
          status: number;
          detail: string;
          errors: Array<{ field: string; message: string }>;
        };
        assert.equal(body.detail, 'Nie można przygotować dowodu dla podanych parametrów.');
        assert.equal(body.errors[0]!.field, field, url);
        assert.match(body.errors[0]!.message, message, url);
      }
      const en = await app.http.inject({ url: '/api/v1/log/proof/inclusion?index=3&size=3&lang=en' });
      assert.equal(en.statusCode, 400);
      assert.match(
        (en.json() as { errors: Array<{ message: string }> }).errors[0]!.message,
        /“index” \(3\) must be smaller than the parameter “size” \(3\)/,
      );
    });

    test('C2SP tlog-tiles: full and partial tiles and entry bundles rebuild the checkpoint root', async () => {
      const { db, dialect: d, clock } = app.deps;
      await db.transaction().execute(async (tx) => {
        for (let i = entries.length; i < 300; i++) {
          const entry = sha256(`receipt ${i}`);
          await appendToLog(tx, d, entry, clock.now());
          entries.push(entry);
        }
      });
      await app.services.signCheckpointIfGrown();
      const latest = await checkpoint();
      assert.equal(latest.size, 300);
      const leaves = entries.map(leafHash);

      const full = await app.http.inject({ url: '/api/v1/log/tile/0/000' });
      assert.equal(full.statusCode, 200);
      assert.equal(full.headers['content-type'], 'application/octet-stream');
      assert.equal(full.rawPayload.length, 256 * 32);
      assert.deepEqual(full.rawPayload, Buffer.concat(leaves.slice(0, 256)));
      const partial = await app.http.inject({ url: '/api/v1/log/tile/0/001.p/44' });
      assert.deepEqual(partial.rawPayload, Buffer.concat(leaves.slice(256, 300)));
      const upper = await app.http.inject({ url: '/api/v1/log/tile/1/000.p/1' });
      assert.deepEqual(upper.rawPayload, rootHash(leaves.slice(0, 256)));
      // The root of 300 entries from tiles alone: the level-1 hash, then the partial level-0 tile.
      const rest = Array.from({ length: 44 }, (_, i) => partial.rawPayload.subarray(i * 32, (i + 1) * 32));
      assert.deepEqual(nodeHash(upper.rawPayload, rootHash(rest)), latest.rootHash);

      const bundle = await app.http.inject({ url: '/api/v1/log/tile/entries/001.p/44' });
      assert.equal(bundle.rawPayload.length, 44 * 34);
      assert.deepEqual(
        bundle.rawPayload.subarray(0, 34),
        Buffer.concat([Buffer.from([0, 32]), entries[256]!]),
      );

      for (const url of [
        '/api/v1/log/tile/0/001',
        '/api/v1/log/tile/0/001.p/45',
        '/api/v1/log/tile/entries/x001/000',
        '/api/v1/log/tile/2/000.p/1',
      ]) {
        const res = await app.http.inject({ url });
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /nie zawiera jeszcze tego kafelka/);
      }
      const bad: Array<[string, RegExp]> = [
        ['/api/v1/log/tile/0/1', /trzycyfrowymi częściami/],
        ['/api/v1/log/tile/0/x000/001', /nie może zaczynać się od części „x000”/],
        ['/api/v1/log/tile/64/000', /poziom to liczba od 0 do 63/],
        ['/api/v1/log/tile/01/000', /poziom to liczba od 0 do 63/],
        ['/api/v1/log/tile/0/000.p/0', /od 1 do 255/],
        ['/api/v1/log/tile/0/000.p/256', /od 1 do 255/],
        ['/api/v1/log/tile/0/000.p/', /od 1 do 255/],
        ['/api/v1/log/tile/0/001/002', /trzycyfrowymi częściami/],
      ];
      for (const [url, message] of bad) {
        const res = await app.http.inject({ url });
        assert.equal(res.statusCode, 400, url);
        assert.match((res.json() as { detail: string }).detail, message, url);
      }
      const en = await app.http.inject({ url: '/api/v1/log/tile/0/1?lang=en' });
      assert.match((en.json() as { detail: string }).detail, /3-digit elements/);
    });

    test('offline check of a receipt with the served checkpoint, key and proof', async () => {
      const note = (await app.http.inject({ url: '/api/v1/log/checkpoint' })).body;
      const verifier = parseVerifierKey((await app.http.inject({ url: '/api/v1/log/key' })).body);
      const size = openCheckpoint(note, verifier).size;
      const proofText = (await app.http.inject({ url: `/api/v1/log/proof/inclusion?index=42&size=${size}` }))
        .body;
      const proof = parseInclusionProof(proofText);
      const check = (entry: Buffer, index = 42, key = verifier, p = proof) =>
        checkInclusion({ entry, index, checkpointNote: note, verifier: key, proof: p });
      assert.equal(check(entries[42]!).ok, true);
      assert.deepEqual(check(sha256('a changed receipt')), {
        ok: false,
        reason: 'not-included',
        detail: 'the receipt is not entry 42 of the log under this checkpoint',
      });
      assert.equal((check(entries[42]!, 43) as { reason: string }).reason, 'index-mismatch');
      const stranger = parseVerifierKey(
        verifierKeyString(ed25519Signer(verifier.name, ed25519PrivateKeyFromSeed(Buffer.alloc(32, 3)))),
      );
      assert.equal((check(entries[42]!, 42, stranger) as { reason: string }).reason, 'checkpoint-unverified');
      assert.equal(
        (check(entries[42]!, 42, verifier, { ...proof, size: size - 1 }) as { reason: string }).reason,
        'size-mismatch',
      );
      assert.throws(() => parseInclusionProof('{"index":1}'), /"index" and "size"/);
      assert.throws(() => parseInclusionProof('{"index":1,"size":2,"hashes":["AAAA"]}'), /32 bytes/);
      assert.throws(() => parseInclusionProof('<xml/>'), /not JSON/);
    });
  });
}
