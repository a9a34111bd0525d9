import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type FieldError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { MAX_OFFICE_LIMIT_MB, type Office } from '../../services/offices';
import type { MessageKey, ViewContext } from '../../views/context';
import {
  AdminOfficePage,
  AdminOfficesPage,
  OfficeStaffListPage,
  type OfficeValues,
} from '../../views/pages/office-management';
import { formErrors, formOf, keep } from '../forms';

const valuesOf = (office: Office): OfficeValues => ({
  name: office.name,
  shortCode: office.shortCode,
  address: office.address,
  boxes: office.boxes.map((b) => `${b.name}: ${b.title}`).join('\n'),
  maxSizeMb: String(Math.round((office.policy.maxSizeBytes / 1024 / 1024) * 100) / 100),
  formatIds: office.policy.formats.map((f) => f.id),
});

const postedValues = (body: Record<string, unknown>): OfficeValues => {
  const formats = Array.isArray(body.formatIds) ? body.formatIds : [body.formatIds];
  return {
    newId: keep(body.newId) ?? '',
    name: keep(body.name) ?? '',
    shortCode: keep(body.shortCode) ?? '',
    address: keep(body.address) ?? '',
    boxes: typeof body.boxes === 'string' ? body.boxes.slice(0, 5000) : '',
    maxSizeMb: keep(body.maxSizeMb) ?? '',
    formatIds: formats.filter((f): f is string => typeof f === 'string'),
  };
};

/**
 * Offices managed by the platform admin under /admin/urzedy, and the office's staff seen by its
 * office admin under /urzad/{officeId}/pracownicy.
 */
export function registerOfficeManagementRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): void {
  const admin = { access: { role: 'platform-admin' as const } };
  const officeAdmin = { access: { role: 'office-admin' as const, office: 'param:officeId' as const } };
  const csrf = app.csrfProtection;

  app.get<{ Querystring: { zapisano?: string } }>(
    '/admin/urzedy',
    { config: admin },
    async (request, reply) => {
      const offices = await services.listOffices();
      return reply.page((ctx) => AdminOfficesPage({ ctx, offices, saved: request.query.zapisano === '1' }));
    },
  );

  app.get('/admin/urzedy/nowy', { config: admin }, async (_request, reply) =>
    reply.page((ctx) =>
      AdminOfficePage({
        ctx,
        office: undefined,
        maxLimitMb: MAX_OFFICE_LIMIT_MB,
        values: { boxes: 'skrytka: Elektroniczna Skrzynka Podawcza', maxSizeMb: '5', formatIds: [] },
      }),
    ),
  );

  /** Saves the office form (a new office when `office` is undefined); errors show on the form. */
  const saveFromForm = async (request: FastifyRequest, reply: FastifyReply, office: Office | undefined) => {
    const body = formOf(request);
    try {
      await services.saveOffice({
        actorId: request.user!.accountId,
        ...(office ? { id: office.id } : { newId: body.newId }),
        name: body.name,
        shortCode: body.shortCode,
        address: body.address,
        boxes: body.boxes,
        maxSizeMb: body.maxSizeMb,
        formatIds: body.formatIds,
      });
      return reply.redirect('/admin/urzedy?zapisano=1', 303);
    } catch (error) {
      const form = formErrors(error);
      if (!form) throw error;
      return reply.page(
        (ctx) =>
          AdminOfficePage({
            ctx,
            office,
            maxLimitMb: MAX_OFFICE_LIMIT_MB,
            values: postedValues(body),
            errors: form.errors,
          }),
        form.status,
      );
    }
  };

  app.post('/admin/urzedy/nowy', { config: admin, preHandler: csrf }, (request, reply) =>
    saveFromForm(request, reply, undefined),
  );

  app.get<{ Params: { id: string } }>('/admin/urzedy/:id', { config: admin }, async (request, reply) => {
    const office = await services.getOffice(request.params.id);
    return reply.page((ctx) =>
      AdminOfficePage({ ctx, office, maxLimitMb: MAX_OFFICE_LIMIT_MB, values: valuesOf(office) }),
    );
  });

  app.post<{ Params: { id: string } }>(
    '/admin/urzedy/:id',
    { config: admin, preHandler: csrf },
    async (request, reply) => saveFromForm(request, reply, await services.getOffice(request.params.id)),
  );

  const staffOf = async (officeId: string) =>
    (await services.listStaffRoles()).filter((r) => r.officeId === officeId);

  const staffPage = async (
    officeId: string,
    extra: { saved?: boolean; email?: string | undefined; errors?: FieldError[] },
  ) => {
    const [office, staff] = await Promise.all([services.getOffice(officeId), staffOf(officeId)]);
    return (ctx: ViewContext) =>
      OfficeStaffListPage({
        ctx,
        office,
        staff: staff.map((s) => ({
          roleId: s.id,
          email: s.email,
          role: ctx.t(`role.${s.role}` as MessageKey) + (s.department ? ` (${s.department})` : ''),
          secondFactor: s.secondFactor,
          revocable: s.role === 'clerk',
        })),
        ...extra,
      });
  };

  app.get<{ Params: { officeId: string }; Querystring: { zapisano?: string } }>(
    '/urzad/:officeId/pracownicy',
    { config: officeAdmin },
    async (request, reply) =>
      reply.page(await staffPage(request.params.officeId, { saved: request.query.zapisano === '1' })),
  );

  app.post<{ Params: { officeId: string } }>(
    '/urzad/:officeId/pracownicy',
    { config: officeAdmin, preHandler: csrf },
    async (request, reply) => {
      const { officeId } = request.params;
      const email = formOf(request).email;
      try {
        await services.grantRole({ actorId: request.user!.accountId, email, role: 'clerk', officeId });
        return reply.redirect(`/urzad/${officeId}/pracownicy?zapisano=1`, 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const errors = form.errors.map((e) => ({ ...e, field: 'email' }));
        return reply.page(await staffPage(officeId, { email: keep(email), errors }), form.status);
      }
    },
  );

  app.post<{ Params: { officeId: string; roleId: string } }>(
    '/urzad/:officeId/pracownicy/:roleId/usun',
    { config: officeAdmin, preHandler: csrf },
    async (request, reply) => {
      const { officeId, roleId } = request.params;
      // Only a clerk role of this office: an office admin cannot touch other offices or roles.
      const role = (await staffOf(officeId)).find((r) => r.id === roleId && r.role === 'clerk');
      if (!role) throw notFound();
      await services.revokeRole({ actorId: request.user!.accountId, roleId });
      return reply.redirect(`/urzad/${officeId}/pracownicy?zapisano=1`, 303);
    },
  );
}
