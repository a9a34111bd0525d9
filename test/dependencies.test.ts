import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

// What the product imports must be declared where an installation gets it: a package that
// src/ imports is a runtime dependency (not a development one, which `npm install --omit=dev`
// leaves out), and every package imported anywhere is declared.
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(file);
    return /\.(tsx?|js|mjs)$/.test(entry.name) ? [file] : [];
  });
}

/** Package names a file imports (by `import`, `export … from`, `import()` or `require`). */
function packagesOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => !name.startsWith('.') && !name.startsWith('node:') && !builtinModules.includes(name))
    .map((name) =>
      name
        .split('/')
        .slice(0, name.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

test('every package src/ imports is a runtime dependency', () => {
  const undeclared = files('src').flatMap((file) =>
    packagesOf(file)
      .filter((name) => !(name in pkg.dependencies))
      .map((name) => `${file}: ${name}`),
  );
  assert.deepEqual(undeclared, []);
});

test('every package the tests, scripts and benchmarks import is declared', () => {
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  const undeclared = ['test', 'e2e', 'scripts', 'bench'].flatMap((dir) =>
    files(dir).flatMap((file) =>
      packagesOf(file)
        .filter((name) => !(name in declared))
        .map((name) => `${file}: ${name}`),
    ),
  );
  assert.deepEqual(undeclared, []);
});
