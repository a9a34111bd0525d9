import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { OfficerApplicationPage, OfficerSearchPage } from '../../views/pages/officer-pages';
import { formErrors, formOf } from '../forms';

/** The confirmation officer's desk: find an application, check a document, confirm or reject. */
export function registerOfficerRoutes(app: FastifyInstance, { services }: { services: Services }): void {
  const config = { access: { role: 'confirmation-officer' as const } };

  const officerPoints = async (pointIds: (string | null)[]) => {
    const points = await services.listConfirmationPoints();
    return points.filter((p) => pointIds.includes(p.id));
  };

  /**
   * The search goes by POST: a PESEL typed here never lands in a URL, the browser's history, a
   * proxy's or the access log. `GET /punkt` shows the empty form and ignores any query.
   */
  const searchPage = async (request: FastifyRequest, reply: FastifyReply, q: unknown) => {
    const query = request.query as Record<string, unknown>;
    const searched = typeof q === 'string' && q.trim() !== '';
    const found = searched ? await services.findApplications(q) : { query: '', results: [], invalid: false };
    const decided =
      typeof query.potwierdzono === 'string'
        ? { key: 'officer.notice.confirmed' as const, number: query.potwierdzono }
        : typeof query.odrzucono === 'string'
          ? { key: 'officer.notice.rejected' as const, number: query.odrzucono }
          : undefined;
    return reply.header('cache-control', 'no-store').page(
      (ctx) =>
        OfficerSearchPage({
          ctx,
          query: found.query,
          results: searched && !found.invalid ? found.results : undefined,
          invalid: found.invalid,
          notice: decided && /^PZ-[A-Z0-9-]{9}$/.test(decided.number) ? decided : undefined,
        }),
      found.invalid ? 400 : 200,
    );
  };

  app.get('/punkt', { config }, async (request, reply) => searchPage(request, reply, undefined));
  app.post('/punkt', { config, preHandler: app.csrfProtection }, async (request, reply) =>
    searchPage(request, reply, formOf(request).q),
  );

  app.get<{ Params: { id: string } }>('/punkt/wnioski/:id', { config }, async (request, reply) => {
    const profile = await services.getApplication(request.params.id);
    if (profile.state !== 'pending')
      throw new AppError({ code: 'not_found', status: 404, key: 'profile.error.notFound' });
    const points = await officerPoints(
      request.user!.roles.filter((r) => r.role === 'confirmation-officer').map((r) => r.pointId),
    );
    return reply.page((ctx) => OfficerApplicationPage({ ctx, profile, points }));
  });

  app.post<{ Params: { id: string } }>(
    '/punkt/wnioski/:id',
    { config, preHandler: app.csrfProtection },
    async (request, reply) => {
      const body = formOf(request);
      const officer = request.user!;
      const applicationId = request.params.id;
      try {
        if (body.decision === 'reject') {
          await services.rejectProfile({
            officer,
            applicationId,
            pointId: body.pointId,
            reason: body.reason,
          });
          return reply.redirect(`/punkt?odrzucono=${applicationId}`, 303);
        }
        await services.confirmProfile({
          officer,
          applicationId,
          pointId: body.pointId,
          documentType: body.documentType,
        });
        return reply.redirect(`/punkt?potwierdzono=${applicationId}`, 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const profile = await services.getApplication(applicationId);
        const points = await officerPoints(
          officer.roles.filter((r) => r.role === 'confirmation-officer').map((r) => r.pointId),
        );
        return reply.page(
          (ctx) => OfficerApplicationPage({ ctx, profile, points, errors: form.errors }),
          form.status,
        );
      }
    },
  );
}
