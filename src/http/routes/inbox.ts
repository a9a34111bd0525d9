import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../domain/errors';
import type { Principal } from '../../domain/roles';
import { residentBoxAddress } from '../../services/deliver-letter';
import type { Services } from '../../services/index';
import type { FreshChallengeView } from '../../services/fresh-confirmation';
import type { ViewContext } from '../../views/context';
import { FreshCodePage } from '../../views/pages/fresh-code';
import { DeliveryPage, InboxPage } from '../../views/pages/inbox';
import { RATE_LIMITS } from '../rate-limits';
import { sendReceipt, showReceipt } from '../receipt-download';

const ID = /^[0-9a-f-]{36}$/;

function userOf(request: FastifyRequest): Principal {
  if (!request.user)
    throw new AppError({ code: 'unauthenticated', status: 401, key: 'access.unauthenticated' });
  return request.user;
}

const checkId = (id: string) => {
  if (!ID.test(id)) throw new AppError({ code: 'not_found', status: 404, key: 'error.notFound.title' });
};

/**
 * The resident's inbox of letters from offices. A letter's title and files open only after
 * receipt is confirmed (or deemed): before that even a guessed file URL is not found.
 */
export function registerInboxRoutes(app: FastifyInstance, services: Services): void {
  const resident = { config: { access: 'authenticated' as const } };
  // Starting a confirmation and entering its code are limited like every code entry.
  const codeForm = {
    config: { access: 'authenticated' as const, rateLimit: RATE_LIMITS.codeEntry },
    preHandler: app.csrfProtection,
  };

  app.get('/skrzynka', resident, async (request, reply) => {
    const accountId = userOf(request).accountId;
    const [deliveries, sent] = await Promise.all([
      services.listResidentDeliveries(accountId),
      services.listSentLetters(accountId),
    ]);
    const boxAddress = residentBoxAddress(accountId);
    return reply
      .header('cache-control', 'no-store')
      .page((ctx) => InboxPage({ ctx, deliveries, sent, boxAddress }));
  });

  app.get<{ Params: { deliveryId: string } }>('/skrzynka/:deliveryId', resident, async (request, reply) => {
    checkId(request.params.deliveryId);
    const delivery = await services.getResidentDelivery(userOf(request).accountId, request.params.deliveryId);
    return reply.header('cache-control', 'no-store').page((ctx) => DeliveryPage({ ctx, delivery }));
  });

  const receiptCodePage =
    (deliveryId: string, challenge: FreshChallengeView) =>
    (ctx: ViewContext, errors: FieldError[] = []) =>
      FreshCodePage({
        ctx,
        title: 'inbox.code.title',
        submit: 'inbox.code.submit',
        purpose: 'receipt',
        action: `/skrzynka/${deliveryId}/odbior/kod`,
        challenge,
        back: `/skrzynka/${deliveryId}`,
        errors,
      });

  app.post<{ Params: { deliveryId: string } }>(
    '/skrzynka/:deliveryId/odbior',
    codeForm,
    async (request, reply) => {
      checkId(request.params.deliveryId);
      const user = userOf(request);
      const delivery = await services.getResidentDelivery(user.accountId, request.params.deliveryId);
      if (delivery.status !== 'awaiting') return reply.redirect(`/skrzynka/${delivery.id}`, 303);
      const challenge = await services.startFreshConfirmation({
        accountId: user.accountId,
        purpose: 'receipt',
      });
      // The code page is a GET page: reloading it shows it again and sends no second code.
      return reply.redirect(`/skrzynka/${delivery.id}/odbior?wyzwanie=${challenge.id}`, 303);
    },
  );

  app.get<{ Params: { deliveryId: string } }>(
    '/skrzynka/:deliveryId/odbior',
    resident,
    async (request, reply) => {
      checkId(request.params.deliveryId);
      const user = userOf(request);
      const delivery = await services.getResidentDelivery(user.accountId, request.params.deliveryId);
      const challenge = await services.openFreshChallenge({
        accountId: user.accountId,
        challengeId: (request.query as Record<string, unknown>).wyzwanie,
        purpose: 'receipt',
      });
      if (delivery.status !== 'awaiting' || !challenge?.open)
        return reply.redirect(`/skrzynka/${delivery.id}`, 303);
      return reply.header('cache-control', 'no-store').page(receiptCodePage(delivery.id, challenge));
    },
  );

  app.post<{ Params: { deliveryId: string } }>(
    '/skrzynka/:deliveryId/odbior/kod',
    codeForm,
    async (request, reply) => {
      checkId(request.params.deliveryId);
      const user = userOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      try {
        await services.confirmReceipt({
          accountId: user.accountId,
          deliveryId: request.params.deliveryId,
          challengeId: body.challengeId,
          code: body.code,
        });
      } catch (error) {
        const challenge =
          error instanceof AppError && error.status < 500 && error.status !== 404
            ? await services.openFreshChallenge({
                accountId: user.accountId,
                challengeId: body.challengeId,
                purpose: 'receipt',
              })
            : undefined;
        if (error instanceof AppError && challenge) {
          const errors =
            error.fieldErrors.length > 0
              ? error.fieldErrors
              : [{ field: 'code', key: error.key, params: error.params }];
          return reply.page(
            (ctx) => receiptCodePage(request.params.deliveryId, challenge)(ctx, errors),
            error.status,
          );
        }
        throw error;
      }
      return reply.redirect(`/skrzynka/${request.params.deliveryId}`, 303);
    },
  );

  app.get<{ Params: { deliveryId: string; position: string } }>(
    '/skrzynka/:deliveryId/pliki/:position',
    resident,
    async (request, reply) => {
      checkId(request.params.deliveryId);
      const position = /^\d{1,4}$/.test(request.params.position) ? Number(request.params.position) : -1;
      const file = await services.downloadDeliveryFile(
        userOf(request).accountId,
        request.params.deliveryId,
        position,
      );
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(file.content);
    },
  );

  // The proofs, as signed XML, as the readable PDF and as a page; none before receipt (see addresseeMaySeeContent).
  for (const format of ['xml', 'pdf', 'page'] as const) {
    app.get<{ Params: { deliveryId: string; proofId: string } }>(
      `/skrzynka/:deliveryId/dowody/:proofId${format === 'page' ? '' : `.${format}`}`,
      resident,
      async (request, reply) => {
        checkId(request.params.deliveryId);
        checkId(request.params.proofId);
        const accountId = userOf(request).accountId;
        const delivery = await services.getResidentDelivery(accountId, request.params.deliveryId);
        if (!delivery.proofs.some((p) => p.id === request.params.proofId))
          throw new AppError({ code: 'not_found', status: 404, key: 'error.notFound.title' });
        const receipt = await services.getReceipt(
          { kind: 'account', accountId, clerkOfOffices: [] },
          request.params.proofId,
        );
        if (format !== 'page') return sendReceipt(reply, services, receipt, format);
        return showReceipt(reply, services, receipt, {
          base: `/skrzynka/${delivery.id}/dowody/${receipt.id}`,
          back: { href: `/skrzynka/${delivery.id}`, label: 'receipt.page.backToLetter' },
        });
      },
    );
  }
}
