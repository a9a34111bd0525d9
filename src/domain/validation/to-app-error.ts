import { AppError } from '../errors';
import type { FileProblem } from './types';

/**
 * One AppError for a refused filing, so the web form and the API say the same thing: every
 * problem becomes a field error, and the status is the most telling one (413 before 415 before
 * 422: a too-large upload is refused whatever its content).
 */
export function filesRefused(problems: FileProblem[]): AppError {
  const statuses = problems.map((problem) => problem.status);
  const status = statuses.includes(413) ? 413 : statuses.includes(415) ? 415 : 422;
  return new AppError({
    code: 'files_refused',
    status,
    key: 'validation.refused',
    fieldErrors: problems.map((problem) => ({
      field: problem.field,
      key: problem.key,
      params: { ...problem.params, rule: problem.rule },
    })),
  });
}
