import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import {
  FreshCodePage,
  NationalProfilePage,
  ProfilePage,
  type ProfileNotice,
} from '../../views/pages/trusted-profile-pages';
import { formErrors, formOf, keep } from '../forms';
import { RATE_LIMITS } from '../rate-limits';

const NOTICES: ProfileNotice[] = ['applied', 'extended', 'revoked'];
const CHALLENGE_ID = /^[0-9a-f-]{36}$/;

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

  app.get('/profil-zaufany/przedluz', { config }, async (request, reply) => {
    const id = (request.query as Record<string, unknown>).wyzwanie;
    if (typeof id !== 'string' || !CHALLENGE_ID.test(id)) return reply.redirect('/profil-zaufany', 303);
    const method = (await services.isTotpEnabled(request.user!.accountId)) ? 'totp' : 'email';
    return reply.page((ctx) =>
      FreshCodePage({
        ctx,
        title: 'profile.extend.heading',
        action: '/profil-zaufany/przedluz/kod',
        challenge: { id, method },
      }),
    );
  });

  app.post(
    '/profil-zaufany/przedluz/kod',
    { config: { ...config, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        await services.extendProfile({
          accountId: request.user!.accountId,
          challengeId: body.challenge,
          code: body.code,
        });
        return reply.redirect('/profil-zaufany?komunikat=extended', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const id = keep(body.challenge) ?? '';
        const method = (await services.isTotpEnabled(request.user!.accountId)) ? 'totp' : 'email';
        return reply.page(
          (ctx) =>
            FreshCodePage({
              ctx,
              title: 'profile.extend.heading',
              action: '/profil-zaufany/przedluz/kod',
              challenge: { id, method },
              errors: form.errors,
            }),
          form.status,
        );
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
