import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BlobDigestError,
  BlobNotFoundError,
  IN_MEMORY_BYTES,
  type BlobStore,
} from '../../src/ports/blob-store';

/** A fresh, empty store and a way to see the temporary files it left behind. */
export interface ContractSubject {
  store: BlobStore;
  /** Files left in the store's local staging directory. */
  stagingFiles(): string[];
  cleanup(): Promise<void>;
}

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

async function listed(store: BlobStore): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of store.list()) names.push(entry.sha256);
  return names.sort();
}

/** Copies of the chunks: a staged file's are lent, valid until the next is asked for. */
async function chunksOf(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return chunks;
}

async function streamed(store: BlobStore, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * What every BlobStore must do, whatever keeps the bytes: run by the filesystem store's tests
 * and by the S3 store's (against s3rver).
 */
export function blobStoreContract(label: string, open: () => Promise<ContractSubject>): void {
  const withStore = (name: string, body: (subject: ContractSubject) => Promise<void>) =>
    test(`${label}: ${name}`, async () => {
      const subject = await open();
      try {
        await body(subject);
      } finally {
        await subject.cleanup();
      }
    });

  withStore(
    'a put stores content under its SHA-256; get, read, has, stat, list and delete agree',
    async ({ store, stagingFiles }) => {
      const content = Buffer.from('Zażółć gęślą jaźń');
      const started = Date.now();
      const blob = await store.put(content);
      assert.equal(blob.sha256, sha256(content));
      assert.equal(blob.size, content.length);
      assert.deepEqual(await store.read(blob.sha256), content);
      assert.deepEqual(await streamed(store, blob.sha256), content);
      assert.equal(await store.has(blob.sha256), true);
      const stat = await store.stat(blob.sha256);
      assert.equal(stat?.size, content.length);
      // S3 keeps whole seconds.
      assert.ok(
        stat && stat.modifiedAt.getTime() >= Math.floor(started / 1000) * 1000 - 1000,
        'modification time is the put',
      );
      const entries = [];
      for await (const entry of store.list()) entries.push(entry);
      assert.deepEqual(
        entries.map((e) => e.sha256),
        [blob.sha256],
      );
      assert.equal(entries[0]!.modifiedAt.getTime(), stat.modifiedAt.getTime());
      assert.deepEqual(stagingFiles(), [], 'no temporary file stays after a put');

      await store.delete(blob.sha256);
      assert.equal(await store.has(blob.sha256), false);
      assert.equal(await store.stat(blob.sha256), undefined);
      await assert.rejects(store.read(blob.sha256), BlobNotFoundError);
      await assert.rejects(store.get(blob.sha256), BlobNotFoundError);
      await store.delete(blob.sha256);
      assert.deepEqual(await listed(store), []);
    },
  );

  withStore('names that are not SHA-256 are never looked up', async ({ store }) => {
    for (const name of ['../../etc/passwd', 'A'.repeat(64), '', `${'a'.repeat(64)}/x`]) {
      assert.equal(await store.has(name), false);
      assert.equal(await store.stat(name), undefined);
      await assert.rejects(store.read(name), BlobNotFoundError);
      await assert.rejects(store.get(name), BlobNotFoundError);
    }
  });

  withStore('a streamed put whose source fails leaves nothing behind', async ({ store, stagingFiles }) => {
    async function* broken() {
      yield Buffer.from('first part');
      throw new Error('client went away');
    }
    await assert.rejects(store.put(broken()), /client went away/);
    await assert.rejects(store.stage(broken()), /client went away/);
    assert.deepEqual(stagingFiles(), []);
    assert.deepEqual(await listed(store), []);
  });

  withStore(
    'staged content is outside the store until committed; discard leaves nothing',
    async ({ store, stagingFiles }) => {
      const staged = await store.stage(Buffer.from('staged'));
      assert.equal(Buffer.concat(await chunksOf(staged.read())).toString(), 'staged');
      assert.equal(staged.sha256, sha256('staged'));
      assert.equal(await store.has(staged.sha256), false);
      await staged.commit();
      assert.equal(await store.has(staged.sha256), true);
      await assert.rejects(staged.commit(), /already/);

      const other = await store.stage(Buffer.from('rejected'));
      await other.discard();
      await other.discard();
      assert.equal(await store.has(other.sha256), false);

      const large = await store.stage(Buffer.alloc(IN_MEMORY_BYTES + 1, 'x'));
      assert.ok(large.path && fs.existsSync(large.path), 'larger content is staged in a file');
      await large.discard();
      assert.equal(fs.existsSync(large.path), false);
      assert.equal(await store.has(large.sha256), false);

      const again = await store.stage(Buffer.from('staged'));
      await again.commit();
      assert.deepEqual(stagingFiles(), [], 'a duplicate commit leaves no temporary file');
      assert.deepEqual(await listed(store), [sha256('staged')]);
    },
  );

  withStore(
    'small content is staged in memory: no file until commit, none at all when discarded',
    async ({ store, stagingFiles }) => {
      const content = Buffer.alloc(IN_MEMORY_BYTES, 'wniosek ');
      async function* chunks() {
        for (let i = 0; i < content.length; i += 16 * 1024) yield content.subarray(i, i + 16 * 1024);
      }
      const staged = await store.stage(chunks());
      assert.deepEqual(staged.bytes, content);
      assert.equal(staged.path, undefined);
      assert.deepEqual(Buffer.concat(await chunksOf(staged.read())), content);
      assert.deepEqual(stagingFiles(), []);
      await staged.discard();
      assert.deepEqual(stagingFiles(), []);
      assert.equal(await store.has(sha256(content)), false);

      const kept = await store.stage(chunks());
      await kept.commit();
      assert.deepEqual(await store.read(sha256(content)), content);
      assert.deepEqual(stagingFiles(), []);
    },
  );

  withStore(
    'bytes that no longer match their digest are refused at commit and leave nothing',
    async ({ store, stagingFiles }) => {
      const received = Buffer.alloc(IN_MEMORY_BYTES + 1024, 'the letter as it was received ');
      const changed = Buffer.from(received.toString().toUpperCase());
      const staged = await store.stage(received);
      // Same length, other bytes: what a faulty disk or a stray writer would do.
      fs.writeFileSync(staged.path!, changed);
      await assert.rejects(staged.commit(), BlobDigestError);
      assert.equal(await store.has(staged.sha256), false);
      assert.equal(await store.has(sha256(changed)), false);
      assert.deepEqual(await listed(store), []);
      assert.deepEqual(stagingFiles(), []);
    },
  );

  withStore(
    "a change that a complete read (the validators') comes across is refused at commit",
    async ({ store, stagingFiles }) => {
      const received = Buffer.alloc(IN_MEMORY_BYTES + 1024, 'the letter as it was received ');
      const changed = Buffer.from(received.toString().toUpperCase());
      const staged = await store.stage(received);
      fs.writeFileSync(staged.path!, changed);
      assert.deepEqual(Buffer.concat(await chunksOf(staged.read())), changed);
      await assert.rejects(staged.commit(), BlobDigestError);
      assert.deepEqual(await listed(store), []);
      assert.deepEqual(stagingFiles(), []);

      const intact = await store.stage(received);
      assert.deepEqual(Buffer.concat(await chunksOf(intact.read())), received);
      assert.deepEqual(await intact.commit(), { sha256: sha256(received), size: received.length });
      assert.deepEqual(await store.read(sha256(received)), received);
      assert.deepEqual(stagingFiles(), []);
    },
  );

  withStore(
    'concurrent puts of the same content all succeed and keep one intact copy',
    async ({ store, stagingFiles }) => {
      const content = Buffer.alloc(256 * 1024, 'wniosek ');
      const results = await Promise.all(Array.from({ length: 8 }, () => store.put(content)));
      for (const r of results) assert.deepEqual(r, { sha256: sha256(content), size: content.length });
      assert.deepEqual(await listed(store), [sha256(content)]);
      assert.deepEqual(await store.read(sha256(content)), content);
      assert.deepEqual(stagingFiles(), []);
    },
  );

  withStore('committing content already stored renews its modification time', async ({ store }) => {
    const first = await store.put(Buffer.from('the same bytes'));
    const before = (await store.stat(first.sha256))!.modifiedAt;
    // S3 keeps whole seconds.
    await sleep(1100);
    await store.put(Buffer.from('the same bytes'));
    const after = (await store.stat(first.sha256))!.modifiedAt;
    assert.ok(after.getTime() > before.getTime(), `${after.toISOString()} > ${before.toISOString()}`);
  });

  withStore('a large file goes in and comes out intact', async ({ store }) => {
    const content = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE((i * 2654435761) >>> 0, i);
    async function* chunks() {
      for (let i = 0; i < content.length; i += 64 * 1024) yield content.subarray(i, i + 64 * 1024);
    }
    const blob = await store.put(chunks());
    assert.equal(blob.sha256, sha256(content));
    assert.equal(sha256(await streamed(store, blob.sha256)), blob.sha256);
  });

  withStore('ping answers for a usable store', async ({ store }) => {
    await store.ping();
  });
}
