import { Transform, type TransformCallback } from 'node:stream';
import { formatSize, type OfficePolicy } from '../policy';
import type { FileProblem } from './types';

/** Thrown by `limitBytes` and `limitChunks` as soon as the running total passes the limit. */
export class SizeLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`Size limit of ${limit} bytes exceeded`);
    this.name = 'SizeLimitExceeded';
  }
}

/**
 * A pass-through that counts bytes and fails with SizeLimitExceeded once the total passes
 * `limit`. Share one `counter` between several streams (the parts of one request, the entries
 * of one archive) to limit their sum. Never trusts any declared size: only bytes that flow count.
 */
export function limitBytes(limit: number, counter: { total: number } = { total: 0 }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      counter.total += chunk.length;
      if (counter.total > limit) callback(new SizeLimitExceeded(limit));
      else callback(null, chunk);
    },
  });
}

/**
 * The chunks of `source` as they come, counted like limitBytes (SizeLimitExceeded once the
 * total passes `limit`), for a consumer that iterates anyway: no stream stage in between.
 */
export async function* limitChunks(
  source: AsyncIterable<Buffer>,
  limit: number,
  counter: { total: number } = { total: 0 },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    counter.total += chunk.length;
    if (counter.total > limit) throw new SizeLimitExceeded(limit);
    yield chunk;
  }
}

/** The office's limit on the main document and attachments together (domain §5). */
export function checkTotalSize(policy: OfficePolicy, sizes: number[]): FileProblem | undefined {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= policy.maxSizeBytes) return undefined;
  return {
    file: '',
    field: 'files',
    rule: 'total-size',
    key: 'validation.totalSize',
    params: {
      limit: formatSize(policy.maxSizeBytes, 'pl'),
      limitEn: formatSize(policy.maxSizeBytes, 'en'),
      limitBytes: policy.maxSizeBytes,
      total,
    },
    status: 413,
  };
}
