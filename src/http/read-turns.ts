import type { FastifyInstance } from 'fastify';

/**
 * Reads take turns: at most one read request starts its work per turn of the event loop.
 *
 * A page or a list is answered synchronously once its handler starts (the queries and the
 * rendering take one stretch of the event loop), and a filing passes through the event loop
 * a dozen times (its upload, file writes and fsyncs, the batch's commit). Without turns, every
 * read whose request arrived in the same poll runs before the filing's next step, so under a
 * crowd of clerks refreshing their boxes a resident's filing waits behind all of them at each
 * step. With turns, the reads wait in a queue and one starts per turn (in the loop's check
 * phase), while the I/O completions of the writes in flight are handled in every turn's poll
 * phase. Reads are not slowed by it on an idle node (a turn is microseconds) and never
 * starve: every turn starts one.
 */
export function createReadTurns(): { turn(): Promise<void>; readonly waiting: number } {
  const queue: Array<() => void> = [];
  let armed = false;

  const arm = () => {
    if (armed) return;
    armed = true;
    setImmediate(release);
  };
  function release() {
    armed = false;
    const next = queue.shift();
    if (queue.length > 0) arm();
    next?.();
  }

  return {
    turn() {
      return new Promise<void>((resolve) => {
        queue.push(resolve);
        arm();
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** GET and HEAD requests, but for the static assets (served from memory, no work to queue). */
export function registerReadTurns(app: FastifyInstance): void {
  const turns = createReadTurns();
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    if (request.url.startsWith('/assets/')) return;
    await turns.turn();
  });
}
