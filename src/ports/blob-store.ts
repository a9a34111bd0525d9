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
export interface BlobStore {
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
