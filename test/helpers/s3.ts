import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../../src/config';

/** s3rver's fixed credentials. */
const ACCESS_KEY = 'S3RVER';

export interface TestS3 {
  /** S3_* settings pointing at this server and its bucket, for loadConfig / startTestApp. */
  env: Record<string, string>;
  /** The same as a parsed S3Config, for building a store directly. */
  config: S3Config;
  /** A client of the server, for looking into the bucket. */
  client: S3Client;
  bucket: string;
  /** Another empty bucket on the same server, for a test that needs a store of its own. */
  newBucket(): Promise<S3Config>;
  stop(): Promise<void>;
}

/**
 * A real S3 protocol server (s3rver, in a child process) on a free loopback port, storing in a
 * temporary directory, with a fresh bucket made through the S3 API.
 */
export async function startS3(): Promise<TestS3> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      path.join(import.meta.dirname, 's3rver-process.ts'),
      directory,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('s3rver did not start within 30 s'));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code} before listening`));
    });
  });
  const base: Omit<S3Config, 'bucket'> = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    forcePathStyle: true,
  };
  const config: S3Config = { ...base, bucket: `urzad-${randomBytes(4).toString('hex')}` };
  const bucket = config.bucket;
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: true,
    credentials: config.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    env: {
      S3_ENDPOINT: config.endpoint!,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
    },
    config,
    client,
    bucket,
    async newBucket() {
      const other: S3Config = { ...base, bucket: `urzad-${randomBytes(4).toString('hex')}` };
      await client.send(new CreateBucketCommand({ Bucket: other.bucket }));
      return other;
    },
    async stop() {
      client.destroy();
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
