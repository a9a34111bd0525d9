import type { FastifyInstance } from 'fastify';
import { AppError, notFound, type FieldError } from '../../domain/errors';
import { parseTilePath, TilePathError } from '../../domain/tlog/tiles';
import type { MessageKey } from '../../i18n/index';
import type { Services } from '../../services/index';

/** The log cannot hold more entries than a PostgreSQL integer index allows. */
const MAX_COUNT = 2_147_483_647;

/** Reads non-negative integer query parameters, naming each bad one. */
function readCounts<const F extends string>(query: unknown, fields: readonly F[]): Record<F, number> {
  const values = {} as Record<F, number>;
  const errors: FieldError[] = [];
  const raw = (query ?? {}) as Record<string, unknown>;
  for (const field of fields) {
    const value = raw[field];
    if (value === undefined || value === '') {
      errors.push({ field, key: 'tlog.error.required', params: { field } });
    } else if (
      typeof value !== 'string' ||
      !/^(0|[1-9][0-9]{0,9})$/.test(value) ||
      Number(value) > MAX_COUNT
    ) {
      errors.push({ field, key: 'tlog.error.count', params: { field, max: MAX_COUNT } });
    } else {
      values[field] = Number(value);
    }
  }
  if (errors.length > 0)
    throw new AppError({
      code: 'bad_proof_request',
      status: 400,
      key: 'tlog.error.proofRequest',
      fieldErrors: errors,
    });
  return values;
}

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
  app.get('/api/v1/log/checkpoint', { config: { access: 'public' } }, async (_request, reply) => {
    const note = await services.latestCheckpoint();
    if (!note) throw new AppError({ code: 'no_checkpoint', status: 503, key: 'tlog.error.noCheckpoint' });
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(note);
  });

  app.get('/api/v1/log/key', { config: { access: 'public' } }, async (_request, reply) => {
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(`${services.logVerifierKey()}\n`);
  });

  app.get('/api/v1/log/proof/inclusion', { config: { access: 'public' } }, async (request, reply) => {
    const { index, size } = readCounts(request.query, ['index', 'size']);
    const proof = await services.inclusionProof(index, size);
    return reply
      .header('cache-control', IMMUTABLE)
      .send({ index: proof.index, size: proof.size, hashes: proof.hashes.map((h) => h.toString('base64')) });
  });

  app.get('/api/v1/log/proof/consistency', { config: { access: 'public' } }, async (request, reply) => {
    const { from, to } = readCounts(request.query, ['from', 'to']);
    const proof = await services.consistencyProof(from, to);
    return reply
      .header('cache-control', IMMUTABLE)
      .send({ from: proof.from, to: proof.to, hashes: proof.hashes.map((h) => h.toString('base64')) });
  });

  // C2SP tlog-tiles under the same prefix, for static mirrors and tile-based clients.
  app.get('/api/v1/log/tile/*', { config: { access: 'public' } }, async (request, reply) => {
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
  });
}
