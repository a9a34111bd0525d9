import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors';
import type { Services } from '../services/index';
import type { Config } from '../config';
import { ErrorPage } from '../views/pages/error';
import { enforceAccess, requireAccessOnEveryRoute } from './access';
import { IdempotentReplay, registerIdempotency, sendReplay } from './idempotency';
import { codeForStatus, problemBody } from './problem';
import { registerApiValidation, validateApiRequests } from './api-validation';
import { registerOpenApi } from './openapi';
import { MULTIPART_LIMITS } from './upload-limits';
import { registerTokenRateLimit } from './api-rate-limit';
import { sharedRateLimitStore } from './rate-limit-store';
import { registerSessions } from './plugins/sessions';
import { registerReadTurns } from './read-turns';
import { registerAccountRoutes } from './routes/accounts';
import { registerAdminRoutes } from './routes/admin';
import { registerOfficeDeskRoutes } from './routes/office-desk';
import { registerOfficerRoutes } from './routes/officer';
import { registerNationalProfileRoutes, registerTrustedProfileRoutes } from './routes/trusted-profile';
import { PUBLIC_DIR } from './assets';
import { registerSecurityHeaders } from './plugins/security-headers';
import { registerHealthRoutes } from './routes/health';
import { registerMetrics } from './metrics';
import { registerOfficeCertificateRoutes } from './routes/office-certificate';
import { registerPortalRoutes } from './routes/portal';
import { registerLegalRoutes } from './routes/legal';
import { registerFavicon } from './favicon';
import { registerApiErrorRoutes } from './routes/api-errors';
import { registerApiFilingRoutes } from './routes/api-filing';
import { registerApiDeliveryRoutes } from './routes/api-deliveries';
import { registerInboxRoutes } from './routes/inbox';
import { registerOfficeAnswerRoutes } from './routes/office-answers';
import { registerApiPullRoutes } from './routes/api-pull';
import { registerApiWebhookRoutes } from './routes/api-webhooks';
import { registerSoapPullEndpoint } from './soap/pull-endpoint';
import { registerSoapSendEndpoints } from './soap/send-endpoints';
import { registerOfficeSystemRoutes } from './routes/office-systems';
import { registerOfficeManagementRoutes } from './routes/office-management';
import { registerOfficeSettingsRoutes } from './routes/office-settings';
import { registerOfficeTokenRoutes } from './routes/office-tokens';
import { registerOfficeWebhookRoutes } from './routes/office-webhooks';
import { registerLetterRoutes } from './routes/letters';
import { registerResidentExportRoutes } from './routes/resident-export';
import { registerTransparencyLogRoutes } from './routes/transparency-log';
import { registerVerificationRoutes } from './routes/verification';
import type { VNode } from 'preact';
import type { ViewContext } from '../views/context';
import { registerLoginGovPlRoutes } from './routes/login-gov-pl';
import type { NationalLoginSetup } from '../adapters/login-gov-pl/index';
import { multipartCsrfToken } from './multipart-form';
import { resolveLang, sendPage, viewContext } from './web-context';
import { type MessageKey } from '../i18n/index';

export interface HttpOptions {
  config: Config;
  services: Services;
  logger: Logger;
  cookieSecret: string;
  /** Login through login.gov.pl (or its simulator), when configured. */
  nationalLogin?: NationalLoginSetup | undefined;
  /** True once the server is shutting down: /readyz answers 503 so balancers move away. */
  isDraining?: () => boolean;
}

/** An X-Request-Id a client or proxy may give: short, printable, no spaces. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Percent-encoding that decodeURIComponent cannot read is a malformed query string. */
function hasMalformedQuery(url: string): boolean {
  const q = url.indexOf('?');
  if (q < 0) return false;
  try {
    decodeURIComponent(url.slice(q + 1).replace(/\+/g, ' '));
    return false;
  } catch {
    return true;
  }
}

export async function createHttpApp(options: HttpOptions): Promise<FastifyInstance> {
  const { config, services } = options;
  const secure = config.publicUrl.startsWith('https://');
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any hook runs (bad percent-encoding, an overlong
    // parameter) leave through the same handler as every other error.
    frameworkErrors: (error, request, reply) => {
      request.lang = /[?&]lang=en(&|$)/.test(request.url) ? 'en' : 'pl';
      request.cookies ??= {};
      return handleError(
        new AppError({
          code: 'bad_request',
          status: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400,
          key: 'error.badUrl',
        }),
        request,
        reply,
      );
    },
    // Lines about one request carry its id on every node: the caller's X-Request-Id when it is
    // well-formed (a proxy's or a client's), else a fresh UUID; answers return it.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // A client error (e.g. oversized headers) gets a plain 400, never a stack trace.
    clientErrorHandler: (error, socket) => {
      if (socket.writable) {
        const body = 'Bad Request / Nieprawidłowe żądanie\n';
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      options.logger.debug({ code: (error as NodeJS.ErrnoException).code }, 'client error');
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerReadTurns(app);
  requireAccessOnEveryRoute(app);
  registerApiValidation(app);
  app.decorateRequest('lang', 'pl');
  app.decorateReply('page', function (this: FastifyReply, render, status = 200) {
    return sendPage(
      this,
      render(viewContext(this.request, this, config.installationName, config.localTrustedProfiles)),
      status,
    );
  });

  registerSecurityHeaders(app, {
    https: secure,
    formActions: options.nationalLogin?.ssoOrigin ? [options.nationalLogin.ssoOrigin] : [],
  });
  await registerOpenApi(app, { publicUrl: config.publicUrl, title: config.installationName });
  await app.register(cookie, { secret: options.cookieSecret });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Per-request caps; the total of all files is counted by the upload routes themselves.
  await app.register(multipart, { limits: MULTIPART_LIMITS });
  await app.register(csrf, {
    cookieKey: '_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true },
    // Never from the query string: a token in an address shows in the address bar and history.
    getToken: (request) =>
      (request.body as Record<string, string> | undefined)?._csrf ?? multipartCsrfToken(request),
  });
  // Limits are declared per route (src/http/rate-limits.ts); none apply globally. Counters
  // live in the database, shared by every node.
  await app.register(rateLimit, {
    global: false,
    store: sharedRateLimitStore((key, windowMs) => services.countRateLimitHit(key, windowMs)),
  });
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/assets/',
    index: false,
    maxAge: '1h',
    allowedPath: (pathName) => !pathName.includes('..'),
  });

  app.addHook('onRequest', async (request, reply) => {
    request.lang = resolveLang(request, reply, secure);
    if (hasMalformedQuery(request.url)) {
      throw new AppError({ code: 'bad_query', status: 400, key: 'error.badQuery' });
    }
  });

  registerSessions(app, services, { warningSeconds: config.sessionWarningSeconds });
  enforceAccess(app, { authenticateToken: (authorization) => services.authenticateToken(authorization) });
  registerTokenRateLimit(app, { perMinute: config.apiRateLimitPerMinute });
  registerIdempotency(app, services);
  validateApiRequests(app);

  app.setNotFoundHandler({}, (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply
        .status(404)
        .type('application/problem+json')
        .send(problemBody(request.lang, { status: 404, code: 'not_found', key: 'error.notFound.title' }));
    }
    return reply.page(
      (ctx) => ErrorPage({ ctx, title: 'error.notFound.title', text: 'error.notFound.text' }),
      404,
    );
  });

  app.setErrorHandler(handleError);

  /** The error page; also for errors the router raises before the app's hooks and decorations. */
  function page(reply: FastifyReply, render: (ctx: ViewContext) => VNode, status: number) {
    if (typeof reply.page === 'function') return reply.page(render, status);
    const ctx = viewContext(reply.request, reply, config.installationName, config.localTrustedProfiles);
    ctx.showCookieBanner = false;
    return sendPage(reply, render(ctx), status);
  }

  function handleError(
    error: FastifyError | AppError | IdempotentReplay,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    if (error instanceof IdempotentReplay) return sendReplay(reply, error.response);
    const lang = request.lang ?? 'pl';
    let status = 500;
    let detail: AppError | undefined;
    if (error instanceof AppError) {
      status = error.status;
      detail = error;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
    }
    const route = request.routeOptions.url ?? request.url.split('?')[0];
    if (status >= 500) request.log.error({ err: error, route, status }, 'request failed');
    else request.log.info({ code: error.code, route, status }, 'request refused');

    const isCsrf = typeof error.code === 'string' && error.code.startsWith('FST_CSRF');
    const fallbackKey: MessageKey | undefined =
      status === 413
        ? 'error.tooLarge'
        : status === 415
          ? 'error.unsupportedMediaType'
          : status === 429
            ? 'error.rateLimited'
            : isCsrf
              ? 'form.csrf'
              : undefined;
    if (request.url.startsWith('/api/')) {
      return reply
        .status(status)
        .type('application/problem+json')
        .send(
          problemBody(
            lang,
            detail ?? {
              status,
              code: codeForStatus(status),
              key: fallbackKey ?? (status >= 500 ? 'error.server.title' : 'error.badRequest.title'),
            },
          ),
        );
    }
    if (status === 404) {
      return page(
        reply,
        (ctx) =>
          ErrorPage({
            ctx,
            title: 'error.notFound.title',
            text: 'error.notFound.text',
            detail: detail ? { key: detail.key, params: detail.params } : undefined,
          }),
        404,
      );
    }
    if (status >= 500)
      return page(
        reply,
        (ctx) => ErrorPage({ ctx, title: 'error.server.title', text: 'error.server.text' }),
        status,
      );
    const detailKey = detail
      ? { key: detail.key, params: detail.params }
      : fallbackKey
        ? { key: fallbackKey }
        : undefined;
    // A refusal is not a malformed request: it gets its own title and advice.
    const forbidden = status === 403;
    return page(
      reply,
      (ctx) =>
        ErrorPage({
          ctx,
          title: forbidden ? 'error.forbidden.title' : 'error.badRequest.title',
          text: forbidden ? 'error.forbidden.text' : 'error.badRequest.text',
          detail: detailKey,
        }),
      status,
    );
  }

  registerHealthRoutes(app, services, options.isDraining ?? (() => false));
  registerMetrics(app, services, config.metricsToken);
  registerPortalRoutes(app, { services, secure });
  registerLegalRoutes(app, { services, legal: config.legal, publicUrl: config.publicUrl });
  registerFavicon(app);
  registerApiErrorRoutes(app);
  registerApiFilingRoutes(app, services);
  registerApiDeliveryRoutes(app, services);
  registerInboxRoutes(app, services);
  registerOfficeAnswerRoutes(app, services);
  registerApiPullRoutes(app, services, { leaseMs: config.pullLeaseSeconds * 1000 });
  registerApiWebhookRoutes(app, services);
  registerSoapPullEndpoint(app, services, {
    publicUrl: config.publicUrl,
    leaseMs: config.pullLeaseSeconds * 1000,
    perMinute: config.apiRateLimitPerMinute,
  });
  registerSoapSendEndpoints(app, services, {
    publicUrl: config.publicUrl,
    perMinute: config.apiRateLimitPerMinute,
  });
  registerLetterRoutes(app, services);
  registerResidentExportRoutes(app, services);
  registerOfficeCertificateRoutes(app, services);
  registerTransparencyLogRoutes(app, services);
  registerVerificationRoutes(app, services);
  const national = options.nationalLogin;
  registerAccountRoutes(app, {
    services,
    secure,
    nationalLogin: national !== undefined,
    officerDesk: config.localTrustedProfiles,
    // A national login's session at the node ends with ours; a node that does not answer
    // does not keep the resident logged in here.
    beforeLogout: national
      ? async (token) => {
          const evidence = await services.sessionAuthentication(token);
          if (evidence)
            await national.node
              .logout(evidence)
              .catch((error: unknown) => options.logger.warn({ err: error }, 'login.gov.pl logout failed'));
        }
      : undefined,
  });
  if (national)
    registerLoginGovPlRoutes(app, { services, node: national.node, simulator: national.simulator, secure });
  // The local register and the officers' desk that confirms it exist only where it is turned on.
  if (config.localTrustedProfiles) {
    registerTrustedProfileRoutes(app, { services });
    registerOfficerRoutes(app, { services });
  } else registerNationalProfileRoutes(app, { nationalLogin: national !== undefined });
  registerAdminRoutes(app, { services });
  registerOfficeDeskRoutes(app, { services });
  registerOfficeWebhookRoutes(app, { services });
  registerOfficeSettingsRoutes(app, { services });
  registerOfficeManagementRoutes(app, { services });
  registerOfficeSystemRoutes(app, { services, publicUrl: config.publicUrl });
  registerOfficeTokenRoutes(app, { services });
  return app;
}
