import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  blobPath,
  isBackupPath,
  BackupManifestError,
  parseManifest,
  type BackupManifest,
} from '../../src/domain/backup-manifest';

const SHA = 'ab'.repeat(32);

function manifest(overrides: Partial<BackupManifest> = {}): BackupManifest {
  return {
    format: 'urzad-online-backup',
    version: 1,
    createdAt: '2026-11-26T18:00:00.000Z',
    database: {
      engine: 'sqlite',
      file: 'urzad.sqlite',
      documents: 1,
      receipts: 1,
      logSize: 1,
      blobs: 1,
      checkpoint: null,
    },
    seals: 'included',
    files: [
      { path: 'urzad.sqlite', size: 4096, sha256: SHA },
      { path: blobPath(SHA), size: 10, sha256: SHA },
      { path: 'keys/offices/umczestochowa.pem', size: 10, sha256: SHA },
    ],
    ...overrides,
  };
}

describe('backup manifest', () => {
  test('only the database, blobs under their own digest, and files in keys/ and secrets/ are backup paths', () => {
    for (const ok of [
      'urzad.sqlite',
      `blobs/ab/ab/${SHA}`,
      'keys/ca.pem',
      'keys/offices/umczestochowa.pem',
      'secrets/cookie-secret',
    ])
      assert.ok(isBackupPath(ok), ok);
    for (const bad of [
      '../urzad.sqlite',
      '/etc/passwd',
      'urzad.sqlite-wal',
      `blobs/aa/ab/${SHA}`,
      `blobs/ab/ab/${SHA}/x`,
      'blobs/ab/ab/ABAB',
      'keys/../secrets/x',
      'keys/.hidden',
      'keys/ca.pem.1234.abcd.tmp',
      'keys',
      'keys/',
      'keys/a/b/c/d',
      'mail/x.eml',
      'secrets/a\\b',
      '',
    ]) {
      assert.equal(isBackupPath(bad), false, bad);
    }
  });

  test('a manifest is accepted as written, and refused with the reason when anything is off', () => {
    assert.deepEqual(parseManifest(JSON.stringify(manifest())), manifest());
    const refusals: [string, RegExp][] = [
      ['{', /not JSON/],
      ['[]', /"format"/],
      [JSON.stringify({ ...manifest(), version: 2 }), /"version" 2 is not supported/],
      [JSON.stringify(manifest({ seals: 'elsewhere' as never })), /"seals"/],
      [
        JSON.stringify(manifest({ database: { ...manifest().database, receipts: -1 } })),
        /"database\.receipts" is not a count/,
      ],
      [
        JSON.stringify(manifest({ files: [...manifest().files, { path: '../../x', size: 1, sha256: SHA }] })),
        /never holds: "\.\.\/\.\.\/x"/,
      ],
      [
        JSON.stringify(
          manifest({ files: [...manifest().files, { path: 'keys/ca.pem', size: 1, sha256: 'XYZ' }] }),
        ),
        /SHA-256 of keys\/ca\.pem/,
      ],
      [
        JSON.stringify(manifest({ files: [...manifest().files, manifest().files[1]!] })),
        /lists blobs\/.* twice/,
      ],
      [JSON.stringify(manifest({ files: manifest().files.slice(1) })), /does not list urzad\.sqlite/],
    ];
    for (const [text, reason] of refusals)
      assert.throws(
        () => parseManifest(text),
        (e: unknown) => e instanceof BackupManifestError && reason.test(e.message),
        text,
      );
  });
});
