import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../domain/errors';

/** The posted form as a plain record (empty when there is no body). */
export const formOf = (request: FastifyRequest): Record<string, unknown> =>
  (request.body ?? {}) as Record<string, unknown>;

/** A form value to show again in its field: strings only, never passwords. */
export const keep = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, 500) : undefined;

/**
 * Errors a form shows next to its fields (bad input, a refused login); anything else goes to
 * the error handler.
 */
export function formErrors(error: unknown): { errors: FieldError[]; status: number } | undefined {
  if (
    error instanceof AppError &&
    error.status < 500 &&
    error.status !== 404 &&
    error.fieldErrors.length > 0
  ) {
    return { errors: error.fieldErrors, status: error.status };
  }
  return undefined;
}

/**
 * Whether a form's CSRF token is valid, without answering: the same check as the
 * `csrfProtection` pre-handler (which sends 403 itself), for a form read before its route runs.
 */
export function csrfTokenValid(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  let valid = false;
  const silent = Object.assign(Object.create(reply) as FastifyReply, { send: () => silent });
  app.csrfProtection.call(app, request, silent, () => {
    valid = true;
  });
  return valid;
}
