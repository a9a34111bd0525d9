import type { z } from 'zod';
import { AppError, type FieldError } from '../domain/errors';
import { hasMessage, type MessageKey, type Params } from '../i18n/index';

/**
 * How a refused request part is answered: the problem code and message when fields break their
 * rules, and (for JSON bodies) when the body is not an object or carries unknown fields.
 */
export interface RefusalRule {
  code: string;
  key: MessageKey;
  /** 400 for malformed requests (the default), 422 for well-formed ones the rules refuse. */
  status?: 400 | 422;
  /** The message of `bad_body`: the body is not a JSON object. */
  notObject?: MessageKey;
  /** The message of `unknown_fields` (with `{fields}`). */
  unknownFields?: MessageKey;
  /** Parameters every field message may use besides `{field}`. */
  params?: Params;
}

/** The message of a field whose schema names none of its own. */
const FALLBACK: MessageKey = 'api.error.field';

/**
 * The one error formatter: zod's issues as our problem+json. Unknown fields come first (they are
 * often typos of the others), then a body that is not an object, then one error per field,
 * named by its top-level name, with the message key the schema gave (`{ error: 'key' }`).
 */
export function refusal(error: z.ZodError, rule: RefusalRule): AppError {
  const unknown = error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : [],
  );
  if (unknown.length > 0)
    return new AppError({
      code: 'unknown_fields',
      status: 400,
      key: rule.unknownFields ?? 'api.error.unknownFields',
      params: { fields: unknown.join(', ') },
    });
  if (error.issues.some((i) => i.path.length === 0))
    return new AppError({ code: 'bad_body', status: 400, key: rule.notObject ?? 'api.error.bodyObject' });
  const fieldErrors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0]);
    if (fieldErrors.some((e) => e.field === field)) continue;
    const key = hasMessage(issue.message) ? (issue.message as MessageKey) : FALLBACK;
    fieldErrors.push({ field, key, params: { field, ...rule.params } });
  }
  return new AppError({ code: rule.code, status: rule.status ?? 400, key: rule.key, fieldErrors });
}

/** Parses a request part (body, query, form fields) with its schema, or refuses it. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, rule: RefusalRule): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw refusal(result.error, rule);
  return result.data;
}
