import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { FreshCodePage } from '../../views/pages/fresh-code';
import {
  NationalProfilePage,
  ProfilePage,
  type ProfileNotice,
} from '../../views/pages/trusted-profile-pages';
import type { FieldError } from '../../domain/errors';
import type { FreshChallengeView } from '../../services/fresh-confirmation';
import type { ViewContext } from '../../views/context';
import { formErrors, formOf, keep } from '../forms';
import { RATE_LIMITS } from '../rate-limits';

const NOTICES: ProfileNotice[] = ['applied', 'extended', 'revoked'];

/**
 * Without the local register (the default) the trusted-profile page explains the national
 * trusted profile and how it is used here: nothing to apply for on this site.
 */
export function registerNationalProfileRoutes(
  app: FastifyInstance,
  options: { nationalLogin: boolean },
): void {
  app.get('/profil-zaufany', { config: { access: 'public' } }, async (_request, reply) =>
    reply.page((ctx) => NationalProfilePage({ ctx, nationalLogin: options.nationalLogin })),
  );
}

/** The local register's trusted profile (closed installations): apply, see the status, extend, revoke. */
export function registerTrustedProfileRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): void {
  const config = { access: 'authenticated' as const };
  const csrf = app.csrfProtection;

  app.get('/profil-zaufany', { config }, async (request, reply) => {
    const profile = await services.currentProfile(request.user!.accountId);
    const notice = (request.query as Record<string, unknown>).komunikat;
    return reply.page((ctx) =>
      ProfilePage({
        ctx,
        profile,
        values: { email: request.user!.email },
        notice: NOTICES.includes(notice as ProfileNotice) ? (notice as ProfileNotice) : undefined,
      }),
    );
  });

  app.post('/profil-zaufany', { config, preHandler: csrf }, async (request, reply) => {
    const body = formOf(request);
    const input = {
      firstNames: body.firstNames,
      surname: body.surname,
      pesel: body.pesel,
      birthDate: body.birthDate,
      email: body.email,
      phone: body.phone,
    };
    try {
      await services.applyForProfile({ accountId: request.user!.accountId, ...input });
      return reply.redirect('/profil-zaufany?komunikat=applied', 303);
    } catch (error) {
      let form = formErrors(error);
      // A refusal about the application as a whole (e.g. one already pending) is shown above the form.
      if (!form && error instanceof AppError && error.status === 409)
        form = { errors: [{ field: 'firstNames', key: error.key }], status: 409 };
      if (!form) throw error;
      const profile = await services.currentProfile(request.user!.accountId);
      const values = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, keep(v) ?? '']));
      return reply.page((ctx) => ProfilePage({ ctx, profile, values, errors: form.errors }), form.status);
    }
  });

  app.post(
    '/profil-zaufany/przedluz',
    { config: { ...config, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const profile = await services.currentProfile(request.user!.accountId);
      if (profile?.state !== 'valid')
        throw new AppError({ code: 'not_valid', status: 409, key: 'profile.error.notValid' });
      const challenge = await services.startFreshConfirmation({
        accountId: request.user!.accountId,
        purpose: 'profile-extension',
      });
      return reply.redirect(`/profil-zaufany/przedluz?wyzwanie=${challenge.id}`, 303);
    },
  );

  const codePage =
    (challenge: FreshChallengeView) =>
    (ctx: ViewContext, errors: FieldError[] = []) =>
      FreshCodePage({
        ctx,
        title: 'profile.extend.heading',
        purpose: 'profile-extension',
        action: '/profil-zaufany/przedluz/kod',
        challenge,
        back: '/profil-zaufany',
        errors,
      });

  app.get('/profil-zaufany/przedluz', { config }, async (request, reply) => {
    const challenge = await services.openFreshChallenge({
      accountId: request.user!.accountId,
      challengeId: (request.query as Record<string, unknown>).wyzwanie,
      purpose: 'profile-extension',
    });
    if (!challenge?.open) return reply.redirect('/profil-zaufany', 303);
    return reply.header('cache-control', 'no-store').page((ctx) => codePage(challenge)(ctx));
  });

  app.post(
    '/profil-zaufany/przedluz/kod',
    { config: { ...config, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        await services.extendProfile({
          accountId: request.user!.accountId,
          challengeId: body.challengeId,
          code: body.code,
        });
        return reply.redirect('/profil-zaufany?komunikat=extended', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const challenge = await services.openFreshChallenge({
          accountId: request.user!.accountId,
          challengeId: body.challengeId,
          purpose: 'profile-extension',
        });
        if (!challenge) throw error;
        return reply.page((ctx) => codePage(challenge)(ctx, form.errors), form.status);
      }
    },
  );

  app.post('/profil-zaufany/uniewaznij', { config, preHandler: csrf }, async (request, reply) => {
    const profile = await services.currentProfile(request.user!.accountId);
    if (!profile) throw new AppError({ code: 'not_valid', status: 409, key: 'profile.error.notValid' });
    await services.revokeProfile({ actor: request.user!, profileId: profile.id, reason: '' });
    return reply.redirect('/profil-zaufany?komunikat=revoked', 303);
  });
}
