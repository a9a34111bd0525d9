import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createFsBlobStore } from '../../src/adapters/fs-blob-store';
import { BlobNotFoundError } from '../../src/ports/blob-store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-'));

test('a put stores content under its SHA-256 and reads back the same bytes', async () => {
  const root = tmp();
  const store = createFsBlobStore(root);
  const content = Buffer.from('Zażółć gęślą jaźń');
  const blob = await store.put(content);
  assert.equal(blob.sha256, createHash('sha256').update(content).digest('hex'));
  assert.equal(blob.size, content.length);
  assert.ok(fs.existsSync(path.join(root, blob.sha256.slice(0, 2), blob.sha256.slice(2, 4), blob.sha256)));
  assert.deepEqual(await store.read(blob.sha256), content);
  assert.equal(await store.has(blob.sha256), true);
  const listed = [];
  for await (const entry of store.list()) listed.push(entry.sha256);
  assert.deepEqual(listed, [blob.sha256]);
  await store.delete(blob.sha256);
  assert.equal(await store.has(blob.sha256), false);
  await assert.rejects(store.read(blob.sha256), BlobNotFoundError);
});

test('a streamed put that fails leaves nothing behind', async () => {
  const root = tmp();
  const store = createFsBlobStore(root);
  async function* broken() {
    yield Buffer.from('first part');
    throw new Error('client went away');
  }
  await assert.rejects(store.put(broken()), /client went away/);
  assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), []);
  const listed = [];
  for await (const entry of store.list()) listed.push(entry);
  assert.equal(listed.length, 0);
});

test('names that are not SHA-256 are never turned into paths', async () => {
  const store = createFsBlobStore(tmp());
  assert.equal(await store.has('../../etc/passwd'), false);
  await assert.rejects(store.read('../../etc/passwd'), BlobNotFoundError);
});

test('staged content is outside the store until committed; discard leaves nothing', async () => {
  const root = tmp();
  const store = createFsBlobStore(root);
  const staged = await store.stage(Buffer.from('staged'));
  assert.equal(fs.readFileSync(staged.path, 'utf8'), 'staged');
  assert.equal(await store.has(staged.sha256), false);
  await staged.commit();
  assert.equal(await store.has(staged.sha256), true);
  await assert.rejects(staged.commit(), /already/);

  const other = await store.stage(Buffer.from('rejected'));
  await other.discard();
  assert.equal(fs.existsSync(other.path), false);
  assert.equal(await store.has(other.sha256), false);
  assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), []);

  const again = await store.stage(Buffer.from('staged'));
  await again.commit();
  assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), [], 'a duplicate commit leaves no temporary file');
});
