import { defineMessages } from './define';

/** Verifying a receipt: the public page /weryfikacja and the `verify` command. */
export const verification = defineMessages(
  {
    'verification.title': 'Weryfikacja poświadczenia',
    'verification.intro':
      'Sprawdź poświadczenie wydane przez skrzynkę podawczą: kto je wydał, dla którego urzędu, kiedy dokument wpłynął, czy podpis i certyfikat są ważne, czy pliki się zgadzają i czy poświadczenie jest wpisane do publicznego rejestru przejrzystości.\n\nNie trzeba się logować. Przesłane pliki są tylko sprawdzane: nie są nigdzie zapisywane.',
    'verification.idIntro':
      'Kod QR prowadzi do weryfikacji poświadczenia {id}. Ze względu na ochronę danych sam identyfikator niczego nie pokazuje: prześlij plik XML tego poświadczenia, który otrzymałeś od urzędu.',
    'verification.form.receipt': 'Plik poświadczenia (XML)',
    'verification.form.receiptHint': 'Plik .xml otrzymany po złożeniu pisma lub doręczeniu; najwyżej 1 MB.',
    'verification.form.files': 'Pliki, których dotyczy poświadczenie (nieobowiązkowo)',
    'verification.form.filesHint':
      'Sprawdzimy, czy skróty SHA-256 przesłanych plików zgadzają się ze skrótami w poświadczeniu. Razem najwyżej {limit}.',
    'verification.form.submit': 'Sprawdź poświadczenie',
    'verification.again': 'Sprawdź inne poświadczenie',
    'verification.result.valid': 'Poświadczenie jest ważne',
    'verification.result.invalid': 'Poświadczenie nie jest ważne',
    'verification.result.reasons': 'Dlaczego poświadczenie nie jest ważne',
    'verification.result.details': 'Co zawiera poświadczenie',
    'verification.result.checks': 'Wyniki sprawdzenia',
    'verification.result.filesHeading': 'Pliki',
    'verification.result.noDetails': 'Nie udało się odczytać treści poświadczenia.',
    'verification.result.notStored': 'Przesłane pliki nie zostały zapisane.',
    'verification.row.kind': 'Rodzaj',
    'verification.row.receiptId': 'Identyfikator poświadczenia',
    'verification.row.issuer': 'Wydał (pieczęć)',
    'verification.row.office': 'Urząd',
    'verification.row.party': 'Nadawca lub adresat',
    'verification.row.enteredAt': 'Data wpływu dokumentu',
    'verification.row.sentAt': 'Data wysłania',
    'verification.row.receivedAt': 'Data doręczenia',
    'verification.row.issuedAt': 'Data wytworzenia poświadczenia',
    'verification.row.documentId': 'Identyfikator dokumentu',
    'verification.row.signature': 'Podpis i certyfikat',
    'verification.row.files': 'Pliki',
    'verification.row.log': 'Rejestr przejrzystości',
    'verification.row.entryHash': 'Skrót SHA-256 poświadczenia',
    'verification.signature.ok':
      'Podpis jest prawidłowy, a certyfikat pieczęci wystawił zaufany urząd certyfikacji; certyfikat był ważny w chwili podpisu.',
    'verification.signature.bad': 'Podpis lub certyfikat nie jest ważny (powody powyżej).',
    'verification.entry.main': 'dokument główny',
    'verification.entry.attachment': 'załącznik',
    'verification.file.matched': 'Plik „{file}” zgadza się z pozycją „{entry}” ({role}).',
    'verification.file.matchedRenamed':
      'Plik „{file}” zgadza się z pozycją „{entry}” ({role}), choć ma inną nazwę.',
    'verification.file.changed':
      'Plik „{file}” NIE zgadza się z pozycją „{entry}”: poświadczenie podaje SHA-256 {expected} ({expectedSize} B), przesłany plik ma {actual} ({actualSize} B).',
    'verification.file.unknown': 'Pliku „{file}” (SHA-256 {actual}, {actualSize} B) nie ma w poświadczeniu.',
    'verification.file.notGiven': 'Nie sprawdzono pozycji „{entry}” ({role}): nie podano tego pliku.',
    'verification.file.none': 'Nie przesłano plików do porównania.',
    'verification.log.included':
      'Poświadczenie jest wpisem {index} publicznego rejestru przejrzystości {origin} pod punktem kontrolnym podpisanym kluczem rejestru (rozmiar rejestru: {size}).',
    'verification.log.notChecked':
      'Nie sprawdzono wpisu do rejestru przejrzystości (nie podano punktu kontrolnego i dowodu włączenia).',
    'verification.log.pending':
      'Poświadczenie (wpis {index}) jest nowsze niż ostatni podpisany punkt kontrolny rejestru ({size} wpisów). Spróbuj ponownie za chwilę.',
    'verification.log.noIndex': 'Poświadczenie nie podaje swojej pozycji w rejestrze przejrzystości.',
    'verification.log.notInLog': 'Tego poświadczenia nie ma w rejestrze przejrzystości tej instalacji.',
    'verification.log.checkpoint-unverified':
      'Punkt kontrolny rejestru nie jest prawidłowo podpisany kluczem rejestru.',
    'verification.log.index-mismatch':
      'Dowód włączenia dotyczy innego wpisu niż wpis {index} podany w poświadczeniu.',
    'verification.log.size-mismatch': 'Dowód włączenia dotyczy innego rozmiaru rejestru niż punkt kontrolny.',
    'verification.log.not-included':
      'Poświadczenia nie ma w rejestrze: wpis {index} pod tym punktem kontrolnym to inny dokument.',
    'verification.error.failed': 'Nie można sprawdzić przesłanych plików.',
    'verification.error.receiptMissing': 'Wybierz plik XML poświadczenia.',
    'verification.error.receiptTooLarge': 'Plik poświadczenia jest za duży: poświadczenie ma najwyżej 1 MB.',
    'verification.error.filesTooLarge': 'Przesłane pliki razem przekraczają {limit}.',
    'verification.error.tooLarge':
      'Przesłane dane są za duże: poświadczenie najwyżej 1 MB, pliki razem najwyżej {limit}.',
    'verification.error.tooManyFiles': 'Można przesłać najwyżej {max} plików.',
    'verification.error.unknownField': 'Nieoczekiwane pole formularza „{field}”.',
    'verification.cli.valid': 'Poświadczenie jest WAŻNE.',
    'verification.cli.invalid': 'Poświadczenie NIE jest ważne:',
  },
  {
    'verification.title': 'Verify a receipt',
    'verification.intro':
      'Check a receipt issued by the electronic submission box: who issued it, for which office, when the document arrived, whether the signature and certificate hold, whether the files match, and whether the receipt is in the public transparency log.\n\nNo login is needed. The files you upload are only checked: they are not stored anywhere.',
    'verification.idIntro':
      'The QR code leads to the verification of receipt {id}. To protect personal data the id alone shows nothing: upload the XML file of this receipt that you received from the office.',
    'verification.form.receipt': 'Receipt file (XML)',
    'verification.form.receiptHint': 'The .xml file you received after filing or on delivery; at most 1 MB.',
    'verification.form.files': 'Files the receipt is about (optional)',
    'verification.form.filesHint':
      'We check whether the SHA-256 digests of the files match those in the receipt. At most {limit} together.',
    'verification.form.submit': 'Verify the receipt',
    'verification.again': 'Verify another receipt',
    'verification.result.valid': 'The receipt is valid',
    'verification.result.invalid': 'The receipt is not valid',
    'verification.result.reasons': 'Why the receipt is not valid',
    'verification.result.details': 'What the receipt says',
    'verification.result.checks': 'Results of the checks',
    'verification.result.filesHeading': 'Files',
    'verification.result.noDetails': 'The content of the receipt could not be read.',
    'verification.result.notStored': 'The uploaded files were not stored.',
    'verification.row.kind': 'Kind',
    'verification.row.receiptId': 'Receipt id',
    'verification.row.issuer': 'Issued by (seal)',
    'verification.row.office': 'Office',
    'verification.row.party': 'Sender or addressee',
    'verification.row.enteredAt': 'Document arrived',
    'verification.row.sentAt': 'Sent',
    'verification.row.receivedAt': 'Delivered',
    'verification.row.issuedAt': 'Receipt made',
    'verification.row.documentId': 'Document id',
    'verification.row.signature': 'Signature and certificate',
    'verification.row.files': 'Files',
    'verification.row.log': 'Transparency log',
    'verification.row.entryHash': 'SHA-256 of the receipt',
    'verification.signature.ok':
      'The signature is valid and the seal certificate was issued by a trusted certification authority; the certificate was valid at the signing time.',
    'verification.signature.bad': 'The signature or the certificate does not hold (see the reasons above).',
    'verification.entry.main': 'main document',
    'verification.entry.attachment': 'attachment',
    'verification.file.matched': 'The file "{file}" matches the entry "{entry}" ({role}).',
    'verification.file.matchedRenamed':
      'The file "{file}" matches the entry "{entry}" ({role}), although its name differs.',
    'verification.file.changed':
      'The file "{file}" does NOT match the entry "{entry}": the receipt gives SHA-256 {expected} ({expectedSize} B), the file has {actual} ({actualSize} B).',
    'verification.file.unknown':
      'The file "{file}" (SHA-256 {actual}, {actualSize} B) is not in the receipt.',
    'verification.file.notGiven': 'Not checked: the entry "{entry}" ({role}); that file was not given.',
    'verification.file.none': 'No files were uploaded for comparison.',
    'verification.log.included':
      'The receipt is entry {index} of the public transparency log {origin} under a checkpoint signed by the log key (log size: {size}).',
    'verification.log.notChecked':
      'The transparency log was not checked (no checkpoint and inclusion proof were given).',
    'verification.log.pending':
      'The receipt (entry {index}) is newer than the latest signed checkpoint of the log ({size} entries). Try again in a moment.',
    'verification.log.noIndex': 'The receipt does not give its position in the transparency log.',
    'verification.log.notInLog': 'This receipt is not in the transparency log of this installation.',
    'verification.log.checkpoint-unverified':
      'The checkpoint of the log is not correctly signed by the log key.',
    'verification.log.index-mismatch':
      'The inclusion proof is for another entry than entry {index} given in the receipt.',
    'verification.log.size-mismatch':
      'The inclusion proof is for another size of the log than the checkpoint.',
    'verification.log.not-included':
      'The receipt is not in the log: entry {index} under this checkpoint is another document.',
    'verification.error.failed': 'The uploaded files cannot be checked.',
    'verification.error.receiptMissing': 'Choose the XML file of the receipt.',
    'verification.error.receiptTooLarge': 'The receipt file is too large: a receipt has at most 1 MB.',
    'verification.error.filesTooLarge': 'The uploaded files together exceed {limit}.',
    'verification.error.tooLarge':
      'The upload is too large: the receipt at most 1 MB, the files together at most {limit}.',
    'verification.error.tooManyFiles': 'At most {max} files can be uploaded.',
    'verification.error.unknownField': 'Unexpected form field "{field}".',
    'verification.cli.valid': 'The receipt is VALID.',
    'verification.cli.invalid': 'The receipt is NOT valid:',
  },
);
