import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Principal } from '../../domain/roles';
import type { Services } from '../../services/index';
import { isLiveSession } from '../../services/sessions';
import {
  AccountPage,
  ChangePasswordPage,
  LoginPage,
  MessagePage,
  RegisterPage,
  ResetPasswordPage,
  ResetRequestPage,
  SecondFactorPage,
  TwoFactorPage,
  VerifyEmailPage,
  type AccountNotice,
  type LoginNotice,
} from '../../views/pages/account-pages';
import { formErrors, formOf, keep } from '../forms';
import { clearSessionCookie, setSessionCookie } from '../plugins/sessions';
import { RATE_LIMITS } from '../rate-limits';
import { safeReturnPath } from '../return-address';
import { landingPath } from '../../views/navigation';

const TOTP_SETUP = '/konto/2fa';
const LOGIN_NOTICES: LoginNotice[] = ['verified', 'reset', 'loggedOut', 'expired'];
const ACCOUNT_NOTICES: AccountNotice[] = ['password', 'totpOn', 'totpOff'];
const pick = <T extends string>(value: unknown, allowed: T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

/** Registration, e-mail verification, login and logout, password reset and change, TOTP. */
export function registerAccountRoutes(
  app: FastifyInstance,
  {
    services,
    secure,
    nationalLogin = false,
    officerDesk = true,
    beforeLogout,
  }: {
    services: Services;
    secure: boolean;
    nationalLogin?: boolean;
    /** Whether the confirmation officers' desk exists (the local trusted-profile register is on). */
    officerDesk?: boolean;
    beforeLogout?: ((token: string | undefined) => Promise<void>) | undefined;
  },
): void {
  const open = { access: 'public' as const };
  const signedIn = { access: 'authenticated' as const };
  const csrf = app.csrfProtection;
  // Each role's main place after login (src/views/navigation.ts); residents land on /pisma. A
  // member of staff without a second factor set up is led to set it up first.
  const landingOf = async (token: string, returnTo?: unknown) => {
    const session = await services.loadSession(token);
    const principal = isLiveSession(session) ? session.principal : undefined;
    if (principal?.staffRolesWithheld) return TOTP_SETUP;
    return safeReturnPath(returnTo, landingPath(principal?.roles ?? [], officerDesk));
  };

  app.get('/logowanie', { config: open }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    if (request.user)
      return reply.redirect(safeReturnPath(query.powrot, landingPath(request.user.roles, officerDesk)), 303);
    return reply.page((ctx) =>
      LoginPage({
        ctx,
        returnTo: safeReturnPath(query.powrot, ''),
        notice: pick(query.komunikat, LOGIN_NOTICES),
        nationalLogin,
      }),
    );
  });

  app.post(
    '/logowanie',
    { config: { ...open, rateLimit: RATE_LIMITS.login }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        const outcome = await services.logIn({
          email: body.email,
          password: body.password,
          previousToken: request.sessionToken,
          client: request.ip,
        });
        setSessionCookie(reply, outcome.token, secure);
        if (outcome.secondFactorPending) {
          // The return address travels on to the code page, and from there to where it leads.
          const back = safeReturnPath(body.returnTo, '');
          return reply.redirect(`/logowanie/kod${back ? `?powrot=${encodeURIComponent(back)}` : ''}`, 303);
        }
        return reply.redirect(await landingOf(outcome.token, body.returnTo), 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page(
          (ctx) =>
            LoginPage({
              ctx,
              email: keep(body.email),
              errors: form.errors,
              returnTo: safeReturnPath(body.returnTo, ''),
              nationalLogin,
            }),
          form.status,
        );
      }
    },
  );

  app.get('/logowanie/kod', { config: open }, async (request, reply) => {
    if (!request.pendingLogin) return reply.redirect('/logowanie', 303);
    const returnTo = safeReturnPath((request.query as Record<string, unknown>).powrot, '');
    return reply.page((ctx) => SecondFactorPage({ ctx, returnTo }));
  });

  app.post(
    '/logowanie/kod',
    { config: { ...open, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const pending = request.pendingLogin;
      if (!pending) return reply.redirect('/logowanie', 303);
      const body = formOf(request);
      try {
        await services.completeSecondFactor({ ...pending, code: body.code });
        return reply.redirect(await landingOf(request.sessionToken!, body.returnTo), 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const returnTo = safeReturnPath(body.returnTo, '');
        return reply.page((ctx) => SecondFactorPage({ ctx, errors: form.errors, returnTo }), form.status);
      }
    },
  );

  app.post('/wyloguj', { config: signedIn, preHandler: csrf }, async (request, reply) => {
    await beforeLogout?.(request.sessionToken);
    await services.logOut({ token: request.sessionToken, accountId: request.user!.accountId });
    clearSessionCookie(reply, request);
    return reply.redirect('/logowanie?komunikat=loggedOut', 303);
  });

  // "Przedłuż sesję" (docs/accounts.md): the idle timeout starts again. The dialog's script sends it
  // in the background and reads the seconds left; without the script it returns to the page.
  app.post('/sesja/przedluz', { config: signedIn, preHandler: csrf }, async (request, reply) => {
    const secondsLeft = await services.extendSession(request.sessionToken);
    if (/application\/json/.test(request.headers.accept ?? ''))
      return reply.header('cache-control', 'no-store').send({ secondsLeft: secondsLeft ?? 0 });
    return reply.redirect(safeReturnPath(formOf(request).powrot, '/konto'), 303);
  });

  app.get('/rejestracja', { config: open }, async (_request, reply) =>
    reply.page((ctx) => RegisterPage({ ctx })),
  );

  app.post(
    '/rejestracja',
    { config: { ...open, rateLimit: RATE_LIMITS.registration }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        await services.registerAccount({
          email: body.email,
          password: body.password,
          passwordConfirm: body.passwordConfirm,
          displayName: body.displayName,
          terms: body.terms,
        });
        return reply.redirect('/rejestracja/wyslano', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const values = {
          displayName: keep(body.displayName) ?? '',
          email: keep(body.email) ?? '',
          terms: body.terms === 'yes',
        };
        return reply.page((ctx) => RegisterPage({ ctx, values, errors: form.errors }), form.status);
      }
    },
  );

  app.get('/rejestracja/wyslano', { config: open }, async (_request, reply) =>
    reply.page((ctx) => MessagePage({ ctx, title: 'register.sent.title', text: 'register.sent.text' })),
  );

  app.get('/rejestracja/potwierdz', { config: open }, async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    const usable = await services.isLinkUsable(token, 'verify-email');
    return reply.page(
      (ctx) => VerifyEmailPage({ ctx, token: typeof token === 'string' ? token : '', usable }),
      usable ? 200 : 400,
    );
  });

  app.post('/rejestracja/potwierdz', { config: open, preHandler: csrf }, async (request, reply) => {
    await services.verifyEmail(formOf(request).token);
    return reply.redirect('/logowanie?komunikat=verified', 303);
  });

  app.get('/reset-hasla', { config: open }, async (_request, reply) =>
    reply.page((ctx) => ResetRequestPage({ ctx })),
  );

  app.post(
    '/reset-hasla',
    { config: { ...open, rateLimit: RATE_LIMITS.passwordReset }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        await services.requestPasswordReset({ email: body.email });
        return reply.page((ctx) => MessagePage({ ctx, title: 'reset.sent.title', text: 'reset.sent.text' }));
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page(
          (ctx) => ResetRequestPage({ ctx, email: keep(body.email), errors: form.errors }),
          form.status,
        );
      }
    },
  );

  app.get('/reset-hasla/nowe', { config: open }, async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    const usable = await services.isLinkUsable(token, 'reset-password');
    return reply.page(
      (ctx) => ResetPasswordPage({ ctx, token: typeof token === 'string' ? token : '', usable }),
      usable ? 200 : 400,
    );
  });

  app.post(
    '/reset-hasla/nowe',
    { config: { ...open, rateLimit: RATE_LIMITS.passwordReset }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        await services.resetPassword({
          token: body.token,
          password: body.password,
          passwordConfirm: body.passwordConfirm,
        });
        clearSessionCookie(reply, request);
        return reply.redirect('/logowanie?komunikat=reset', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page(
          (ctx) =>
            ResetPasswordPage({ ctx, token: keep(body.token) ?? '', usable: true, errors: form.errors }),
          form.status,
        );
      }
    },
  );

  app.get('/konto', { config: signedIn }, async (request, reply) => {
    const user = request.user!;
    const totpEnabled = await services.isTotpEnabled(user.accountId);
    const notice = pick((request.query as Record<string, unknown>).komunikat, ACCOUNT_NOTICES);
    return reply.page((ctx) =>
      AccountPage({
        ctx,
        email: user.email,
        roles: user.roles,
        totpEnabled,
        notice,
        officerDesk,
        staffRolesWithheld: user.staffRolesWithheld === true,
      }),
    );
  });

  app.get('/konto/haslo', { config: signedIn }, async (_request, reply) =>
    reply.page((ctx) => ChangePasswordPage({ ctx })),
  );

  app.post(
    '/konto/haslo',
    { config: { ...signedIn, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      try {
        await services.changePassword({
          accountId: request.user!.accountId,
          sessionToken: request.sessionToken,
          current: body.current,
          password: body.password,
          passwordConfirm: body.passwordConfirm,
        });
        return reply.redirect('/konto?komunikat=password', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page((ctx) => ChangePasswordPage({ ctx, errors: form.errors }), form.status);
      }
    },
  );

  const totpView = async ({ accountId, staffRolesWithheld }: Principal) => {
    const setup = await services.pendingTotpSetup(accountId);
    return {
      staffRolesWithheld: staffRolesWithheld === true,
      enabled: await services.isTotpEnabled(accountId),
      setup: setup
        ? { ...setup, qrDataUrl: await QRCode.toDataURL(setup.uri, { margin: 1, width: 200 }) }
        : undefined,
    };
  };

  app.get(TOTP_SETUP, { config: signedIn }, async (request, reply) => {
    const view = await totpView(request.user!);
    return reply.page((ctx) => TwoFactorPage({ ctx, ...view }));
  });

  app.post('/konto/2fa/start', { config: signedIn, preHandler: csrf }, async (request, reply) => {
    await services.startTotpSetup(request.user!.accountId);
    return reply.redirect(TOTP_SETUP, 303);
  });

  app.post(
    '/konto/2fa/wlacz',
    { config: { ...signedIn, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const accountId = request.user!.accountId;
      try {
        const recoveryCodes = await services.enableTotp({ accountId, code: formOf(request).code });
        const staffRolesWithheld = request.user!.staffRolesWithheld === true;
        return reply.page((ctx) => TwoFactorPage({ ctx, enabled: true, recoveryCodes, staffRolesWithheld }));
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const view = await totpView(request.user!);
        return reply.page((ctx) => TwoFactorPage({ ctx, ...view, errors: form.errors }), form.status);
      }
    },
  );

  app.post(
    '/konto/2fa/wylacz',
    { config: { ...signedIn, rateLimit: RATE_LIMITS.codeEntry }, preHandler: csrf },
    async (request, reply) => {
      const accountId = request.user!.accountId;
      try {
        await services.disableTotp({ accountId, code: formOf(request).code });
        return reply.redirect('/konto?komunikat=totpOff', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const view = await totpView(request.user!);
        return reply.page((ctx) => TwoFactorPage({ ctx, ...view, errors: form.errors }), form.status);
      }
    },
  );
}
