import type { FastifyInstance } from 'fastify';
import { API, type BodyOf } from '../api-contract';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { tokenOf } from '../api-auth';

/** Seconds an office system is asked to wait when the queue is empty. */
export const EMPTY_QUEUE_RETRY_AFTER = 5;

export function registerApiPullRoutes(
  app: FastifyInstance,
  services: Services,
  options: { leaseMs: number },
): void {
  const pull = { token: ['pull' as const] };
  const pullOwnBox = { token: ['pull' as const], office: 'param:officeId' as const };

  app.get<{ Params: { officeId: string; boxName: string } }>(
    '/api/v1/boxes/:officeId/:boxName/pending',
    { config: { access: pullOwnBox, contract: API.countPending } },
    async (request, reply) => {
      const count = await services.countPending(request.params.officeId, request.params.boxName);
      return reply.header('cache-control', 'no-store').send({ count });
    },
  );

  app.post<{ Params: { officeId: string; boxName: string } }>(
    '/api/v1/boxes/:officeId/:boxName/pending/next',
    { config: { access: pullOwnBox, contract: API.pullNext } },
    async (request, reply) => {
      const token = tokenOf(request);
      const next = await services.leaseNext({
        token,
        boxName: request.params.boxName,
        leaseMs: options.leaseMs,
      });
      if (!next) return reply.status(204).header('retry-after', String(EMPTY_QUEUE_RETRY_AFTER)).send();
      return reply.header('cache-control', 'no-store').send({
        ...next,
        files: next.files.map((f) => ({
          ...f,
          href: `/api/v1/documents/${next.documentId}/files/${f.position}`,
        })),
      });
    },
  );

  app.post<{ Params: { documentId: string }; Body: BodyOf<typeof API.acknowledgeDocument> }>(
    '/api/v1/documents/:documentId/ack',
    { config: { access: pull, contract: API.acknowledgeDocument } },
    async (request, reply) => {
      await services.acknowledge({
        token: tokenOf(request),
        documentId: request.params.documentId,
        sha256: request.body.sha256,
      });
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { documentId: string; position: string } }>(
    '/api/v1/documents/:documentId/files/:position',
    { config: { access: { token: ['pull', 'submit'] }, contract: API.getDocumentFile } },
    async (request, reply) => {
      const document = await services.getDocument(
        { kind: 'token', token: tokenOf(request) },
        request.params.documentId,
      );
      const file = document.files.find((f) => String(f.position) === request.params.position);
      if (!file)
        throw new AppError({
          code: 'not_found',
          status: 404,
          key: 'filing.error.documentNotFound',
          params: { id: request.params.documentId },
        });
      const stream = await services.readBlob(file.sha256);
      // Files from senders are never rendered by a browser in our origin.
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-length', String(file.size))
        .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
        .send(stream);
    },
  );
}
