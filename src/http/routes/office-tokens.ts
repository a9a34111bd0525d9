import type { FastifyInstance } from 'fastify';
import { notFound } from '../../domain/errors';
import type { Services } from '../../services/index';
import { ApiTokensPage, type TokenFormValues } from '../../views/pages/api-token-pages';
import { formErrors, formOf, keep } from '../forms';

/** The office admin's API tokens under /urzad/{officeId}/tokeny: list, create (secret shown once), revoke by id. */
export function registerOfficeTokenRoutes(app: FastifyInstance, { services }: { services: Services }): void {
  const config = { access: { role: 'office-admin' as const, office: 'param:officeId' as const } };
  const empty: TokenFormValues = { name: '', scope: '', expires: '' };

  const render = async (
    officeId: string,
    extra: { values: TokenFormValues } & Partial<Parameters<typeof ApiTokensPage>[0]>,
  ) => {
    const office = await services.getOffice(officeId);
    const tokens = await services.listIntegrationTokens(office.id);
    // The installation's clock, as the token check uses: 'expired' here means refused there.
    const now = services.now();
    return (ctx: Parameters<typeof ApiTokensPage>[0]['ctx']) =>
      ApiTokensPage({ ctx, officeId: office.id, officeName: office.name, tokens, now, ...extra });
  };

  app.get<{ Params: { officeId: string }; Querystring: { uniewazniono?: string } }>(
    '/urzad/:officeId/tokeny',
    { config },
    async (request, reply) => {
      const { officeId } = request.params;
      const revokedId = request.query.uniewazniono;
      const revoked =
        typeof revokedId === 'string'
          ? (await services.listIntegrationTokens(officeId)).find((t) => t.id === revokedId && t.revokedAt)
          : undefined;
      return reply.page(await render(officeId, { values: empty, revoked: revoked?.name }));
    },
  );

  app.post<{ Params: { officeId: string } }>(
    '/urzad/:officeId/tokeny',
    { config, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { officeId } = request.params;
      const body = formOf(request);
      const values: TokenFormValues = {
        name: keep(body.name) ?? '',
        scope: keep(body.scope) ?? '',
        expires: (keep(body.expires) ?? '').trim(),
      };
      try {
        const created = await services.createIntegrationToken({
          officeId,
          scope: values.scope,
          name: values.name,
          // A day: the token works through it, Polish time.
          expiresOn: values.expires || undefined,
          actorId: request.user!.accountId,
        });
        // The secret is on this page only: never cached, never shown again.
        reply.header('cache-control', 'no-store');
        return reply.page(await render(officeId, { values: empty, created }), 201);
      } catch (error) {
        const form = formErrors(error);
        if (!form) throw error;
        return reply.page(await render(officeId, { values, errors: form.errors }), form.status);
      }
    },
  );

  app.post<{ Params: { officeId: string; tokenId: string } }>(
    '/urzad/:officeId/tokeny/:tokenId/uniewaznij',
    { config, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { officeId, tokenId } = request.params;
      // Only a token of this office: another office's token id is "not found" here.
      const done = await services.revokeIntegrationToken(tokenId, {
        officeId,
        actorId: request.user!.accountId,
      });
      if (!done) throw notFound('tokens.error.notFound');
      return reply.redirect(`/urzad/${officeId}/tokeny?uniewazniono=${encodeURIComponent(tokenId)}`, 303);
    },
  );
}
