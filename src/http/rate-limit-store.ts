import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import type { CountedHit } from '../services/rate-limit-counters';

type CountHit = (key: string, windowMs: number) => Promise<CountedHit>;

/**
 * A store for @fastify/rate-limit that counts in the shared database, so every node (and
 * every worker) draws on one budget per client. Each route's limit counts apart, as with the
 * plugin's in-memory store: the store's child for a route names its counters by method and URL.
 */
export function sharedRateLimitStore(countHit: CountHit): FastifyRateLimitStoreCtor {
  class SharedRateLimitStore implements FastifyRateLimitStore {
    private readonly name: string;

    constructor(_options: FastifyRateLimitOptions, name = 'global') {
      this.name = name;
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      countHit(`${this.name} ${key}`, timeWindow).then(
        (hit) => callback(null, { current: hit.hits, ttl: hit.ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route's merged limit options, the route under `routeInfo`;
      // limiters made with createRateLimit (the API's per-token limit) have no route.
      const { routeInfo } = options as { routeInfo?: { method?: string | string[]; url?: string } };
      const route = routeInfo?.url ? `${String(routeInfo.method)} ${routeInfo.url}` : 'limiter';
      return new SharedRateLimitStore({}, route);
    }
  }
  return SharedRateLimitStore;
}
