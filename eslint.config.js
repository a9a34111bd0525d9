import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Storage drivers: reached only by adapters (and services through the query builder). */
const STORAGE = ['kysely', 'pg', 'better-sqlite3', '@aws-sdk/*'];

/** Forbids a folder of src/ to import the named folders of src/ and the named packages. */
function layer(files, folders, packages, options = {}) {
  const except = (options.except ?? []).map((path) => `!**/${path}`);
  const patterns = [
    ...folders
      .filter((folder) => !(options.typesFrom ?? []).includes(folder))
      .map((folder) => ({
        // A folder excluded as a whole cannot have files re-included (gitignore rules).
        group: except.length > 0 ? [`**/${folder}/**`, ...except] : [`**/${folder}`, `**/${folder}/**`],
        message: `${files} may not import src/${folder} (layers: docs/architecture.md).`,
      })),
    ...(options.typesFrom ?? []).map((folder) => ({
      group: [`**/${folder}`, `**/${folder}/**`],
      allowTypeImports: true,
      message: `${files} may import only types from src/${folder} (layers: docs/architecture.md).`,
    })),
    ...packages.map((name) => ({
      group: [name],
      message: `${files} reaches storage only through the services (docs/architecture.md).`,
    })),
  ];
  return [{ files: [files], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } }];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'public/build/', 'coverage/', '**/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['public/**/*.js'],
    languageOptions: {
      globals: { document: 'readonly', window: 'readonly', FormData: 'readonly', fetch: 'readonly' },
    },
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // One reader for XML from outside (docs/validation.md): no second parser with its own hardening.
  {
    files: ['src/**'],
    ignores: ['src/domain/xml/read-untrusted.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='DOMParser']",
          message: 'Read XML with readUntrustedXml (src/domain/xml/read-untrusted.ts).',
        },
      ],
    },
  },
  // The layers (docs/architecture.md): http and cli → services → domain; services see adapters
  // only through src/ports; app.ts is the one place that wires adapters to services.
  ...layer('src/domain/**', ['adapters', 'services', 'http', 'cli', 'views', 'ports', 'app'], STORAGE),
  ...layer(
    'src/ports/**',
    ['adapters', 'services', 'http', 'cli', 'views', 'app'],
    ['pg', 'better-sqlite3', '@aws-sdk/*'],
  ),
  ...layer(
    'src/services/**',
    ['adapters', 'http', 'cli', 'views', 'app'],
    ['pg', 'better-sqlite3', '@aws-sdk/*'],
  ),
  ...layer('src/views/**', ['adapters', 'http', 'cli', 'app'], STORAGE),
  // The login.gov.pl simulator stands in for an outside system on development installs and
  // serves its own pages through our HTTP app; it is never on the path of a real login.
  ...layer('src/http/**', ['adapters', 'cli', 'app'], STORAGE, {
    typesFrom: ['ports'],
    except: ['adapters/login-gov-pl', 'adapters/login-gov-pl/simulator', 'adapters/login-gov-pl/index'],
  }),
  ...layer('src/client/**', ['adapters', 'services', 'http', 'cli', 'views', 'ports', 'app'], STORAGE),
  // Backup and restore copy the whole data directory, below the services (a restore runs with
  // no server and no database open); so does updating the trusted lists (files checked offline);
  // the logger is the process's own.
  ...layer('src/cli/**', ['adapters', 'http'], STORAGE, {
    except: ['adapters/logger', 'adapters/embedded-backup', 'adapters/trust-store'],
  }),
);
