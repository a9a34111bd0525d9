import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors';
import { formatSize } from '../domain/policy';
import { SizeLimitExceeded, limitChunks } from '../domain/validation/index';
import type { Services } from '../services/index';
import type { SubmittedFile } from '../services/submit-document';
import { IdempotentReplay, reserveMultipart } from './idempotency';
import { formParts } from './multipart-form';

/**
 * Reads a multipart filing (file fields `document` and `attachment`) into staged blobs,
 * counting the bytes of every file together and stopping as soon as the office's limit is
 * passed: nothing over the limit is ever kept. Used by the API and the web form alike. Empty
 * file inputs that a browser sends when nothing was chosen are skipped. An API request with an
 * `Idempotency-Key` reserves it here, once the content is known.
 */
export async function receiveFiling(
  request: FastifyRequest,
  services: Services,
  limit: number,
): Promise<{ files: SubmittedFile[]; fields: Record<string, string> }> {
  const files: SubmittedFile[] = [];
  const fields: Record<string, string> = {};
  const counter = { total: 0 };
  try {
    for await (const part of formParts(request)) {
      if (part.type === 'file') {
        if (part.fieldname !== 'document' && part.fieldname !== 'attachment') {
          part.file.resume();
          throw new AppError({
            code: 'unknown_field',
            status: 422,
            key: 'filing.error.rejected',
            fieldErrors: [
              {
                field: part.fieldname,
                key: 'filing.error.unknownFileField',
                params: { field: part.fieldname },
              },
            ],
          });
        }
        const staged = await services.stageUpload(limitChunks(part.file, limit, counter));
        if (!part.filename && staged.size === 0) await staged.discard();
        else files.push({ field: part.fieldname, name: part.filename ?? '', staged });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
    await reserveMultipart(request, services, {
      fields,
      files: files.map((f) => ({ field: f.field, name: f.name, sha256: f.staged.sha256 })),
    });
    return { files, fields };
  } catch (error) {
    await Promise.all(files.map((f) => f.staged.discard()));
    if (error instanceof SizeLimitExceeded) {
      throw new AppError({
        code: 'too_large',
        status: 413,
        key: 'filing.error.rejected',
        fieldErrors: [
          { field: 'document', key: 'filing.error.tooLarge', params: { limit: formatSize(limit) } },
        ],
      });
    }
    if (error instanceof AppError || error instanceof IdempotentReplay) throw error;
    // A body that ends early or is not valid multipart.
    throw new AppError({ code: 'bad_multipart', status: 400, key: 'filing.error.badMultipart' });
  }
}
