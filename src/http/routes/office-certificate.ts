import type { FastifyInstance } from 'fastify';
import { API } from '../api-contract';
import type { Services } from '../../services/index';

/** The office's seal chain, so anyone can verify its receipts with their own tools. */
export function registerOfficeCertificateRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { officeId: string } }>(
    '/api/v1/offices/:officeId/certificate',
    { config: { access: 'public', contract: API.getOfficeCertificate } },
    async (request, reply) => {
      const chain = await services.getOfficeCertificateChain(request.params.officeId);
      return reply
        .type('application/x-pem-file')
        .header('content-disposition', `inline; filename="${request.params.officeId}.chain.pem"`)
        .header('cache-control', 'public, max-age=3600')
        .send(chain);
    },
  );
}
