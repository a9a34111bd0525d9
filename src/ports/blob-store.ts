import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Lower-case hex SHA-256 of the content: also its name in the store. */
  sha256: string;
  size: number;
}

/**
 * Content-addressed storage of files. A put returns only after the bytes are durable;
 * a failed or aborted put leaves nothing behind.
 */
/**
 * Bytes received into a local temporary file, hashed and counted, not yet in the store:
 * validators read `path`; `commit` moves the file into the store, `discard` removes it.
 */
export interface StagedBlob extends StoredBlob {
  path: string;
  commit(): Promise<StoredBlob>;
  discard(): Promise<void>;
}

export interface BlobStore {
  /** Streams content into a temporary file; nothing is in the store until commit. */
  stage(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<StagedBlob>;
  put(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<StoredBlob>;
  get(sha256: string): Promise<Readable>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
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

export const SHA256_HEX = /^[0-9a-f]{64}$/;
