import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NationalNodeSimulator } from '../../adapters/login-gov-pl/simulator';
import { SIMULATOR_AUTHORITIES, SIMULATOR_PEOPLE } from '../../adapters/login-gov-pl/simulator';
import type { NationalNode } from '../../ports/national-node';
import { NationalLoginRefused } from '../../services/national-login';
import type { Services } from '../../services/index';
import type { MessageKey } from '../../views/context';
import {
  NationalLoginErrorPage,
  PostOnwardPage,
  SimulatorLoginPage,
} from '../../views/pages/login-gov-pl-pages';
import { formOf } from '../forms';
import { setSessionCookie } from '../plugins/sessions';
import { RATE_LIMITS } from '../rate-limits';
import { safeReturnPath } from '../return-address';

const COOKIE_REQUEST = 'login_gov_pl';
const REQUEST_TTL_SECONDS = 15 * 60;
const RELAY = /^[A-Za-z0-9_-]{22,64}$/u;

export interface NationalLoginRoutesOptions {
  services: Services;
  node: NationalNode;
  simulator: NationalNodeSimulator | undefined;
  secure: boolean;
}

/**
 * Login through login.gov.pl: our metadata, the start (HTTP-POST of a signed AuthnRequest),
 * the assertion consumer (the node posts an artifact back) and, on embedded installs, the
 * simulator's own pages. Logout is in the account routes, which end the node's session too.
 */
export function registerLoginGovPlRoutes(app: FastifyInstance, options: NationalLoginRoutesOptions): void {
  const { services, node, simulator, secure } = options;
  const open = { access: 'public' as const };
  const csrf = app.csrfProtection;
  // The node posts back from its own site: a Lax cookie would not come along over https.
  const cookieOptions = {
    path: '/login-gov-pl',
    httpOnly: true,
    secure,
    sameSite: secure ? ('none' as const) : ('lax' as const),
    signed: true,
    maxAge: REQUEST_TTL_SECONDS,
  };

  app.get('/login-gov-pl/metadata', { config: open }, async (_request, reply) =>
    reply.type('application/samlmetadata+xml; charset=utf-8').send(node.metadata()),
  );

  app.post(
    '/login-gov-pl/start',
    { config: { ...open, rateLimit: RATE_LIMITS.login }, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      const relayState = randomBytes(24).toString('base64url');
      const start = node.startLogin(relayState);
      const returnTo = safeReturnPath(body.returnTo, '/konto');
      reply.setCookie(COOKIE_REQUEST, `${start.requestId} ${relayState} ${returnTo}`, cookieOptions);
      return reply.page((ctx) =>
        PostOnwardPage({
          ctx,
          title: 'national.redirect.title',
          text: 'national.redirect.text',
          button: 'national.redirect.button',
          action: start.action,
          fields: start.fields,
          simulator: simulator !== undefined,
        }),
      );
    },
  );

  const refuse = (reply: FastifyReply, key: MessageKey, status: number) =>
    reply.page((ctx) => NationalLoginErrorPage({ ctx, reason: key }), status);

  app.post(
    '/login-gov-pl/acs',
    { config: { ...open, rateLimit: RATE_LIMITS.login } },
    async (request: FastifyRequest, reply) => {
      const body = formOf(request);
      const pending = readPending(request);
      reply.clearCookie(COOKIE_REQUEST, { path: '/login-gov-pl' });
      if (!pending || typeof body.RelayState !== 'string' || body.RelayState !== pending.relayState)
        return refuse(reply, 'national.error.noRequest', 400);
      try {
        const login = await node.completeLogin({
          artifact: typeof body.SAMLart === 'string' ? body.SAMLart : '',
          expectedRequestId: pending.requestId,
        });
        const { token, secondFactorPending } = await services.logInNationally({
          login,
          previousToken: request.sessionToken,
        });
        setSessionCookie(reply, token, secure);
        return reply.redirect(secondFactorPending ? '/logowanie/kod' : pending.returnTo, 303);
      } catch (error) {
        if (!(error instanceof NationalLoginRefused)) throw error;
        request.log.warn({ reason: error.reason }, 'login.gov.pl login refused');
        const status = error.reason === 'unreachable' ? 502 : error.reason === 'malformed' ? 400 : 401;
        return refuse(reply, `national.error.${error.reason}`, status);
      }
    },
  );

  function readPending(request: FastifyRequest) {
    const raw = request.cookies[COOKIE_REQUEST];
    if (!raw) return undefined;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return undefined;
    const [requestId, relayState, returnTo] = unsigned.value.split(' ');
    if (!requestId || !relayState || !RELAY.test(relayState)) return undefined;
    return { requestId, relayState, returnTo: safeReturnPath(returnTo, '/konto') };
  }

  if (!simulator) return;

  // The simulator stands in for the node's own site: its SSO endpoint takes the posted
  // AuthnRequest as the node would (no CSRF token: the request's signature is the check).
  app.post('/login-gov-pl/symulator/sso', { config: open }, async (request, reply) => {
    const body = formOf(request);
    const relayState = typeof body.RelayState === 'string' ? body.RelayState : '';
    try {
      const pendingRequest = simulator.receiveAuthnRequest(
        typeof body.SAMLRequest === 'string' ? body.SAMLRequest : '',
      );
      return reply.page((ctx) =>
        SimulatorLoginPage({
          ctx,
          requestId: pendingRequest.id,
          relayState,
          people: SIMULATOR_PEOPLE,
          authorities: SIMULATOR_AUTHORITIES,
        }),
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'invalid';
      return reply.page(
        (ctx) =>
          SimulatorLoginPage({
            ctx,
            requestId: '',
            relayState: '',
            people: [],
            authorities: [],
            error: ctx.t('simulator.error.request', { detail }),
          }),
        400,
      );
    }
  });

  app.post('/login-gov-pl/symulator/wybor', { config: open, preHandler: csrf }, async (request, reply) => {
    const body = formOf(request);
    const person = SIMULATOR_PEOPLE[Number(body.person)];
    const authority = SIMULATOR_AUTHORITIES.find((a) => a === body.authority) ?? 'pz.gov.pl';
    let artifact: string;
    try {
      if (!person || typeof body.request !== 'string') throw new Error('person');
      artifact = simulator.issueArtifact(body.request, person, { authority });
    } catch {
      return reply.page(
        (ctx) =>
          SimulatorLoginPage({
            ctx,
            requestId: '',
            relayState: '',
            people: [],
            authorities: [],
            error: ctx.t('simulator.error.request', { detail: ctx.t('simulator.error.person') }),
          }),
        400,
      );
    }
    return reply.page((ctx) =>
      PostOnwardPage({
        ctx,
        title: 'simulator.return.title',
        text: 'simulator.return.text',
        button: 'simulator.return.button',
        action: '/login-gov-pl/acs',
        fields: { SAMLart: artifact, RelayState: typeof body.RelayState === 'string' ? body.RelayState : '' },
        simulator: true,
      }),
    );
  });
}
