import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';
import { isPollAnswer, type PollAnswer } from '../../domain/poll';
import type { Services } from '../../services/index';
import { ConfirmationPointsPage } from '../../views/pages/confirmation-points';
import { CookiesPage } from '../../views/pages/cookies';
import { HomePage } from '../../views/pages/home';
import { INSTRUCTIONS, InstructionPage, InstructionsIndexPage } from '../../views/pages/instructions';
import { OfficeBoxPage } from '../../views/pages/office-box';
import { safeReturnPath } from '../return-address';
import { COOKIE_CONSENT, COOKIE_LANG_PREF, YEAR_SECONDS, consentOf } from '../web-context';

const COOKIE_POLL = 'poll';
const OFFICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The poll cookie holds "<answer>.<random token>", signed so it cannot be forged. */
function readPollCookie(request: FastifyRequest): { answer: PollAnswer; token: string } | undefined {
  const raw = request.cookies[COOKIE_POLL];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const [answer, token] = unsigned.value.split('.');
  return isPollAnswer(answer) && token ? { answer, token } : undefined;
}

export function registerPortalRoutes(
  app: FastifyInstance,
  { services, secure }: { services: Services; secure: boolean },
): void {
  const publicRoute = { config: { access: 'public' as const } };
  const csrfRoute = { config: { access: 'public' as const }, preHandler: app.csrfProtection };

  const renderHome = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: 'thanks' | 'already'; errors?: AppError } = {},
  ) => {
    const offices = await services.listOffices();
    const poll = readPollCookie(request);
    return reply.page(
      (ctx) =>
        HomePage({
          ctx,
          offices,
          pollAnswer: poll?.answer,
          pollNotice: extra.notice,
          pollErrors: extra.errors?.fieldErrors ?? [],
        }),
      extra.errors ? extra.errors.status : 200,
    );
  };

  app.get('/', publicRoute, async (request, reply) => {
    const notice = (request.query as Record<string, string>).ankieta;
    return renderHome(request, reply, { ...(notice === 'thanks' || notice === 'already' ? { notice } : {}) });
  });

  app.post('/ankieta', csrfRoute, async (request, reply) => {
    const answer = (request.body as Record<string, unknown> | undefined)?.answer;
    const existing = readPollCookie(request);
    if (existing) return reply.redirect('/?ankieta=already#poll-heading', 303);
    const token = randomBytes(16).toString('base64url');
    try {
      const outcome = await services.answerPoll({ browserToken: token, answer });
      reply.setCookie(COOKIE_POLL, `${String(answer)}.${token}`, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        signed: true,
        // Kept beyond the visit only with consent to additional cookies (see the cookie page).
        ...(consentOf(request) === 'accepted' ? { maxAge: YEAR_SECONDS } : {}),
      });
      return reply.redirect(`/?ankieta=${outcome === 'counted' ? 'thanks' : 'already'}#poll-heading`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 400)
        return renderHome(request, reply, { errors: error });
      throw error;
    }
  });

  app.get<{ Params: { officeId: string } }>('/esp/:officeId', publicRoute, async (request, reply) => {
    const { officeId } = request.params;
    if (!OFFICE_ID.test(officeId))
      throw new AppError({
        code: 'not_found',
        status: 404,
        key: 'error.officeNotFound',
        params: { officeId },
      });
    const office = await services.getOffice(officeId);
    return reply.page((ctx) => OfficeBoxPage({ ctx, office }));
  });

  app.get('/instrukcje', publicRoute, async (_request, reply) =>
    reply.page((ctx) => InstructionsIndexPage({ ctx })),
  );
  for (const instruction of INSTRUCTIONS) {
    app.get(`/instrukcje/${instruction.slug}`, publicRoute, async (_request, reply) =>
      reply.page((ctx) => InstructionPage({ ctx, instruction })),
    );
  }

  app.get('/punkty-potwierdzajace', publicRoute, async (_request, reply) => {
    const points = await services.listConfirmationPoints();
    return reply.page((ctx) => ConfirmationPointsPage({ ctx, points }));
  });

  app.get('/cookies', publicRoute, async (request, reply) => {
    const saved = (request.query as Record<string, string>).saved === '1';
    return reply.page((ctx) => CookiesPage({ ctx, consent: consentOf(request), saved }));
  });

  app.post('/cookies', csrfRoute, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const consent = body.consent;
    if (consent !== 'accepted' && consent !== 'declined') {
      const errors = [{ field: 'consent', key: 'cookies.error.consent' as const }];
      return reply.page((ctx) => CookiesPage({ ctx, consent: consentOf(request), errors }), 400);
    }
    reply.setCookie(COOKIE_CONSENT, consent, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: YEAR_SECONDS,
    });
    if (consent === 'accepted') {
      reply.setCookie(COOKIE_LANG_PREF, request.lang, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: YEAR_SECONDS,
      });
    } else if (request.cookies[COOKIE_LANG_PREF]) {
      reply.clearCookie(COOKIE_LANG_PREF, { path: '/' });
    }
    const back = safeReturnPath(body.returnTo);
    if (body.banner !== '1') return reply.redirect(back, 303);
    // From the banner: back to the same page, which confirms the choice in the banner's place.
    const url = new URL(back, 'http://x');
    url.searchParams.set('cookies', consent);
    return reply.redirect(`${url.pathname}${url.search}${url.hash}`, 303);
  });
}
