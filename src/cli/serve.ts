import cluster, { type Worker } from 'node:cluster';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { createApp, prepareInstallation } from '../app';
import { createLogger } from '../adapters/logger';
import type { Config } from '../config';

/** A worker that exits this soon after it started counts as failing quickly: its restart waits longer. */
const QUICK_EXIT_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 30_000;
/** Workers that exit this many times in a row before listening mean the server cannot start. */
const STARTUP_FAILURES_TO_GIVE_UP = 3;

/**
 * `serve`: one process, or with WORKERS > 1 a node:cluster primary that prepares the
 * installation once and forks the workers, which share the port (see docs/scaling.md).
 */
export async function serve(config: Config): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return servePrimary(config);
  return serveOne(config);
}

function shownUrl(config: Config, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${port}`;
}

/** One server process: the whole app (a cluster worker leaves migrations to the primary). */
async function serveOne(config: Config): Promise<void> {
  const app = await createApp({ config, ...(cluster.isWorker ? { migrate: false } : {}) });
  logCrashes(app.logger);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // /readyz turns 503 first, so that balancers stop sending requests while the server still
    // serves them; then stop accepting connections, finish those in flight, close the database.
    app.drain();
    app.logger.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down: draining');
    await delay(config.shutdownDrainMs);
    await app.close();
    // Receipts per durable commit since the start: how much group commit gathered on this node.
    app.logger.info({ groupCommit: app.services.groupCommitStats() }, 'shut down');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.http.listen({ port: config.port, host: config.host });
  if (cluster.isWorker) {
    // The primary prints the address once all workers listen.
    app.logger.info({ worker: cluster.worker?.id }, 'worker listening');
    process.send?.({ ready: true });
    return;
  }
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Urząd OnLine: ${shownUrl(config, port)} (${app.database.dialect}, data in ${config.dataDir})`);
}

/**
 * The cluster primary serves nothing itself: it applies migrations and creates keys once,
 * forks the workers, restarts one that dies (waiting longer after each quick failure), and on
 * SIGTERM or SIGINT passes SIGTERM on and exits when every worker has exited.
 */
async function servePrimary(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, undefined, { node: config.nodeId });
  logCrashes(logger);
  await prepareInstallation(config);
  const startedAt = new Map<number, number>();
  const listened = new Set<number>();
  const restarts = new Set<NodeJS.Timeout>();
  let quickExits = 0;
  let startupFailures = 0;
  let announced = false;
  let stopping = false;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    logger.info({ worker: worker.id, workerPid: worker.process.pid }, 'worker started');
  };
  const living = (): Worker[] =>
    Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  const stop = (signal: string, failure = false) => {
    failed ||= failure;
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down the workers');
    for (const timer of restarts) clearTimeout(timer);
    const workers = living();
    if (workers.length === 0) process.exit(failed ? 1 : 0);
    for (const worker of workers) worker.process.kill('SIGTERM');
  };

  let port = config.port;
  cluster.on('listening', (_worker, address) => (port = address.port));
  // A worker is ready when its app has finished listening (it says so), not at the
  // cluster's 'listening' event, which comes earlier.
  cluster.on('message', (worker, message: unknown) => {
    if (!(message && typeof message === 'object' && 'ready' in message)) return;
    listened.add(worker.id);
    startupFailures = 0;
    if (!announced && listened.size >= config.workers) {
      announced = true;
      const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
      console.log(
        `Urząd OnLine: ${shownUrl(config, port)} (${dialect}, data in ${config.dataDir}, ${config.workers} workers)`,
      );
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    // Node keeps handing connections to a worker until its IPC channel has closed, which may
    // come after 'exit'; the restart (and its log line) waits until the primary has let go of it.
    if (worker.isConnected()) worker.once('disconnect', () => workerGone(worker, code, signal));
    else workerGone(worker, code, signal);
  });

  const workerGone = (worker: Worker, code: number | null, signal: string | null) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    const wasListening = listened.delete(worker.id);
    startedAt.delete(worker.id);
    if (stopping) {
      if (living().length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    if (!wasListening && ++startupFailures >= STARTUP_FAILURES_TO_GIVE_UP) {
      logger.error({ worker: worker.id, code, signal }, 'workers keep failing before they listen; stopping');
      stop('startup failure', true);
      return;
    }
    quickExits = lived < QUICK_EXIT_MS ? quickExits + 1 : 0;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** quickExits);
    logger.warn(
      { worker: worker.id, workerPid: worker.process.pid, code, signal, delayMs },
      'worker exited; restarting it',
    );
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork();
    }, delayMs);
    restarts.add(timer);
  };

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < config.workers; i++) fork();
}

/** A crash is one JSON line (with the error's stack inside it), then the process exits. */
function logCrashes(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'crashed: uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'crashed: unhandled promise rejection');
    process.exit(1);
  });
}
