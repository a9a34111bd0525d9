import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createFsBlobStore } from '../../src/adapters/fs-blob-store';
import { buildPolicy } from '../../src/domain/policy';
import { checkFiles } from '../../src/domain/validation/index';
import { IN_MEMORY_BYTES } from '../../src/ports/blob-store';
import { receivedFile } from '../../src/services/submit-document';
import * as samples from '../helpers/sample-files';
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

test('validators that keep a staged file read in lent chunks (XML, tar.gz) see it as received', async () => {
  const root = tmp();
  try {
    const store = createFsBlobStore(root);
    // Several reads each: a reader's chunks share one buffer, so one that is kept uncopied
    // would be overwritten by the next.
    const paragraphs = Array.from({ length: 60_000 }, (_, i) => `<p>akapit ${i}</p>`).join('');
    const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><pismo>${paragraphs}</pismo>`);
    const tgz = samples.gzip(
      await samples.tarball([
        // Hex digits: text that gzip cannot shrink to less than one read.
        { name: 'a.txt', data: Buffer.from(randomBytes(350_000).toString('hex')) },
        { name: 'b.txt', data: Buffer.from(randomBytes(350_000).toString('hex')) },
      ]),
    );
    assert.ok(xml.length > IN_MEMORY_BYTES * 2 && tgz.length > IN_MEMORY_BYTES);
    const files = [
      receivedFile('document', 'pismo.xml', await store.stage(xml)),
      receivedFile('attachment', 'pliki.tar.gz', await store.stage(tgz)),
    ];
    const result = await checkFiles(buildPolicy(), files);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      result.files.map((file) => file.formatId),
      ['xml', 'gzip'],
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
