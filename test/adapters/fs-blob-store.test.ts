import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createFsBlobStore } from '../../src/adapters/fs-blob-store';
import { blobStoreContract } from './blob-store-contract';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-'));

blobStoreContract('filesystem store', async () => {
  const root = tmp();
  return {
    store: createFsBlobStore(root),
    stagingFiles: () => fs.readdirSync(path.join(root, 'tmp')),
    cleanup: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

test('blobs are files under <root>/aa/bb/<sha256>', async () => {
  const root = tmp();
  try {
    const blob = await createFsBlobStore(root).put(Buffer.from('Zażółć gęślą jaźń'));
    assert.equal(
      fs.readFileSync(path.join(root, blob.sha256.slice(0, 2), blob.sha256.slice(2, 4), blob.sha256), 'utf8'),
      'Zażółć gęślą jaźń',
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ping fails when the store cannot be written', async () => {
  const root = tmp();
  const store = createFsBlobStore(root);
  fs.rmSync(root, { recursive: true, force: true });
  await assert.rejects(store.ping());
});
