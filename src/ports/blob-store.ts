import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Lower-case hex SHA-256 of the content: also its name in the store. */
  sha256: string;
  size: number;
}

/**
 * Bytes received, hashed and counted, not yet in the store: small content (up to
 * `IN_MEMORY_BYTES`) is held in `bytes` and nothing is on disk; larger content is in a local
 * temporary file at `path`, already fsynced. Validators use `bytes`, or `read()` (whole content)
 * and `path` (random access). `commit` checks the bytes against `sha256` while moving them into
 * the store (a mismatch is refused and leaves nothing), `discard` removes any file.
 */
export interface StagedBlob extends StoredBlob {
  bytes?: Buffer;
  path?: string;
  /**
   * The whole content from its first byte. A complete read of a staged file is hashed on the
   * way and counts as commit's check of the file: the file is then not read again. Chunks of a
   * file are lent: each is valid until the next one is asked for (copy what is kept).
   */
  read(): AsyncIterable<Buffer>;
  commit(): Promise<StoredBlob>;
  discard(): Promise<void>;
}

/** Content up to this size is staged in memory: validated and signature-checked without a read. */
export const IN_MEMORY_BYTES = 256 * 1024;

/**
 * Content-addressed storage of files. A put returns only after the bytes are durable and
 * verified against their digest; a failed or aborted put leaves nothing behind. Committing
 * content that is already stored keeps one copy and renews its modification time, so the
 * orphan cleanup (services/blobs-cleanup.ts) never takes a blob that a filing is about to use.
 */
export interface BlobStore {
  /** Streams content into a temporary file; nothing is in the store until commit. */
  stage(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<StagedBlob>;
  put(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<StoredBlob>;
  get(sha256: string): Promise<Readable>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** Size and modification time, or undefined when the blob is not stored. */
  stat(sha256: string): Promise<{ size: number; modifiedAt: Date } | undefined>;
  delete(sha256: string): Promise<void>;
  /** Every blob with its modification time, for consistency checks and cleanup. */
  list(): AsyncIterable<{ sha256: string; modifiedAt: Date }>;
  /** Throws if the store cannot be used; for /readyz. */
  ping(): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`Blob ${sha256} not found`);
  }
}

/** The bytes that reached the store are not the bytes that were staged. */
export class BlobDigestError extends Error {
  constructor(readonly sha256: string) {
    super(`Blob ${sha256}: the stored content does not match its SHA-256; refused`);
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
