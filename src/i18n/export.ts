import { defineMessages } from './define';

/** The resident's export (/konto/eksport), its README and its offline check (`verify export.zip`). */
export const residentExport = defineMessages(
  {
    'export.title': 'Eksport Twoich pism i poświadczeń',
    'export.link': 'Pobierz wszystkie swoje pisma i poświadczenia (ZIP)',
    'export.lead':
      'Jeden plik ZIP zawiera wszystko, co Twoje w tej skrzynce, razem z dowodami, które możesz sprawdzić bez dostępu do internetu i bez pytania urzędu.',
    'export.contents': 'Co jest w pliku',
    'export.contents.filed':
      'pisma złożone przez Ciebie, z plikami i załącznikami, oraz urzędowe poświadczenia przedłożenia (UPP, XML);',
    'export.contents.received':
      'pisma od urzędów, które odebrałeś lub które uznano za doręczone, z plikami, dowodami wysłania i urzędowymi poświadczeniami doręczenia (UPD, XML);',
    'export.contents.awaiting':
      'o pismach czekających na odbiór tylko informacja, że czekają: ich treść otworzy się dopiero po potwierdzeniu odbioru;',
    'export.contents.log':
      'ostatni podpisany punkt kontrolny publicznego rejestru przejrzystości i dowód włączenia każdego poświadczenia do rejestru;',
    'export.contents.manifest':
      'plik manifest.json ze skrótem SHA-256 każdego pliku i opisem, czym jest, oraz plik README.txt z instrukcją sprawdzenia.',
    'export.verifyHint':
      'Jak sprawdzić eksport bez dostępu do internetu, opisuje plik README.txt w archiwum. Każde poświadczenie z eksportu możesz też sprawdzić na stronie',
    'export.verifyLink': 'Sprawdź poświadczenie',
    'export.submit': 'Pobierz eksport (ZIP)',
    'export.readme':
      'Eksport z elektronicznej skrzynki podawczej {installation}\n\nZawartość:\n- pisma-wyslane/<id dokumentu>/: złożone pismo (pliki/), urzędowe poświadczenie przedłożenia UPP-<id>.xml i dowód jego włączenia do rejestru (.inclusion-proof.json);\n- pisma-otrzymane/<id pisma>/: pismo od urzędu (pliki/), dowód wysłania DW-<id>.xml, urzędowe poświadczenie doręczenia UPD-<id>.xml i dowody włączenia do rejestru;\n- rejestr/checkpoint.txt: podpisany punkt kontrolny publicznego rejestru przejrzystości (rozmiar {size});\n- rejestr/log.key i klucze/ca-*.pem: KOPIE klucza rejestru i certyfikatu urzędu certyfikacji, tylko do porównania;\n- manifest.json: każdy plik ze skrótem SHA-256, rozmiarem i opisem; pisma czekające na odbiór są w nim tylko wzmianką (bez treści).\n\nJak sprawdzić bez dostępu do internetu:\n1. Pobierz z instalacji certyfikat urzędu certyfikacji (GET /api/v1/offices/<id urzędu>/certificate, ostatni certyfikat zapisz jako ca.pem) i klucz rejestru (GET /api/v1/log/key, zapisz jako log.key). Porównaj je z kopiami w eksporcie i z tym, co urząd publikuje: zaufanie pochodzi z nich, nie z eksportu.\n2. Uruchom: npm run cli -- verify eksport.zip --ca ca.pem --log-key log.key\n   Polecenie sprawdza skróty wszystkich plików z manifestu, podpis i certyfikat każdego poświadczenia, skróty plików wymienionych w poświadczeniach, dowody włączenia do rejestru i podpis punktu kontrolnego. Kod wyjścia 0: eksport ważny; 1: nie (z nazwą pliku i powodem).\n3. Sam podpis poświadczenia sprawdzisz też programem xmlsec1:\n   xmlsec1 --verify --trusted-pem ca.pem --id-attr:Id SignedProperties UPP-<id>.xml\n\nTytuły pism i nazwy urzędów w manifest.json są informacją, nie dowodem: dowodem są podpisane poświadczenia.',
    'export.manifest.missing': 'W archiwum nie ma pliku manifest.json.',
    'export.manifest.tooLarge': 'Plik manifest.json jest za duży (najwyżej {max} B).',
    'export.manifest.notJson': 'Plik manifest.json nie jest poprawnym JSON-em.',
    'export.manifest.format': 'Plik manifest.json nie jest manifestem eksportu w formacie {format}.',
    'export.manifest.form':
      'Plik manifest.json został zmieniony: nie ma postaci, w której zapisuje go eksport.',
    'export.manifest.shape': 'W pliku manifest.json brakuje części „{part}”.',
    'export.manifest.entry':
      'Pozycja manifestu {entry} nie ma ścieżki, znanego rodzaju, skrótu SHA-256 lub rozmiaru.',
    'export.manifest.twice': 'Manifest wymienia plik „{path}” więcej niż raz.',
    'export.manifest.reference':
      'Pozycja manifestu „{path}” odsyła do pliku, którego nie ma w eksporcie albo który jest innego rodzaju.',
    'export.manifest.noCheckpoint': 'Manifest nie wskazuje punktu kontrolnego rejestru.',
    'export.zip.unreadable': 'Nie da się odczytać archiwum ZIP: {detail}',
    'export.kind.readme': 'instrukcja',
    'export.kind.checkpoint': 'punkt kontrolny rejestru',
    'export.kind.log-key': 'kopia klucza rejestru',
    'export.kind.ca-certificate': 'kopia certyfikatu urzędu certyfikacji',
    'export.kind.receipt': 'poświadczenie',
    'export.kind.inclusion-proof': 'dowód włączenia do rejestru',
    'export.kind.document-file': 'plik pisma',
    'export.check.digest': 'SHA-256 i rozmiar zgodne z manifestem.',
    'export.check.changed':
      'Plik ZMIENIONY: manifest podaje SHA-256 {expected} ({expectedSize} B), plik ma {actual} ({actualSize} B).',
    'export.check.missing': 'Manifest wymienia ten plik, ale nie ma go w archiwum.',
    'export.check.damaged': 'Nie da się odczytać pliku z archiwum (uszkodzony): {detail}',
    'export.check.unlisted': 'Pliku nie ma w manifeście.',
    'export.check.duplicate': 'Archiwum zawiera ten plik więcej niż raz.',
    'export.check.tooLarge':
      'Plik jest za duży jak na poświadczenie, dowód włączenia lub punkt kontrolny (najwyżej {max} B).',
    'export.check.receipt': 'Poświadczenie {receiptId}: podpis, certyfikat i budowa są prawidłowe.',
    'export.check.notAsListed': 'Poświadczenie nie jest tym, które opisuje manifest: różni się {field}.',
    'export.check.entryMissing': 'Pozycja „{entry}” ({role}) poświadczenia nie ma pliku w eksporcie.',
    'export.check.noProof':
      'Eksport nie zawiera dowodu włączenia tego poświadczenia do rejestru pod punktem kontrolnym.',
    'export.check.badProof': 'Dowód włączenia nie jest poprawny: {detail}',
    'export.check.checkpoint':
      'Punkt kontrolny rejestru {origin} (rozmiar {size}) jest podpisany kluczem rejestru.',
    'export.check.checkpointBad': 'Punkt kontrolny NIE jest prawidłowo podpisany kluczem rejestru: {detail}',
    'export.check.sizeMismatch': 'Manifest podaje rozmiar rejestru {expected}, punkt kontrolny {actual}.',
    'export.cli.valid':
      'Eksport jest WAŻNY: wszystkie pliki, poświadczenia i dowody włączenia do rejestru się zgadzają.',
    'export.cli.invalid': 'Eksport NIE jest ważny:',
    'export.cli.awaiting':
      'Pismo od: {office}, wysłane {sentAt}, czeka na odbiór: eksport nie zawiera jego treści.',
    'export.cli.summary':
      'Sprawdzono {files} plików, {receipts} poświadczeń, {proofs} dowodów włączenia do rejestru.',
  },
  {
    'export.title': 'Export your letters and receipts',
    'export.link': 'Download all your letters and receipts (ZIP)',
    'export.lead':
      'One ZIP file holds everything of yours in this box, together with proofs you can check without the internet and without asking the office.',
    'export.contents': 'What the file holds',
    'export.contents.filed':
      'the letters you filed, with their files and attachments, and the submission receipts (UPP, XML);',
    'export.contents.received':
      'letters from offices that you received or that were deemed delivered, with their files, proofs of sending and proofs of receipt (UPD, XML);',
    'export.contents.awaiting':
      'of letters awaiting receipt only a notice that they wait: their content opens only once you confirm receipt;',
    'export.contents.log':
      'the newest signed checkpoint of the public transparency log and an inclusion proof for every receipt;',
    'export.contents.manifest':
      'manifest.json with the SHA-256 of every file and what it is, and README.txt saying how to check it.',
    'export.verifyHint':
      'README.txt in the archive says how to check the export without the internet. You can also check each receipt from the export on the page',
    'export.verifyLink': 'Check a receipt',
    'export.submit': 'Download the export (ZIP)',
    'export.readme':
      "Export from the electronic submission box {installation}\n\nContents:\n- pisma-wyslane/<document id>/: a letter you filed (pliki/), its submission receipt UPP-<id>.xml and the proof that it is in the log (.inclusion-proof.json);\n- pisma-otrzymane/<letter id>/: a letter from an office (pliki/), the proof of sending DW-<id>.xml, the proof of receipt UPD-<id>.xml and their inclusion proofs;\n- rejestr/checkpoint.txt: a signed checkpoint of the public transparency log (size {size});\n- rejestr/log.key and klucze/ca-*.pem: COPIES of the log key and of the certification authority certificate, only to compare;\n- manifest.json: every file with its SHA-256, size and what it is; letters awaiting receipt appear in it only as a notice (no content).\n\nHow to check it without the internet:\n1. Get the certification authority certificate from the installation (GET /api/v1/offices/<office id>/certificate, save the last certificate as ca.pem) and the log key (GET /api/v1/log/key, save as log.key). Compare them with the copies in the export and with what the office publishes: trust comes from them, not from the export.\n2. Run: npm run cli -- verify eksport.zip --ca ca.pem --log-key log.key --lang en\n   The command checks the digests of all files in the manifest, every receipt's signature and certificate, the digests of the files the receipts list, the inclusion proofs and the checkpoint's signature. Exit code 0: the export is valid; 1: it is not (naming the file and the reason).\n3. A receipt's signature alone can also be checked with xmlsec1:\n   xmlsec1 --verify --trusted-pem ca.pem --id-attr:Id SignedProperties UPP-<id>.xml\n\nLetter titles and office names in manifest.json are information, not proof: the signed receipts are the proof.",
    'export.manifest.missing': 'The archive has no manifest.json.',
    'export.manifest.tooLarge': 'manifest.json is too large (at most {max} B).',
    'export.manifest.notJson': 'manifest.json is not valid JSON.',
    'export.manifest.format': 'manifest.json is not an export manifest of the format {format}.',
    'export.manifest.form': 'manifest.json was changed: it is not in the form the export writes.',
    'export.manifest.shape': 'manifest.json lacks the part "{part}".',
    'export.manifest.entry': 'The manifest entry {entry} lacks a path, a known kind, a SHA-256 or a size.',
    'export.manifest.twice': 'The manifest lists the file "{path}" more than once.',
    'export.manifest.reference':
      'The manifest entry "{path}" refers to a file the export does not have or that is of another kind.',
    'export.manifest.noCheckpoint': 'The manifest names no checkpoint of the log.',
    'export.zip.unreadable': 'The ZIP archive cannot be read: {detail}',
    'export.kind.readme': 'instructions',
    'export.kind.checkpoint': 'checkpoint of the log',
    'export.kind.log-key': 'copy of the log key',
    'export.kind.ca-certificate': 'copy of a certification authority certificate',
    'export.kind.receipt': 'receipt',
    'export.kind.inclusion-proof': 'inclusion proof',
    'export.kind.document-file': 'file of a letter',
    'export.check.digest': 'SHA-256 and size match the manifest.',
    'export.check.changed':
      'The file was CHANGED: the manifest gives SHA-256 {expected} ({expectedSize} B), the file has {actual} ({actualSize} B).',
    'export.check.missing': 'The manifest lists this file but the archive does not have it.',
    'export.check.damaged': 'The file cannot be read from the archive (damaged): {detail}',
    'export.check.unlisted': 'The file is not in the manifest.',
    'export.check.duplicate': 'The archive holds this file more than once.',
    'export.check.tooLarge':
      'The file is too large for a receipt, an inclusion proof or a checkpoint (at most {max} B).',
    'export.check.receipt': 'Receipt {receiptId}: signature, certificate and structure hold.',
    'export.check.notAsListed': 'The receipt is not the one the manifest describes: its {field} differs.',
    'export.check.entryMissing': 'The receipt\'s entry "{entry}" ({role}) has no file in the export.',
    'export.check.noProof': 'The export has no proof that this receipt is in the log under the checkpoint.',
    'export.check.badProof': 'The inclusion proof is malformed: {detail}',
    'export.check.checkpoint': 'The checkpoint of the log {origin} (size {size}) is signed by the log key.',
    'export.check.checkpointBad': 'The checkpoint is NOT correctly signed by the log key: {detail}',
    'export.check.sizeMismatch': 'The manifest gives the log size {expected}, the checkpoint {actual}.',
    'export.cli.valid': 'The export is VALID: every file, receipt and inclusion proof holds.',
    'export.cli.invalid': 'The export is NOT valid:',
    'export.cli.awaiting':
      'A letter from {office} sent on {sentAt} awaits receipt: the export does not hold its content.',
    'export.cli.summary': 'Checked {files} files, {receipts} receipts, {proofs} inclusion proofs.',
  },
);
