import { createApp, type App } from '../../src/app';
import { registerTestApp } from './staff-second-factor';
import type { Clock } from '../../src/ports/clock';
import { listenLocally } from './app';
import { testEnvironment, type TestEnvironment } from './databases';

/**
 * Several nodes of one installation, as in production: one PostgreSQL schema and one blob
 * location. Blobs: the nodes share one DATA_DIR (the filesystem store, the generated keys and
 * the cookie secret); pass the S3 settings in `env` to keep blobs in a bucket instead.
 */
export interface TestNode {
  app: App;
  /** http://127.0.0.1:<port> */
  url: string;
}

export interface TestNodes {
  nodes: TestNode[];
  env: TestEnvironment;
  /**
   * Settings for a further node as a `serve` child process on the same schema and blobs
   * (the schema rides in DATABASE_URL as a search_path option).
   */
  serveEnv(): Record<string, string>;
  /** Closes every node and removes the schema and the data directory. */
  dispose(): Promise<void>;
}

export async function startNodes(
  count: number,
  options: { env?: Record<string, string>; clock?: Clock; demo?: boolean } = {},
): Promise<TestNodes> {
  const env = await testEnvironment('postgres', options.env);
  const nodes: TestNode[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const app = await createApp({
        config: env.config,
        pgSchema: env.pgSchema!,
        ...(options.clock ? { clock: options.clock } : {}),
      });
      const url = await listenLocally(app);
      registerTestApp(app, url);
      nodes.push({ app, url });
    }
    if (options.demo) await nodes[0]!.app.services.createDemoData({ password: 'demo-password-123' });
  } catch (error) {
    for (const node of nodes) await node.app.close();
    await env.cleanup();
    throw error;
  }
  return {
    nodes,
    env,
    serveEnv() {
      const url = new URL(env.config.databaseUrl!);
      url.searchParams.set('options', `-c search_path=${env.pgSchema!}`);
      return {
        ...options.env,
        DATABASE_URL: url.toString(),
        DATA_DIR: env.config.dataDir,
        PUBLIC_URL: env.config.publicUrl,
      };
    },
    async dispose() {
      for (const node of nodes) await node.app.close();
      await env.cleanup();
    },
  };
}
