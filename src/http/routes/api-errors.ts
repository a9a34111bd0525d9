import type { FastifyInstance } from 'fastify';
import { API } from '../api-contract';
import { ApiErrorsPage } from '../../views/pages/api-errors';
import { PROBLEM_CATALOGUE_PATH, PROBLEM_CODES, problemMeaning } from '../problem';

/**
 * The problem code catalogue that every problem's `type` points at: a page for people, and
 * JSON (`Accept: application/json`) for programs.
 */
export function registerApiErrorRoutes(app: FastifyInstance): void {
  app.get(
    PROBLEM_CATALOGUE_PATH,
    { config: { access: 'public', contract: API.listProblemCodes } },
    async (request, reply) => {
      const codes = PROBLEM_CODES.map((code) => ({
        code,
        meaning: problemMeaning(request.lang, code) ?? code,
      }));
      reply.header('cache-control', 'public, max-age=3600').header('vary', 'accept, accept-language');
      if (
        /application\/json/.test(request.headers.accept ?? '') &&
        !/text\/html/.test(request.headers.accept ?? '')
      )
        return reply.send({ codes });
      return reply.page((ctx) => ApiErrorsPage({ ctx, codes }));
    },
  );
}
