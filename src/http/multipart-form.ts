import type { Multipart } from '@fastify/multipart';
import type {
  FastifyInstance,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  preHandlerHookHandler,
} from 'fastify';

/** What the CSRF step read of a multipart form: its token and the parts still to come. */
const opened = new WeakMap<
  FastifyRequest,
  { token: string | undefined; rest: AsyncIterableIterator<Multipart> }
>();

/** The `_csrf` field of a multipart web form, once multipartCsrfProtection has read it. */
export const multipartCsrfToken = (request: FastifyRequest): string | undefined => opened.get(request)?.token;

/**
 * The CSRF check of a multipart web form (file uploads). The token travels as the form's first
 * field (CsrfField comes first in every upload form, and browsers send fields in document
 * order); it is read here before any file is streamed, so a request without it is refused
 * (403) before a byte is stored. It never goes in the form's address, where it would show in
 * the address bar, the history and a Referer. The route reads the rest with formParts().
 */
export function multipartCsrfProtection(app: FastifyInstance): preHandlerHookHandler[] {
  const readToken: preHandlerAsyncHookHandler = async (request) => readMultipartToken(request);
  return [readToken, app.csrfProtection];
}

/**
 * Reads a multipart form's first part, its `_csrf` field, so that the CSRF check can see it
 * (getToken reads multipartCsrfToken). Once per request; formParts() gives the rest.
 */
export async function readMultipartToken(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart() || opened.has(request)) return;
  const rest = request.parts();
  let token: string | undefined;
  try {
    const first = await rest.next();
    const part = first.done ? undefined : first.value;
    if (part?.type === 'field' && part.fieldname === '_csrf' && typeof part.value === 'string')
      token = part.value;
    // A file first: the form is refused; let its bytes pass instead of holding the upload.
    else if (part?.type === 'file') part.file.resume();
  } catch {
    // Not valid multipart: no token, so the check refuses it.
  }
  opened.set(request, { token, rest });
}

/** The parts of a multipart body, after the token when multipartCsrfProtection read it. */
export function formParts(request: FastifyRequest): AsyncIterableIterator<Multipart> {
  return opened.get(request)?.rest ?? request.parts();
}
