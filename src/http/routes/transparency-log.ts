import type { FastifyInstance } from 'fastify';
import { API, type QueryOf } from '../api-contract';
import { AppError, notFound } from '../../domain/errors';
import { parseTilePath, TilePathError } from '../../domain/tlog/tiles';
import type { MessageKey } from '../../i18n/index';
import type { Services } from '../../services/index';

const TILE_RULES = {
  level: 'tlog.error.tile.level',
  width: 'tlog.error.tile.width',
  index: 'tlog.error.tile.index',
  canonical: 'tlog.error.tile.canonical',
} as const satisfies Record<TilePathError['rule'], MessageKey>;

// Proofs between fixed sizes never change.
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The public transparency log: signed checkpoints (C2SP tlog-checkpoint), RFC 9162 proofs
 * with base64 hashes, and the log's verifier key (C2SP signed-note).
 */
export function registerTransparencyLogRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/api/v1/log/checkpoint',
    { config: { access: 'public', contract: API.getLogCheckpoint } },
    async (_request, reply) => {
      const note = await services.latestCheckpoint();
      if (!note) throw new AppError({ code: 'no_checkpoint', status: 503, key: 'tlog.error.noCheckpoint' });
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(note);
    },
  );

  app.get(
    '/api/v1/log/key',
    { config: { access: 'public', contract: API.getLogKey } },
    async (_request, reply) => {
      return reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(`${services.logVerifierKey()}\n`);
    },
  );

  app.get<{ Querystring: QueryOf<typeof API.getInclusionProof> }>(
    '/api/v1/log/proof/inclusion',
    { config: { access: 'public', contract: API.getInclusionProof } },
    async (request, reply) => {
      const { index, size } = request.query;
      const proof = await services.inclusionProof(index, size);
      return reply.header('cache-control', IMMUTABLE).send({
        index: proof.index,
        size: proof.size,
        hashes: proof.hashes.map((h) => h.toString('base64')),
      });
    },
  );

  app.get<{ Querystring: QueryOf<typeof API.getConsistencyProof> }>(
    '/api/v1/log/proof/consistency',
    { config: { access: 'public', contract: API.getConsistencyProof } },
    async (request, reply) => {
      const { from, to } = request.query;
      const proof = await services.consistencyProof(from, to);
      return reply
        .header('cache-control', IMMUTABLE)
        .send({ from: proof.from, to: proof.to, hashes: proof.hashes.map((h) => h.toString('base64')) });
    },
  );

  // C2SP tlog-tiles under the same prefix, for static mirrors and tile-based clients.
  app.get(
    '/api/v1/log/tile/*',
    { config: { access: 'public', contract: API.getLogTile } },
    async (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      let tile;
      try {
        tile = parseTilePath(path);
      } catch (error) {
        if (!(error instanceof TilePathError)) throw error;
        throw new AppError({ code: 'bad_tile_path', status: 400, key: TILE_RULES[error.rule] });
      }
      const body = await services.logTile(tile);
      if (!body) throw notFound('tlog.error.tileMissing');
      return reply.type('application/octet-stream').header('cache-control', IMMUTABLE).send(body);
    },
  );
}
