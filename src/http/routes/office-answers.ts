import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { AnswerPage } from '../../views/pages/office-answers';
import { multipartCsrfProtection } from '../multipart-form';
import { receiveFiling } from '../receive-filing';
import { sendReceipt, showReceipt } from '../receipt-download';

type DocParams = { officeId: string; documentId: string };
const ID = /^[0-9a-f-]{36}$/;

/** A clerk answers a filed document with a letter to a resident; the office reads the proofs. */
export function registerOfficeAnswerRoutes(app: FastifyInstance, services: Services): void {
  const config = {
    access: { role: ['clerk' as const, 'office-admin' as const], office: 'param:officeId' as const },
  };

  const page = async (
    request: FastifyRequest<{ Params: DocParams }>,
    reply: FastifyReply,
    values: Record<string, string> = {},
    error?: AppError,
  ) => {
    const { officeId, documentId } = request.params;
    const office = await services.getOffice(officeId);
    const replyTo = await services.replyRecipientOf(officeId, documentId);
    const document = await services.getDocument(
      { kind: 'account', accountId: request.user!.accountId, clerkOfOffices: [officeId] },
      documentId,
    );
    return reply.page(
      (ctx) =>
        AnswerPage({
          ctx,
          officeId,
          documentId,
          documentTitle: document.title,
          policy: office.policy,
          replyTo,
          values,
          errors: error?.fieldErrors ?? [],
        }),
      error?.status ?? 200,
    );
  };

  app.get<{ Params: DocParams }>(
    '/urzad/:officeId/dokumenty/:documentId/odpowiedz',
    { config },
    async (request, reply) => page(request, reply),
  );

  app.post<{ Params: DocParams }>(
    '/urzad/:officeId/dokumenty/:documentId/odpowiedz',
    { config, preHandler: multipartCsrfProtection(app) },
    async (request, reply) => {
      const { officeId, documentId } = request.params;
      if (!request.isMultipart())
        throw new AppError({ code: 'unsupported_media_type', status: 415, key: 'filing.error.notMultipart' });
      const office = await services.getOffice(officeId);
      const replyTo = await services.replyRecipientOf(officeId, documentId);
      let received: Awaited<ReturnType<typeof receiveFiling>> | undefined;
      try {
        received = await receiveFiling(request, services, office.policy.maxSizeBytes);
        const pesel = received.fields.recipientPesel?.trim();
        await services.deliverLetter({
          officeId,
          sender: { type: 'account', ref: request.user!.accountId, name: request.user!.displayName },
          ...(pesel ? { recipientPesel: pesel } : { recipientAccountId: replyTo?.accountId }),
          title: received.fields.title ?? '',
          files: received.files,
          inReplyTo: documentId,
        });
        return reply.redirect(`/urzad/${officeId}/dokumenty/${documentId}#odpowiedzi`, 303);
      } catch (error) {
        if (error instanceof AppError && error.fieldErrors.length > 0)
          return page(request, reply, received?.fields ?? {}, error);
        throw error;
      }
    },
  );

  // The proofs as signed XML, as the readable PDF and as a page.
  for (const format of ['xml', 'pdf', 'page'] as const) {
    app.get<{ Params: { officeId: string; deliveryId: string; proofId: string } }>(
      `/urzad/:officeId/doreczenia/:deliveryId/dowody/:proofId${format === 'page' ? '' : `.${format}`}`,
      { config },
      async (request, reply) => {
        const { officeId, deliveryId, proofId } = request.params;
        if (!ID.test(deliveryId) || !ID.test(proofId))
          throw new AppError({ code: 'not_found', status: 404, key: 'error.notFound.title' });
        const delivery = await services.getOfficeDelivery(officeId, deliveryId);
        if (!delivery.proofs.some((p) => p.id === proofId))
          throw new AppError({ code: 'not_found', status: 404, key: 'error.notFound.title' });
        const receipt = await services.getReceipt(
          { kind: 'account', accountId: request.user!.accountId, clerkOfOffices: [officeId] },
          proofId,
        );
        if (format !== 'page') return sendReceipt(reply, services, receipt, format);
        // An answer's proofs are listed on the page of the document it answers.
        const back = delivery.inReplyTo
          ? {
              href: `/urzad/${officeId}/dokumenty/${delivery.inReplyTo}#odpowiedzi`,
              label: 'receipt.page.backToDocument' as const,
            }
          : { href: `/urzad/${officeId}/skrzynka`, label: 'receipt.page.backToBox' as const };
        return showReceipt(reply, services, receipt, {
          base: `/urzad/${officeId}/doreczenia/${deliveryId}/dowody/${proofId}`,
          back,
        });
      },
    );
  }
}
