import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../domain/errors';
import { hasMessage, translate, type Lang, type MessageKey, type Params } from '../i18n/index';
import { problems } from '../i18n/problems';

/** Where the problem codes are explained: `type` is this with the code as fragment. */
export const PROBLEM_CATALOGUE_PATH = '/api/errors';

/** Every problem code the catalogue explains, in its order. */
export const PROBLEM_CODES: readonly string[] = Object.keys(problems.pl)
  .filter((key) => key.startsWith('problem.'))
  .map((key) => key.slice('problem.'.length));

/** The code of a refusal that carries none of its own, by status. */
export function codeForStatus(status: number): string {
  const byStatus: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
  };
  return byStatus[status] ?? (status >= 500 ? 'server_error' : 'bad_request');
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors: { field: string; file?: string | number; rule?: string | number; code: string; message: string }[];
}

/**
 * An API refusal as RFC 9457 problem details: `type` resolves to the code in the catalogue,
 * `title` is the status phrase, `detail` the reason in the caller's language, `errors` always
 * present (empty when no field is concerned).
 */
export function problemBody(
  lang: Lang,
  input: { status: number; code: string; key: MessageKey; params?: Params; fieldErrors?: FieldError[] },
): ProblemBody {
  return {
    type: `${PROBLEM_CATALOGUE_PATH}#${input.code}`,
    title: STATUS_CODES[input.status] ?? 'Error',
    status: input.status,
    code: input.code,
    detail: translate(lang, input.key, input.params),
    errors: (input.fieldErrors ?? []).map((e) => ({
      field: e.field,
      ...(e.params?.file !== undefined ? { file: e.params.file } : {}),
      ...(e.params?.rule !== undefined ? { rule: e.params.rule } : {}),
      code: e.key,
      message: translate(lang, e.key, e.params),
    })),
  };
}

/** The explanation of a code, if the catalogue has one. */
export function problemMeaning(lang: Lang, code: string): string | undefined {
  const key = `problem.${code}`;
  return hasMessage(key) ? translate(lang, key) : undefined;
}
