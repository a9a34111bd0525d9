import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API, filingFields, filingRefusal, type QueryOf } from '../api-contract';
import { refusal } from '../request-validation';
import { AppError } from '../../domain/errors';
import type { Services } from '../../services/index';
import { tokenOf } from '../api-auth';
import { receiveFiling } from '../receive-filing';
import { sendReceipt } from '../receipt-download';

const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

export function registerApiFilingRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { officeId: string; boxName: string } }>(
    '/api/v1/boxes/:officeId/:boxName/documents',
    { config: { access: { token: ['submit'], office: 'param:officeId' }, contract: API.fileDocument } },
    async (
      request: FastifyRequest<{ Params: { officeId: string; boxName: string } }>,
      reply: FastifyReply,
    ) => {
      const { officeId, boxName } = request.params;
      const token = tokenOf(request);
      if (!SAFE_ID.test(officeId) || !SAFE_ID.test(boxName))
        throw new AppError({
          code: 'not_found',
          status: 404,
          key: 'filing.error.unknownBox',
          params: { box: `/${officeId}/${boxName}` },
        });
      if (!request.isMultipart())
        throw new AppError({ code: 'unsupported_media_type', status: 415, key: 'filing.error.notMultipart' });
      // Checked by the idempotency hook; the filing also binds it to the document it creates.
      const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
      const office = await services.getOffice(officeId);
      if (!office.boxes.some((b) => b.name === boxName))
        throw new AppError({
          code: 'not_found',
          status: 404,
          key: 'filing.error.unknownBox',
          params: { box: `/${officeId}/${boxName}` },
        });

      reply.header('connection', 'close'); // dropped again below once the whole body was read
      const { files, fields } = await receiveFiling(request, services, office.policy.maxSizeBytes);
      reply.removeHeader('connection');
      const parsed = filingFields.safeParse(fields);
      if (!parsed.success) {
        await Promise.all(files.map((f) => f.staged.discard()));
        throw refusal(parsed.error, filingRefusal);
      }
      const result = await services.submitDocument({
        officeId,
        boxName,
        sender: { type: 'token', ref: token.tokenId, name: token.name },
        files,
        title: parsed.data.title,
        kind: parsed.data.kind,
        idempotencyKey,
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .status(201)
        .header('location', `/api/v1/documents/${result.documentId}`)
        .send({ documentId: result.documentId, receiptId: result.receiptId, receivedAt: result.receivedAt });
    },
  );

  app.get<{ Params: { documentId: string } }>(
    '/api/v1/documents/:documentId',
    { config: { access: { token: ['submit', 'pull'] }, contract: API.getDocument } },
    async (request, reply) => {
      const document = await services.getDocument(
        { kind: 'token', token: tokenOf(request) },
        request.params.documentId,
      );
      return reply.header('cache-control', 'no-store').send(document);
    },
  );

  app.get<{ Params: { receiptId: string }; Querystring: QueryOf<typeof API.getReceipt> }>(
    '/api/v1/receipts/:receiptId',
    { config: { access: { token: ['submit', 'pull', 'deliver'] }, contract: API.getReceipt } },
    async (request, reply) => {
      const receipt = await services.getReceipt(
        { kind: 'token', token: tokenOf(request) },
        request.params.receiptId,
      );
      return sendReceipt(reply, services, receipt, request.query.format);
    },
  );
}
