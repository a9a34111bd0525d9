import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3BlobStore } from '../../src/adapters/s3-blob-store';
import { ConfigError, loadConfig } from '../../src/config';
import { startS3, type TestS3 } from '../helpers/s3';
import { blobStoreContract } from './blob-store-contract';

let s3: TestS3;
before(async () => {
  s3 = await startS3();
});
after(async () => {
  await s3.stop();
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 's3-staging-'));

blobStoreContract('S3 store (s3rver)', async () => {
  const staging = tmp();
  return {
    store: createS3BlobStore(await s3.newBucket(), staging),
    stagingFiles: () => fs.readdirSync(staging),
    cleanup: async () => fs.rmSync(staging, { recursive: true, force: true }),
  };
});

test('S3 store: blobs are objects blobs/<sha256> in the bucket, and list follows every page', async () => {
  const settings = await s3.newBucket();
  const store = createS3BlobStore(settings, tmp(), { listPageSize: 2 });
  const put = [];
  for (let i = 0; i < 5; i++) put.push((await store.put(Buffer.from(`pismo ${i}`))).sha256);
  const object = await s3.client.send(
    new GetObjectCommand({ Bucket: settings.bucket, Key: `blobs/${put[0]}` }),
  );
  assert.equal(await object.Body!.transformToString(), 'pismo 0');
  const keys = await s3.client.send(new ListObjectsV2Command({ Bucket: settings.bucket }));
  assert.deepEqual(keys.Contents?.map((c) => c.Key).sort(), put.map((sha) => `blobs/${sha}`).sort());
  const listed = [];
  for await (const entry of store.list()) listed.push(entry.sha256);
  assert.deepEqual(listed.sort(), [...put].sort());
});

test('S3 store: ping fails for a bucket that does not exist and for an unknown access key; a refused put leaves nothing', async () => {
  await assert.rejects(createS3BlobStore({ ...s3.config, bucket: 'no-such-bucket' }, tmp()).ping());
  const staging = tmp();
  // s3rver checks the access key but not SigV4 signatures, so a wrong key id stands for wrong credentials.
  const stranger = createS3BlobStore(
    { ...s3.config, credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'S3RVER' } },
    staging,
  );
  await assert.rejects(stranger.ping());
  await assert.rejects(stranger.put(Buffer.from('x')), /Access Key Id/);
  assert.deepEqual(fs.readdirSync(staging), []);
});

test('S3 settings: all or nothing, named in the message; path style by default with an endpoint', () => {
  assert.equal(loadConfig({}).s3, undefined);
  assert.throws(
    () => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' }),
    (e: Error) => e instanceof ConfigError && /S3_BUCKET: is required/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ S3_BUCKET: 'urzad-pliki', S3_ACCESS_KEY_ID: 'key' }),
    (e: Error) => e instanceof ConfigError && /S3_SECRET_ACCESS_KEY: .*go together/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ S3_BUCKET: 'Bad_Bucket' }),
    (e: Error) => e instanceof ConfigError && /S3_BUCKET: must be a bucket name/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ S3_BUCKET: 'urzad', S3_ENDPOINT: 'ftp://x' }),
    (e: Error) => e instanceof ConfigError && /S3_ENDPOINT/.test(e.message),
  );
  assert.deepEqual(
    loadConfig({
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'urzad-pliki',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
    }).s3,
    {
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'urzad-pliki',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
      timeoutMs: 30_000,
    },
  );
  const aws = loadConfig({ S3_BUCKET: 'urzad-pliki', S3_REGION: 'eu-central-1' }).s3;
  assert.equal(aws?.forcePathStyle, false);
  assert.equal(aws?.credentials, undefined);
  assert.equal(
    loadConfig({ S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'urzad', S3_FORCE_PATH_STYLE: 'false' }).s3
      ?.forcePathStyle,
    false,
  );
});
