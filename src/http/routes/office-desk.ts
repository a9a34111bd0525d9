import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { BoxListPage, isDocumentNotice, OfficeDocumentPage } from '../../views/pages/office-desk';
import { formErrors, formOf, keep } from '../forms';
import { sendReceipt, showReceipt } from '../receipt-download';

type Params = { officeId: string };
type DocParams = Params & { documentId: string };

/** The office's side: the box, documents, the correspondence journal. Clerks and office admins of that office only. */
export function registerOfficeDeskRoutes(app: FastifyInstance, { services }: { services: Services }): void {
  const config = {
    access: { role: ['clerk' as const, 'office-admin' as const], office: 'param:officeId' as const },
  };
  const csrf = app.csrfProtection;
  const actor = (request: FastifyRequest) => request.user!.accountId;

  app.get<{ Params: Params }>('/urzad/:officeId/skrzynka', { config }, async (request, reply) => {
    const office = await services.getOffice(request.params.officeId);
    const query = request.query as Record<string, unknown>;
    try {
      const page = await services.listBox(office.id, query);
      return reply.header('cache-control', 'no-store').page((ctx) => BoxListPage({ ctx, office, page }));
    } catch (error) {
      const form = formErrors(error);
      if (!form) throw error;
      // Show the form with the messages and the first page without filters.
      const page = await services.listBox(office.id, {});
      return reply.page((ctx) => BoxListPage({ ctx, office, page, errors: form.errors }), form.status);
    }
  });

  app.get<{ Params: Params }>('/urzad/:officeId/dziennik.csv', { config }, async (request, reply) => {
    const office = await services.getOffice(request.params.officeId);
    const query = request.query as Record<string, unknown>;
    try {
      const result = await services.exportJournal({
        officeId: office.id,
        actorId: actor(request),
        from: query.exportFrom,
        to: query.exportTo,
        form: query.exportForm,
        lang: request.lang,
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="dziennik-${office.id}-${result.from}-${result.to}.csv"`,
        )
        .send(result.csv);
    } catch (error) {
      const form = formErrors(error);
      if (!form) throw error;
      const page = await services.listBox(office.id, {});
      return reply.page(
        (ctx) =>
          BoxListPage({
            ctx,
            office,
            page,
            exportErrors: form.errors,
            exportValues: {
              from: keep(query.exportFrom) ?? '',
              to: keep(query.exportTo) ?? '',
              form: keep(query.exportForm) ?? '',
            },
          }),
        form.status,
      );
    }
  });

  app.get<{ Params: DocParams }>(
    '/urzad/:officeId/dokumenty/:documentId',
    { config },
    async (request, reply) => {
      const office = await services.getOffice(request.params.officeId);
      const view = await services.openOfficeDocument({
        officeId: office.id,
        documentId: request.params.documentId,
        actorId: actor(request),
      });
      const notice = (request.query as Record<string, unknown>).komunikat;
      const replies = await services.listRepliesTo(office.id, view.document.documentId);
      return reply.header('cache-control', 'no-store').page((ctx) =>
        OfficeDocumentPage({
          ctx,
          office,
          view,
          replies,
          notice: isDocumentNotice(notice) ? notice : undefined,
        }),
      );
    },
  );

  app.get<{ Params: DocParams & { position: string } }>(
    '/urzad/:officeId/dokumenty/:documentId/pliki/:position',
    { config },
    async (request, reply) => {
      const file = await services.downloadOfficeFile({
        officeId: request.params.officeId,
        documentId: request.params.documentId,
        position: request.params.position,
        actorId: actor(request),
      });
      // A sender's file is never rendered in the office's origin: always a download, never sniffed.
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .header('content-length', String(file.size))
        .send(file.stream);
    },
  );

  /** The document's receipt as it is stored; only for the office the document was filed with. */
  const documentReceipt = async (request: FastifyRequest<{ Params: DocParams }>) => {
    const reader = {
      kind: 'account' as const,
      accountId: actor(request),
      clerkOfOffices: [request.params.officeId],
    };
    const document = await services.getDocument(reader, request.params.documentId);
    if (document.officeId !== request.params.officeId)
      throw new AppError({
        code: 'not_found',
        status: 404,
        key: 'filing.error.documentNotFound',
        params: { id: request.params.documentId },
      });
    return services.getReceipt(reader, document.receiptId);
  };

  app.get<{ Params: DocParams & { format: string } }>(
    '/urzad/:officeId/dokumenty/:documentId/upp.:format',
    { config },
    async (request, reply) =>
      sendReceipt(reply, services, await documentReceipt(request), request.params.format),
  );

  app.get<{ Params: DocParams }>(
    '/urzad/:officeId/dokumenty/:documentId/upp',
    { config },
    async (request, reply) => {
      const { officeId, documentId } = request.params;
      return showReceipt(reply, services, await documentReceipt(request), {
        base: `/urzad/${officeId}/dokumenty/${documentId}/upp`,
        back: { href: `/urzad/${officeId}/dokumenty/${documentId}`, label: 'receipt.page.backToDocument' },
      });
    },
  );

  /** Runs a journal action; field errors show on the document page, the rest goes to the error handler. */
  const action = (
    path: string,
    run: (request: FastifyRequest<{ Params: DocParams }>) => Promise<unknown>,
    notice: string,
  ) =>
    app.post<{ Params: DocParams }>(
      `/urzad/:officeId/dokumenty/:documentId/${path}`,
      { config, preHandler: csrf },
      async (request, reply) => {
        const base = `/urzad/${request.params.officeId}/dokumenty/${request.params.documentId}`;
        try {
          await run(request);
          return reply.redirect(`${base}?komunikat=${notice}`, 303);
        } catch (error) {
          const form = formErrors(error);
          if (!form) throw error;
          const office = await services.getOffice(request.params.officeId);
          const view = await services.openOfficeDocument({
            officeId: office.id,
            documentId: request.params.documentId,
            actorId: actor(request),
          });
          const body = formOf(request);
          const values = {
            note: keep(body.note),
            departmentId: keep(body.departmentId),
            assigneeId: keep(body.assigneeId),
          };
          const replies = await services.listRepliesTo(office.id, view.document.documentId);
          return reply.page(
            (ctx) => OfficeDocumentPage({ ctx, office, view, replies, errors: form.errors, values }),
            form.status,
          );
        }
      },
    );

  action(
    'rejestruj',
    (r) =>
      services.registerDocument({
        officeId: r.params.officeId,
        documentId: r.params.documentId,
        actorId: actor(r),
      }),
    'registered',
  );
  action(
    'przekaz',
    (r) =>
      services.assignDocument({
        officeId: r.params.officeId,
        documentId: r.params.documentId,
        actorId: actor(r),
        departmentId: formOf(r).departmentId,
        assigneeId: formOf(r).assigneeId,
      }),
    'assigned',
  );
  action(
    'notatki',
    (r) =>
      services.addNote({
        officeId: r.params.officeId,
        documentId: r.params.documentId,
        actorId: actor(r),
        body: formOf(r).note,
      }),
    'noted',
  );
  action(
    'zamknij',
    (r) =>
      services.closeDocument({
        officeId: r.params.officeId,
        documentId: r.params.documentId,
        actorId: actor(r),
      }),
    'closed',
  );
}
