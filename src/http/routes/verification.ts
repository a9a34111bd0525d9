import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../domain/errors';
import { formatSize } from '../../domain/policy';
import { MAX_RECEIPT_BYTES } from '../../domain/receipts/index';
import type { GivenFile } from '../../domain/verification/index';
import type { Services } from '../../services/index';
import { VerifyFormPage, VerifyResultPage } from '../../views/pages/verification';
import { formParts, multipartCsrfProtection } from '../multipart-form';
import { RATE_LIMITS } from '../rate-limits';

/** Receipt ids as the QR code carries them; anything else is ignored, never echoed. */
const RECEIPT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_FILES = 100;
/** Room for the multipart framing and the part headers around the files. */
const FRAMING_BYTES = 64 * 1024;

class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly fieldError: FieldError,
  ) {
    super(fieldError.key);
  }
}

/**
 * Reads the form: the receipt into memory (at most 1 MB), every other file only hashed as it
 * streams (all together at most `limit`). Nothing is written anywhere.
 */
async function readUpload(
  request: FastifyRequest,
  limit: number,
): Promise<{ xml: Buffer | undefined; files: GivenFile[] }> {
  let xml: Buffer | undefined;
  const files: GivenFile[] = [];
  let total = 0;
  for await (const part of formParts(request)) {
    if (part.type !== 'file') continue; // the token was read before; other fields mean nothing here
    if (part.fieldname === 'receipt') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_RECEIPT_BYTES)
          throw new UploadRefused(413, { field: 'receipt', key: 'verification.error.receiptTooLarge' });
        chunks.push(chunk);
      }
      if (size > 0 || part.filename) xml = Buffer.concat(chunks);
    } else if (part.fieldname === 'files') {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        total += chunk.length;
        if (total > limit)
          throw new UploadRefused(413, {
            field: 'files',
            key: 'verification.error.filesTooLarge',
            params: { limit: formatSize(limit, request.lang) },
          });
        hash.update(chunk);
      }
      if (size === 0 && !part.filename) continue; // the empty file input of a browser
      if (files.length === MAX_FILES)
        throw new UploadRefused(422, {
          field: 'files',
          key: 'verification.error.tooManyFiles',
          params: { max: MAX_FILES },
        });
      files.push({ name: (part.filename ?? '').normalize('NFC'), sha256: hash.digest('hex'), size });
    } else {
      throw new UploadRefused(422, {
        field: 'receipt',
        key: 'verification.error.unknownField',
        params: { field: part.fieldname.slice(0, 100) },
      });
    }
  }
  return { xml, files };
}

/**
 * The public verification page: anyone uploads a receipt (and optionally its files) and reads,
 * in plain words, whether it holds. The uploads are read and hashed in memory, never stored.
 */
export function registerVerificationRoutes(app: FastifyInstance, services: Services): void {
  app.get('/weryfikacja', { config: { access: 'public' } }, async (request, reply) => {
    const id = (request.query as Record<string, unknown>).id;
    const receiptId = typeof id === 'string' && RECEIPT_ID.test(id) ? id : undefined;
    const limit = formatSize(await services.verificationFilesLimit(), request.lang);
    return reply.page((ctx) => VerifyFormPage({ ctx, limit, receiptId }));
  });

  app.post(
    '/weryfikacja',
    {
      config: { access: 'public', rateLimit: RATE_LIMITS.verification },
      preHandler: multipartCsrfProtection(app),
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError({ code: 'unsupported_media_type', status: 415, key: 'filing.error.notMultipart' });
      const limitBytes = await services.verificationFilesLimit();
      const limit = formatSize(limitBytes, request.lang);
      const refuse = (status: number, errors: FieldError[]) =>
        reply.page((ctx) => VerifyFormPage({ ctx, limit, errors }), status);
      // The connection is closed after a refusal, so an upload cut off midway is never read to its end.
      reply.header('connection', 'close');
      const tooLarge: FieldError = {
        field: 'receipt',
        key: 'verification.error.tooLarge',
        params: { limit },
      };
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > MAX_RECEIPT_BYTES + limitBytes + FRAMING_BYTES)
        return refuse(413, [tooLarge]);
      let upload: Awaited<ReturnType<typeof readUpload>>;
      try {
        upload = await readUpload(request, limitBytes);
      } catch (error) {
        if (error instanceof UploadRefused) return refuse(error.status, [error.fieldError]);
        // A body cut short or not valid multipart; the plugin's own limits (413) pass through.
        const status = (error as { statusCode?: unknown }).statusCode;
        if (status === 413) return refuse(413, [tooLarge]);
        throw new AppError({ code: 'bad_multipart', status: 400, key: 'filing.error.badMultipart' });
      }
      reply.removeHeader('connection');
      if (!upload.xml) return refuse(422, [{ field: 'receipt', key: 'verification.error.receiptMissing' }]);
      const verification = await services.verifyUploadedReceipt({ xml: upload.xml, files: upload.files });
      return reply.page((ctx) => VerifyResultPage({ ctx, verification }));
    },
  );
}
