import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PUBLIC_DIR = path.join(root, 'public');
const BUILD_DIR = path.join(PUBLIC_DIR, 'build');
const require = createRequire(import.meta.url);

/**
 * Compiles the stylesheet and copies govuk-frontend's script into public/build.
 * Runs at `npm install`; the server calls it too so a missing build never breaks a page.
 */
export function buildAssets(options: { force?: boolean } = {}): string {
  const css = path.join(BUILD_DIR, 'app.css');
  const scss = path.join(root, 'src/views/styles/app.scss');
  const fresh = fs.existsSync(css) && fs.statSync(css).mtimeMs >= fs.statSync(scss).mtimeMs;
  if (fresh && !options.force) return BUILD_DIR;
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  // The compiler is large: loaded only when the stylesheet must be built, never by a running server otherwise.
  const sass = require('sass') as typeof Sass;
  const result = sass.compile(scss, {
    style: 'compressed',
    importers: [new sass.NodePackageImporter()],
    silenceDeprecations: ['import'],
    quietDeps: true,
  });
  fs.writeFileSync(`${css}.tmp`, result.css);
  fs.renameSync(`${css}.tmp`, css);
  const govukJs = path.join(
    path.dirname(require.resolve('govuk-frontend/package.json')),
    'dist/govuk/govuk-frontend.min.js',
  );
  fs.copyFileSync(govukJs, path.join(BUILD_DIR, 'govuk-frontend.mjs'));
  return BUILD_DIR;
}
