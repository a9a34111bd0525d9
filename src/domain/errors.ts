import type { MessageKey, Params } from '../i18n/index';

export interface FieldError {
  /** Form field or file the error is about, e.g. "answer" or "attachment[1]". */
  field: string;
  key: MessageKey;
  params?: Params;
}

/**
 * The one error type of the application: a stable code, the HTTP status it maps to, and a
 * message key with parameters (rendered in Polish or English by the web and API layers).
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly key: MessageKey;
  readonly params: Params;
  readonly fieldErrors: FieldError[];

  constructor(options: {
    code: string;
    status: number;
    key: MessageKey;
    params?: Params;
    fieldErrors?: FieldError[];
  }) {
    super(options.code);
    this.name = 'AppError';
    this.code = options.code;
    this.status = options.status;
    this.key = options.key;
    this.params = options.params ?? {};
    this.fieldErrors = options.fieldErrors ?? [];
  }
}

export const notFound = (key: MessageKey = 'error.notFound.title', params?: Params): AppError =>
  new AppError({ code: 'not_found', status: 404, key, ...(params ? { params } : {}) });

export const badRequest = (fieldErrors: FieldError[], key: MessageKey = 'error.badRequest.title'): AppError =>
  new AppError({ code: 'bad_request', status: 400, key, fieldErrors });

/** A dependency the installation needs (database, object store) does not answer: 503, try again. */
export const unavailable = (dependency: 'database' | 'object store'): AppError =>
  new AppError({
    code: 'service_unavailable',
    status: 503,
    key: 'error.unavailable',
    params: { dependency },
  });

/** Whether `error` is the 503 a lost or frozen dependency turns into. */
export const isUnavailable = (error: unknown): boolean =>
  error instanceof AppError && error.code === 'service_unavailable';
