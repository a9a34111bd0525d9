import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { CLIENT_TYPES_FILE, renderClientTypes } from './client-types';

/**
 * `npm run openapi`: writes docs/openapi.json, the document the app serves at
 * /api/openapi.json, for client generators and reviews. It is asked of the app itself (a
 * throw-away installation with the default settings), so it cannot say anything the app
 * does not; test/http/openapi.test.ts fails when the file is out of date. The client's types
 * (src/client/api-types.ts) are generated from it here too.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OPENAPI_FILE = path.join(root, 'docs/openapi.json');

/** The settings the document is made with: the defaults, and the test suite's address. */
const OPENAPI_SETTINGS = { PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent', JOBS_POLL_MS: '0' };

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-openapi-'));
  try {
    const app = await createApp({ config: loadConfig({ DATA_DIR: dataDir, ...OPENAPI_SETTINGS }) });
    try {
      const res = await app.http.inject({ url: '/api/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${res.statusCode}`);
      const text = await prettier.format(JSON.stringify(res.json()), {
        ...(await prettier.resolveConfig(OPENAPI_FILE)),
        filepath: OPENAPI_FILE,
      });
      fs.writeFileSync(`${OPENAPI_FILE}.tmp`, text);
      fs.renameSync(`${OPENAPI_FILE}.tmp`, OPENAPI_FILE);
      console.log(`openapi: ${path.relative(root, OPENAPI_FILE)}`);
      const typesFile = path.join(root, CLIENT_TYPES_FILE);
      fs.writeFileSync(`${typesFile}.tmp`, await renderClientTypes(res.json() as object, typesFile));
      fs.renameSync(`${typesFile}.tmp`, typesFile);
      console.log(`openapi: ${CLIENT_TYPES_FILE}`);
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
