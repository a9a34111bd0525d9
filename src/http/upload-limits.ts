import type { Services } from '../services/index';

/**
 * The per-request caps of every multipart upload (web forms and the API), in one place. They
 * bound what one request can make the server parse; the bytes of all files together are
 * counted while streaming by each upload route against the office's own limit
 * (`receiveFiling`, the letter form, the verification page), so nothing above that limit is
 * ever stored.
 */
export const MULTIPART_LIMITS = {
  fieldNameSize: 100,
  fieldSize: 64 * 1024,
  fields: 20,
  /** A main document and up to 100 attachments. */
  files: 101,
  /** No office may accept more than this in one letter. */
  fileSize: 200 * 1024 * 1024,
  parts: 130,
  headerPairs: 50,
} as const;

/**
 * How many bytes an upload may reach: the named office's limit, or, while the office is not
 * known yet, the largest limit of any office (the office's own limit is checked again once it
 * is known).
 */
export async function uploadLimitFor(services: Services, officeId?: unknown): Promise<number> {
  if (typeof officeId === 'string' && (await services.listOffices()).some((o) => o.id === officeId))
    return Math.min((await services.getOffice(officeId)).policy.maxSizeBytes, MULTIPART_LIMITS.fileSize);
  return Math.min(await services.largestOfficeLimit(), MULTIPART_LIMITS.fileSize);
}
