import { defineMessages } from './define';

/** The `backup` and `restore` commands of the embedded installation (docs/operations.md). */
export const backup = defineMessages(
  {
    'backup.error.postgres':
      'Polecenie „{command}” obsługuje tylko instalację wbudowaną (SQLite w DATA_DIR). Przy PostgreSQL (ustawione DATABASE_URL) kopię bazy i magazynu plików robi się ich własnymi narzędziami: zob. docs/operations.md.',
    'backup.error.s3':
      'Polecenie „{command}” obsługuje tylko instalację wbudowaną, z plikami w DATA_DIR. Przy magazynie S3 (ustawione S3_BUCKET) pliki chroni wersjonowanie zasobnika: zob. docs/operations.md.',
    'backup.error.noInstallation':
      'W DATA_DIR „{dir}” nie ma bazy danych urzad.sqlite: nie ma czego kopiować.',
    'backup.error.targetNotEmpty':
      'Katalog docelowy kopii „{dir}” (argument <dir>) nie jest pusty: kopia trafia tylko do nowego albo pustego katalogu, by niczego nie nadpisać.',
    'backup.error.targetNotDirectory':
      'Katalog docelowy kopii „{dir}” (argument <dir>) istnieje i nie jest katalogiem.',
    'backup.error.targetInsideDataDir':
      'Katalog docelowy kopii „{dir}” (argument <dir>) leży wewnątrz DATA_DIR „{dataDir}”: kopię zapisuje się poza danymi, które kopiuje.',
    'backup.error.databaseDamaged':
      'Baza danych w DATA_DIR jest uszkodzona (sprawdzenie integralności SQLite: {detail}); kopii nie zapisano.',
    'backup.error.blobMissing':
      'Baza wskazuje {count, plural, one {# plik, którego} few {# pliki, których} many {# plików, których} other {# pliku, których}} nie ma w magazynie DATA_DIR/blobs, np. {sha256}; kopii nie zapisano. Sprawdź instalację poleceniem fsck.',
    'backup.error.blobDamaged':
      'Plik {sha256} w magazynie DATA_DIR/blobs ma inną treść niż wskazuje jego skrót SHA-256 (jest {actual}); kopii nie zapisano. Sprawdź instalację poleceniem fsck.',
    'backup.restore.notBackup': 'Katalog „{dir}” (argument <dir>) nie zawiera kopii zapasowej: {reason}.',
    'backup.restore.badManifest':
      'Plik manifest.json kopii „{dir}” jest nieprawidłowy: {reason}. Nic nie odtworzono.',
    'backup.restore.fileMissing':
      'Brak pliku „{file}” wymienionego w manifeście kopii: kopia jest niekompletna. Nic nie odtworzono.',
    'backup.restore.fileChanged':
      'Plik kopii „{file}” nie zgadza się z manifestem (manifest: SHA-256 {expected}, {expectedSize} B; plik: SHA-256 {actual}, {actualSize} B): kopia została zmieniona albo uszkodzona. Nic nie odtworzono.',
    'backup.restore.fileUnexpected':
      'Plik „{file}” nie jest wymieniony w manifeście kopii: kopia została zmieniona. Nic nie odtworzono.',
    'backup.restore.blobNotInBackup':
      'Baza danych w kopii wskazuje plik {sha256}, którego kopia nie zawiera: kopia jest niekompletna. Nic nie odtworzono.',
    'backup.restore.countMismatch':
      'Baza danych w kopii nie zgadza się z manifestem ({field}: manifest {expected}, baza {actual}). Nic nie odtworzono.',
    'backup.restore.dataDirNotEmpty':
      'DATA_DIR „{dir}” nie jest pusty: kopię odtwarza się tylko do nowego albo pustego katalogu, by niczego nie nadpisać.',
    'backup.restore.dataDirNotDirectory': 'DATA_DIR „{dir}” istnieje i nie jest katalogiem.',
  },
  {
    'backup.error.postgres':
      'The "{command}" command handles only the embedded installation (SQLite in DATA_DIR). With PostgreSQL (DATABASE_URL set) the database and the blob store are backed up with their own tools: see docs/operations.md.',
    'backup.error.s3':
      'The "{command}" command handles only the embedded installation, with its files in DATA_DIR. With S3 storage (S3_BUCKET set) the files are protected by bucket versioning: see docs/operations.md.',
    'backup.error.noInstallation':
      'DATA_DIR "{dir}" holds no urzad.sqlite database: there is nothing to back up.',
    'backup.error.targetNotEmpty':
      'The backup target "{dir}" (argument <dir>) is not empty: a backup goes only into a new or empty directory, so that nothing is overwritten.',
    'backup.error.targetNotDirectory':
      'The backup target "{dir}" (argument <dir>) exists and is not a directory.',
    'backup.error.targetInsideDataDir':
      'The backup target "{dir}" (argument <dir>) lies inside DATA_DIR "{dataDir}": a backup is written outside the data it copies.',
    'backup.error.databaseDamaged':
      'The database in DATA_DIR is damaged (SQLite integrity check: {detail}); no backup was written.',
    'backup.error.blobMissing':
      'The database refers to {count, plural, one {# file} other {# files}} missing from the store DATA_DIR/blobs, e.g. {sha256}; no backup was written. Check the installation with fsck.',
    'backup.error.blobDamaged':
      'The file {sha256} in the store DATA_DIR/blobs does not have the content its SHA-256 names (it has {actual}); no backup was written. Check the installation with fsck.',
    'backup.restore.notBackup': 'The directory "{dir}" (argument <dir>) holds no backup: {reason}.',
    'backup.restore.badManifest':
      'The manifest.json of the backup "{dir}" is not valid: {reason}. Nothing was restored.',
    'backup.restore.fileMissing':
      'The file "{file}" listed in the backup\'s manifest is missing: the backup is incomplete. Nothing was restored.',
    'backup.restore.fileChanged':
      'The backup file "{file}" does not match the manifest (manifest: SHA-256 {expected}, {expectedSize} B; file: SHA-256 {actual}, {actualSize} B): the backup was changed or damaged. Nothing was restored.',
    'backup.restore.fileUnexpected':
      'The file "{file}" is not listed in the backup\'s manifest: the backup was changed. Nothing was restored.',
    'backup.restore.blobNotInBackup':
      'The database in the backup refers to the file {sha256}, which the backup does not hold: the backup is incomplete. Nothing was restored.',
    'backup.restore.countMismatch':
      'The database in the backup does not match the manifest ({field}: manifest {expected}, database {actual}). Nothing was restored.',
    'backup.restore.dataDirNotEmpty':
      'DATA_DIR "{dir}" is not empty: a backup is restored only into a new or empty directory, so that nothing is overwritten.',
    'backup.restore.dataDirNotDirectory': 'DATA_DIR "{dir}" exists and is not a directory.',
  },
);
