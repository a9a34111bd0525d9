import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type DeleteObjectCommandOutput,
  type GetObjectCommandOutput,
  type HeadBucketCommandOutput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandOutput,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { setTimeout as delay } from 'node:timers/promises';
import { isUnavailable, unavailable } from '../domain/errors';
import type { S3Config } from '../config';
import { BlobDigestError, BlobNotFoundError, SHA256_HEX, type BlobStore } from '../ports/blob-store';
import { stagedReader, writeStagingFile } from './staging-file';

const PREFIX = 'blobs/';

/**
 * Blobs as objects `blobs/<sha256>` in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW).
 * Staging stays in memory, or a local temporary file under `stagingDir` when larger than
 * IN_MEMORY_BYTES (validators read it); commit uploads it with one PutObject (up to 5 GB)
 * carrying Content-MD5 and x-amz-checksum-sha256, so the server refuses bytes that do not
 * match, and checks the digest the server answers with, for servers that store without
 * checking. A refused upload leaves nothing in the bucket.
 */
const DEFAULT_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
const ATTEMPTS = 3;
const FIRST_RETRY_DELAY_MS = 200;

/** Network failures, timeouts and the server's 5xx answers: worth retrying, a 503 if they last. */
function isUnreachable(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) ||
    (status !== undefined && status >= 500)
  );
}

export function createS3BlobStore(
  settings: S3Config,
  stagingDir: string,
  options: { listPageSize?: number } = {},
): BlobStore {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  fs.mkdirSync(stagingDir, { recursive: true });
  // The SDK warns once per process that its releases after January 2027 need Node 22; that
  // says nothing about this installation, so the SDK's own switch keeps it out of the logs.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Digests are ours (sent explicitly below); the SDK's default CRC32 trailers would need
    // aws-chunked uploads, which not every S3-compatible server understands.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A server that does not accept the connection, or stops answering (also in the middle of
    // a body), fails the request after these; the SDK retries with back-off (3 attempts).
    requestHandler: {
      connectionTimeout: Math.min(timeoutMs, CONNECT_TIMEOUT_MS),
      requestTimeout: timeoutMs,
    },
    maxAttempts: ATTEMPTS,
    retryMode: 'standard',
  });
  const Bucket = settings.bucket;

  /** Every call goes through here: an unreachable or failing server is a 503, not a 500. */
  const send = async <T>(command: object): Promise<T> => {
    try {
      // The socket timeout does not cover every stall (a body stuck in a frozen upload): each
      // call, retries included, also has an overall deadline — except downloads, whose body
      // is read after the call returns and may rightly take longer (the socket timeout guards it).
      const deadline =
        command instanceof GetObjectCommand ? {} : { abortSignal: AbortSignal.timeout(timeoutMs * ATTEMPTS) };
      return (await client.send(command as never, deadline)) as T;
    } catch (error) {
      if (isUnreachable(error)) throw Object.assign(unavailable('object store'), { cause: error });
      throw error;
    }
  };

  const keyOf = (sha256: string): string => {
    if (!SHA256_HEX.test(sha256)) throw new BlobNotFoundError(sha256);
    return PREFIX + sha256;
  };

  const isNotFound = (error: unknown): boolean => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
  };

  async function upload(
    content: { bytes?: Buffer; path?: string },
    sha256: string,
    size: number,
    md5: string,
  ): Promise<void> {
    const sha256Base64 = Buffer.from(sha256, 'hex').toString('base64');
    const Key = keyOf(sha256);
    // The SDK cannot resend a file stream it has read: the upload (idempotent, the name is the
    // content's digest) is retried here with a fresh one.
    let answer: PutObjectCommandOutput | undefined;
    for (let attempt = 1; !answer; attempt++) {
      try {
        answer = await send<PutObjectCommandOutput>(
          new PutObjectCommand({
            Bucket,
            Key,
            Body: content.bytes ?? fs.createReadStream(content.path!),
            ContentLength: size,
            ContentType: 'application/octet-stream',
            ContentMD5: md5,
            ChecksumSHA256: sha256Base64,
          }),
        );
      } catch (error) {
        if (!isUnavailable(error) || attempt >= ATTEMPTS) throw error;
        await delay(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1));
      }
    }
    // The server's own account of what it stored: its SHA-256 if it keeps one, else the ETag,
    // which for a single PutObject without SSE-KMS is the MD5 of the content.
    const md5Hex = Buffer.from(md5, 'base64').toString('hex');
    const stored =
      answer.ChecksumSHA256 !== undefined
        ? answer.ChecksumSHA256 === sha256Base64
        : answer.ETag?.replace(/"/g, '') === md5Hex;
    if (!stored) {
      // Bytes under this name that are not this content must not stay, unless a concurrent
      // commit of the same content has replaced them with the right ones meanwhile.
      if ((await sha256OfObject(Key)) !== sha256)
        await send<DeleteObjectCommandOutput>(new DeleteObjectCommand({ Bucket, Key }));
      throw new BlobDigestError(sha256);
    }
  }

  async function sha256OfObject(Key: string): Promise<string | undefined> {
    try {
      const answer = await send<GetObjectCommandOutput>(new GetObjectCommand({ Bucket, Key }));
      const hash = createHash('sha256');
      for await (const chunk of answer.Body as Readable) hash.update(chunk as Buffer);
      return hash.digest('hex');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  return {
    async stage(content) {
      const staged = await writeStagingFile(stagingDir, content, { md5: true, inMemory: true });
      const reader = stagedReader(staged);
      let settled = false;
      const remove = async () => {
        if (staged.path) await fsp.rm(staged.path, { force: true });
      };
      return {
        sha256: staged.sha256,
        size: staged.size,
        ...(staged.bytes ? { bytes: staged.bytes } : { path: staged.path! }),
        read: reader.read,
        async commit() {
          if (settled) throw new Error('staged blob already committed or discarded');
          settled = true;
          try {
            // Uploaded even when the object exists: same bytes, and LastModified is renewed.
            await upload(staged, staged.sha256, staged.size, staged.md5!);
            return { sha256: staged.sha256, size: staged.size };
          } finally {
            await remove();
          }
        },
        async discard() {
          if (settled) return;
          settled = true;
          await remove();
        },
      };
    },

    async put(content) {
      const staged = await this.stage(content);
      return staged.commit();
    },

    async get(sha256): Promise<Readable> {
      try {
        const answer = await send<GetObjectCommandOutput>(
          new GetObjectCommand({ Bucket, Key: keyOf(sha256) }),
        );
        return answer.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw new BlobNotFoundError(sha256);
        throw error;
      }
    },

    async read(sha256) {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.get(sha256)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },

    async has(sha256) {
      return (await this.stat(sha256)) !== undefined;
    },

    async stat(sha256) {
      if (!SHA256_HEX.test(sha256)) return undefined;
      try {
        const head = await send<HeadObjectCommandOutput>(
          new HeadObjectCommand({ Bucket, Key: keyOf(sha256) }),
        );
        return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async delete(sha256) {
      await send<DeleteObjectCommandOutput>(new DeleteObjectCommand({ Bucket, Key: keyOf(sha256) }));
    },

    async *list() {
      let ContinuationToken: string | undefined;
      do {
        const page = await send<ListObjectsV2CommandOutput>(
          new ListObjectsV2Command({
            Bucket,
            Prefix: PREFIX,
            MaxKeys: options.listPageSize ?? 1000,
            ...(ContinuationToken ? { ContinuationToken } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(PREFIX.length) ?? '';
          if (SHA256_HEX.test(name)) yield { sha256: name, modifiedAt: object.LastModified ?? new Date(0) };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async ping() {
      await send<HeadBucketCommandOutput>(new HeadBucketCommand({ Bucket }));
    },
  };
}
