import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

/**
 * The build (`npm run build`, run by `npm install` through `prepare`): TypeScript compiled to
 * `dist/` with declarations, and the stylesheet and govuk-frontend's script into
 * `public/build/`. `npm start` and every worker then run plain JavaScript; tsx, sass and tsc
 * are needed only here, in the tests and in development.
 * `tsx scripts/build.ts assets` builds the assets alone.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function buildAssets(): void {
  const out = path.join(root, 'public/build');
  fs.mkdirSync(out, { recursive: true });
  const result = sass.compile(path.join(root, 'src/views/styles/app.scss'), {
    style: 'compressed',
    importers: [new sass.NodePackageImporter()],
    silenceDeprecations: ['import'],
    quietDeps: true,
  });
  const css = path.join(out, 'app.css');
  fs.writeFileSync(`${css}.tmp`, result.css);
  fs.renameSync(`${css}.tmp`, css);
  const govukJs = path.join(
    path.dirname(require.resolve('govuk-frontend/package.json')),
    'dist/govuk/govuk-frontend.min.js',
  );
  fs.copyFileSync(govukJs, path.join(out, 'govuk-frontend.mjs'));
}

// The sources import relative modules without an extension (resolved by tsx and the bundler
// resolution of tsc); Node's ES module loader needs the file's full name, so the compiled
// specifiers get `.js` or `/index.js`, whichever exists.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

function withExtension(file: string, specifier: string): string {
  if (/\.(js|mjs|cjs|json)$/.test(specifier)) return specifier;
  const base = path.resolve(path.dirname(file), specifier);
  if (fs.existsSync(`${base}.js`)) return `${specifier}.js`;
  if (fs.existsSync(path.join(base, 'index.js'))) return `${specifier}/index.js`;
  throw new Error(`${path.relative(root, file)}: cannot resolve ${specifier}`);
}

function addExtensions(dir: string): number {
  let changed = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      changed += addExtensions(file);
    } else if (entry.name.endsWith('.js') || entry.name.endsWith('.d.ts')) {
      const text = fs.readFileSync(file, 'utf8');
      const fixed = text.replace(
        SPECIFIER,
        (_all, lead: string, quote: string, spec: string) =>
          `${lead}${quote}${withExtension(file, spec)}${quote}`,
      );
      if (fixed !== text) {
        fs.writeFileSync(file, fixed);
        changed++;
      }
    }
  }
  return changed;
}

function buildCode(): void {
  const dist = path.join(root, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const files = addExtensions(dist);
  console.log(`build: dist/ (${files} files with relative imports)`);
}

buildAssets();
console.log('build: public/build/');
if (process.argv[2] !== 'assets') buildCode();
