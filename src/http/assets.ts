import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The same depth under src/ and dist/, so the root is found from either.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PUBLIC_DIR = path.join(root, 'public');

/**
 * The stylesheet and scripts are built by `npm run build` (run by `npm install`), never by a
 * running server: the Sass compiler is a development tool.
 */
export function assertAssetsBuilt(): void {
  const css = path.join(PUBLIC_DIR, 'build/app.css');
  if (!fs.existsSync(css)) {
    throw new Error(
      `Brak zbudowanego arkusza stylów ${css}: uruchom \`npm run build\`. / ` +
        `The stylesheet ${css} has not been built: run \`npm run build\`.`,
    );
  }
}
