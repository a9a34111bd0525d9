import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../domain/errors';
import { isRoleName, type RoleName } from '../../domain/roles';
import type { Services } from '../../services/index';
import {
  AdminAuditPage,
  AdminHomePage,
  AdminPointPage,
  AdminPointsPage,
  AdminProfilePage,
  AdminRolesPage,
  OfficeStaffPage,
} from '../../views/pages/admin-pages';
import { roleLabel } from '../../views/pages/account-pages';
import { formErrors, formOf, keep } from '../forms';

const POINT_NOTICES = {
  saved: 'admin.points.notice.saved',
  retired: 'admin.points.notice.retired',
  officer: 'admin.points.notice.officer',
} as const;

/** Platform administration: confirmation points and their officers, staff roles, audit log, poll totals. */
export function registerAdminRoutes(app: FastifyInstance, { services }: { services: Services }): void {
  const config = { access: { role: 'platform-admin' as const } };
  const csrf = app.csrfProtection;

  app.get('/admin', { config }, async (_request, reply) => {
    const poll = await services.pollTotals();
    return reply.page((ctx) => AdminHomePage({ ctx, poll }));
  });

  app.get('/admin/punkty', { config }, async (request, reply) => {
    const points = await services.listManagedPoints();
    const notice = (request.query as Record<string, unknown>).komunikat;
    return reply.page((ctx) =>
      AdminPointsPage({
        ctx,
        points,
        notice:
          typeof notice === 'string' && notice in POINT_NOTICES
            ? POINT_NOTICES[notice as keyof typeof POINT_NOTICES]
            : undefined,
      }),
    );
  });

  app.get('/admin/punkty/nowy', { config }, async (_request, reply) =>
    reply.page((ctx) => AdminPointPage({ ctx, point: undefined, values: {} })),
  );

  const pointValues = (body: Record<string, unknown>) => ({
    newId: keep(body.newId) ?? '',
    name: keep(body.name) ?? '',
    address: keep(body.address) ?? '',
    openingHours: keep(body.openingHours) ?? '',
    phone: keep(body.phone) ?? '',
  });

  app.post('/admin/punkty/nowy', { config, preHandler: csrf }, async (request, reply) => {
    const body = formOf(request);
    try {
      await services.savePoint({
        actorId: request.user!.accountId,
        newId: body.newId,
        name: body.name,
        address: body.address,
        openingHours: body.openingHours,
        phone: body.phone,
      });
      return reply.redirect('/admin/punkty?komunikat=saved', 303);
    } catch (error) {
      const form = formErrors(error);
      if (!form) throw error;
      return reply.page(
        (ctx) => AdminPointPage({ ctx, point: undefined, values: pointValues(body), errors: form.errors }),
        form.status,
      );
    }
  });

  app.get<{ Params: { id: string } }>('/admin/punkty/:id', { config }, async (request, reply) => {
    const point = await services.getManagedPoint(request.params.id);
    return reply.page((ctx) =>
      AdminPointPage({ ctx, point, values: { ...point, phone: point.phone ?? '' } }),
    );
  });

  app.post<{ Params: { id: string } }>(
    '/admin/punkty/:id',
    { config, preHandler: csrf },
    async (request, reply) => {
      const body = formOf(request);
      const point = await services.getManagedPoint(request.params.id);
      try {
        await services.savePoint({
          actorId: request.user!.accountId,
          id: point.id,
          name: body.name,
          address: body.address,
          openingHours: body.openingHours,
          phone: body.phone,
        });
        return reply.redirect('/admin/punkty?komunikat=saved', 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page(
          (ctx) => AdminPointPage({ ctx, point, values: pointValues(body), errors: form.errors }),
          form.status,
        );
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    '/admin/punkty/:id/wycofaj',
    { config, preHandler: csrf },
    async (request, reply) => {
      await services.retirePoint({ actorId: request.user!.accountId, id: request.params.id });
      return reply.redirect('/admin/punkty?komunikat=retired', 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/admin/punkty/:id/urzednicy',
    { config, preHandler: csrf },
    async (request, reply) => {
      const point = await services.getManagedPoint(request.params.id);
      const body = formOf(request);
      try {
        await services.grantRole({
          actorId: request.user!.accountId,
          email: body.officerEmail,
          role: 'confirmation-officer',
          pointId: point.id,
        });
        return reply.redirect(`/admin/punkty?komunikat=officer`, 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const errors = form.errors.map((e) => ({ ...e, field: 'officerEmail' }));
        return reply.page(
          (ctx) => AdminPointPage({ ctx, point, values: { ...point, phone: point.phone ?? '' }, errors }),
          form.status,
        );
      }
    },
  );

  app.post<{ Params: { id: string; roleId: string } }>(
    '/admin/punkty/:id/urzednicy/:roleId/usun',
    { config, preHandler: csrf },
    async (request, reply) => {
      await services.revokeRole({ actorId: request.user!.accountId, roleId: request.params.roleId });
      return reply.redirect(`/admin/punkty?komunikat=officer`, 303);
    },
  );

  app.get('/admin/role', { config }, async (_request, reply) => {
    const roles = await services.listStaffRoles();
    return reply.page((ctx) => AdminRolesPage({ ctx, roles }));
  });

  app.post('/admin/role', { config, preHandler: csrf }, async (request, reply) => {
    const body = formOf(request);
    const values = Object.fromEntries(
      ['email', 'role', 'officeId', 'department', 'pointId'].map((k) => [k, keep(body[k])?.trim() ?? '']),
    );
    try {
      const role = values.role as RoleName;
      if (!isRoleName(role)) throw badRequest([{ field: 'role', key: 'admin.error.role' }]);
      const needsOffice = role === 'clerk' || role === 'office-admin';
      if (needsOffice && !values.officeId)
        throw badRequest([{ field: 'officeId', key: 'admin.error.office' }]);
      if (needsOffice)
        await services.getOffice(values.officeId!).catch(() => {
          throw badRequest([{ field: 'officeId', key: 'admin.error.office' }]);
        });
      if (role === 'confirmation-officer') {
        if (!values.pointId) throw badRequest([{ field: 'pointId', key: 'admin.error.point' }]);
        await services.getManagedPoint(values.pointId).catch(() => {
          throw badRequest([{ field: 'pointId', key: 'admin.error.point' }]);
        });
      }
      await services.grantRole({
        actorId: request.user!.accountId,
        email: values.email,
        role,
        officeId: needsOffice ? values.officeId! : null,
        department: role === 'clerk' && values.department ? values.department : null,
        pointId: role === 'confirmation-officer' ? values.pointId! : null,
      });
      return reply.redirect('/admin/role', 303);
    } catch (error) {
      const form = formErrors(error);
      if (!form) throw error;
      const roles = await services.listStaffRoles();
      return reply.page((ctx) => AdminRolesPage({ ctx, roles, errors: form.errors, values }), form.status);
    }
  });

  app.post<{ Params: { roleId: string } }>(
    '/admin/role/:roleId/usun',
    { config, preHandler: csrf },
    async (request, reply) => {
      await services.revokeRole({ actorId: request.user!.accountId, roleId: request.params.roleId });
      return reply.redirect('/admin/role', 303);
    },
  );

  app.get('/admin/profile', { config }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const number = typeof query.numer === 'string' ? query.numer.trim().toUpperCase().slice(0, 20) : '';
    const profile = number ? await services.getApplication(number).catch(() => undefined) : undefined;
    return reply.page((ctx) =>
      AdminProfilePage({ ctx, query: number, profile, revoked: query.komunikat === 'revoked' }),
    );
  });

  app.post<{ Params: { id: string } }>(
    '/admin/profile/:id/uniewaznij',
    { config, preHandler: csrf },
    async (request, reply) => {
      const id = request.params.id;
      try {
        await services.revokeProfile({ actor: request.user!, profileId: id, reason: formOf(request).reason });
        return reply.redirect(`/admin/profile?numer=${encodeURIComponent(id)}&komunikat=revoked`, 303);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        const profile = await services.getApplication(id);
        return reply.page(
          (ctx) => AdminProfilePage({ ctx, query: id, profile, errors: form.errors }),
          form.status,
        );
      }
    },
  );

  app.get('/admin/dziennik', { config }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const before =
      typeof query.before === 'string' && /^\d{1,12}$/.test(query.before) ? Number(query.before) : undefined;
    const action = typeof query.action === 'string' ? query.action.slice(0, 60) : '';
    const [page, check] = await Promise.all([
      services.listAudit({ ...(before ? { before } : {}), ...(action ? { action } : {}) }),
      services.verifyAuditChain(),
    ]);
    return reply.page((ctx) => AdminAuditPage({ ctx, page, check, action }));
  });

  // The start page of an office's staff; later areas (the office's box) hang their pages below it.
  app.get<{ Params: { officeId: string } }>(
    '/urzad/:officeId',
    { config: { access: { role: ['clerk', 'office-admin'], office: 'param:officeId' } } },
    async (request, reply) => {
      const office = await services.getOffice(request.params.officeId);
      const roles = request.user!.roles.filter((r) => r.officeId === office.id);
      return reply.page((ctx) =>
        OfficeStaffPage({
          ctx,
          office,
          roles: roles.map((r) => roleLabel(ctx, r)),
          isAdmin: roles.some((r) => r.role === 'office-admin'),
        }),
      );
    },
  );
}
