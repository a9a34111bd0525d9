import { defineMessages } from './define';

/** Receipts (UPP, proofs of sending and receipt): verification results and the certificate. */
export const receipts = defineMessages(
  {
    'receipt.kind.UPP': 'Urzędowe poświadczenie przedłożenia (UPP)',
    'receipt.kind.sending': 'Dowód wysłania',
    'receipt.kind.UPD': 'Urzędowe poświadczenie doręczenia (UPD)',
    'receipt.verify.tooLarge': 'Plik poświadczenia jest za duży: poświadczenie ma najwyżej {max} bajtów.',
    'receipt.verify.notUtf8':
      'Plik poświadczenia nie jest tekstem w kodowaniu UTF-8 albo deklaruje inne kodowanie.',
    'receipt.verify.doctype':
      'Plik poświadczenia zawiera deklarację DOCTYPE; ze względów bezpieczeństwa takie pliki nie są sprawdzane.',
    'receipt.verify.malformed': 'Plik poświadczenia nie jest poprawnym dokumentem XML: {detail}',
    'receipt.verify.structure':
      'Poświadczenie ma nieprawidłową budowę: w miejscu {path} oczekiwano {expected}.',
    'receipt.verify.value': 'Poświadczenie ma nieprawidłową wartość w {path}: {rule}.',
    'receipt.verify.signatureStructure': 'Podpis poświadczenia ma nieprawidłową budowę: {detail}.',
    'receipt.verify.documentChanged':
      'Treść poświadczenia została zmieniona po podpisaniu (skrót dokumentu się nie zgadza).',
    'receipt.verify.signedPropertiesChanged':
      'Podpisane właściwości podpisu (np. czas podpisu) zostały zmienione po podpisaniu.',
    'receipt.verify.signatureInvalid':
      'Podpis poświadczenia jest nieprawidłowy: nie został złożony kluczem certyfikatu z poświadczenia.',
    'receipt.verify.certificateUnreadable': 'Nie można odczytać certyfikatu z podpisu poświadczenia.',
    'receipt.verify.signingCertificateMismatch':
      'Skrót certyfikatu w podpisanych właściwościach nie odpowiada certyfikatowi z podpisu.',
    'receipt.verify.chainUntrusted': 'Certyfikat „{subject}” nie pochodzi od zaufanego urzędu certyfikacji.',
    'receipt.verify.certificateNotValidAtSigning':
      'Certyfikat „{subject}” nie był ważny w chwili podpisu {signingTime} (ważny od {notBefore} do {notAfter}).',
    'receipt.verify.platformSeal':
      'Poświadczenie opatrzono pieczęcią platformy, a nie pieczęcią urzędu: pieczęć platformy nie poświadcza doręczeń ani wpływu pism.',
    'receipt.verify.sealOfAnotherOffice':
      'Pieczęć należy do innego urzędu ({seal}) niż urząd wskazany w poświadczeniu (identyfikator {officeId}).',
    'receipt.verify.sealNotOfOffice':
      'Pieczęć nie jest pieczęcią urzędu wskazanego w poświadczeniu: certyfikat wystawiono dla „{organisation}”, a poświadczenie wskazuje „{office}”.',
    'receipt.verify.notASealCertificate':
      'Certyfikat „{subject}” nie służy do składania podpisu ani pieczęci (brak użycia klucza digitalSignature lub nonRepudiation).',
    'receipt.verify.issuerNotCa':
      'Certyfikat wystawcy „{subject}” nie jest certyfikatem urzędu certyfikacji.',
    'receipt.verify.signingTimeMismatch':
      'Czas podpisu ({signingTime}) różni się od czasu wytworzenia poświadczenia ({issuedAt}).',
    'receipt.verify.signingTimeInFuture': 'Czas podpisu {signingTime} jest w przyszłości.',
    'receipt.pdf.receiptId': 'Identyfikator poświadczenia',
    'receipt.pdf.documentId': 'Identyfikator dokumentu',
    'receipt.pdf.office': 'Urząd',
    'receipt.pdf.boxAddress': 'Adres skrytki',
    'receipt.pdf.title': 'Tytuł pisma',
    'receipt.pdf.caseReference': 'Sprawa',
    'receipt.pdf.sentBy': 'Wysyłający w imieniu urzędu',
    'receipt.pdf.arrivedAt': 'Data dostarczenia do skrzynki adresata',
    'receipt.pdf.termFrom': 'Termin 14 dni liczony od dnia',
    'receipt.pdf.sender': 'Nadawca',
    'receipt.pdf.recipient': 'Adresat',
    'receipt.pdf.enteredAt': 'Data wpływu do skrzynki',
    'receipt.pdf.sentAt': 'Data wysłania',
    'receipt.pdf.receivedAt': 'Data doręczenia',
    'receipt.pdf.deemed': 'Doręczenie zastępcze',
    'receipt.pdf.yes': 'tak',
    'receipt.pdf.no': 'nie',
    'receipt.pdf.issuedAt': 'Data wytworzenia poświadczenia',
    'receipt.pdf.logIndex': 'Pozycja w rejestrze przejrzystości',
    'receipt.pdf.signer': 'Pieczęć',
    'receipt.pdf.files': 'Pliki i ich skróty',
    'receipt.pdf.mainDocument': 'Dokument główny',
    'receipt.pdf.attachment': 'Załącznik',
    'receipt.pdf.verifyAt': 'Sprawdź poświadczenie na stronie:',
    'receipt.pdf.qrAlt': 'Kod QR z adresem strony sprawdzenia tego poświadczenia:',
    'receipt.pdf.xmlIsProof':
      'Dowodem jest plik XML poświadczenia podpisany pieczęcią urzędu; ten wydruk jest tylko jego czytelną postacią.',
    'receipt.page.number': 'Numer poświadczenia',
    'receipt.page.fileRole': 'Rodzaj',
    'receipt.page.fileName': 'Nazwa pliku',
    'receipt.page.fileSize': 'Rozmiar',
    'receipt.page.xmlIsProof':
      'Dowodem jest plik XML poświadczenia podpisany pieczęcią urzędu; ta strona jest tylko jego czytelną postacią.',
    'receipt.page.xml': 'Pobierz poświadczenie podpisane pieczęcią urzędu (XML)',
    'receipt.page.pdf': 'Pobierz poświadczenie do druku (PDF)',
    'receipt.page.verify': 'Sprawdź to poświadczenie',
    'receipt.page.backToLetter': 'Wróć do pisma',
    'receipt.page.backToDocument': 'Wróć do dokumentu',
    'receipt.page.backToBox': 'Wróć do skrzynki urzędu',
  },
  {
    'receipt.kind.UPP': 'Official submission receipt (UPP)',
    'receipt.kind.sending': 'Proof of sending',
    'receipt.kind.UPD': 'Official proof of receipt (UPD)',
    'receipt.verify.tooLarge': 'The receipt file is too large: a receipt has at most {max} bytes.',
    'receipt.verify.notUtf8': 'The receipt file is not UTF-8 text, or declares another encoding.',
    'receipt.verify.doctype':
      'The receipt file contains a DOCTYPE declaration; for security such files are not checked.',
    'receipt.verify.malformed': 'The receipt file is not well-formed XML: {detail}',
    'receipt.verify.structure': 'The receipt is not built as expected: at {path} {expected} was expected.',
    'receipt.verify.value': 'The receipt has an invalid value in {path}: {rule}.',
    'receipt.verify.signatureStructure': 'The signature of the receipt is not built as expected: {detail}.',
    'receipt.verify.documentChanged':
      'The content of the receipt was changed after signing (the document digest does not match).',
    'receipt.verify.signedPropertiesChanged':
      'The signed properties of the signature (e.g. the signing time) were changed after signing.',
    'receipt.verify.signatureInvalid':
      'The signature of the receipt is invalid: it was not made with the key of the certificate in the receipt.',
    'receipt.verify.certificateUnreadable': 'The certificate in the signature of the receipt cannot be read.',
    'receipt.verify.signingCertificateMismatch':
      'The certificate digest in the signed properties does not match the certificate in the signature.',
    'receipt.verify.chainUntrusted':
      'The certificate "{subject}" was not issued by a trusted certification authority.',
    'receipt.verify.certificateNotValidAtSigning':
      'The certificate "{subject}" was not valid at the signing time {signingTime} (valid from {notBefore} to {notAfter}).',
    'receipt.verify.platformSeal':
      'The receipt carries the platform seal, not an office seal: the platform seal never attests filings or deliveries.',
    'receipt.verify.sealOfAnotherOffice':
      'The seal belongs to another office ({seal}) than the office the receipt names (id {officeId}).',
    'receipt.verify.sealNotOfOffice':
      'The seal is not the seal of the office the receipt names: the certificate was issued to "{organisation}", the receipt names "{office}".',
    'receipt.verify.notASealCertificate':
      'The certificate "{subject}" is not for signatures or seals (no digitalSignature or nonRepudiation key usage).',
    'receipt.verify.issuerNotCa':
      'The issuer certificate "{subject}" is not a certification authority certificate.',
    'receipt.verify.signingTimeMismatch':
      'The signing time ({signingTime}) differs from the time the receipt was made ({issuedAt}).',
    'receipt.verify.signingTimeInFuture': 'The signing time {signingTime} is in the future.',
    'receipt.pdf.receiptId': 'Receipt id',
    'receipt.pdf.documentId': 'Document id',
    'receipt.pdf.office': 'Office',
    'receipt.pdf.boxAddress': 'Box address',
    'receipt.pdf.title': 'Letter title',
    'receipt.pdf.caseReference': 'Case',
    'receipt.pdf.sentBy': 'Sent on the office’s behalf by',
    'receipt.pdf.arrivedAt': 'Arrived in the addressee’s inbox',
    'receipt.pdf.termFrom': 'The 14 days ran from',
    'receipt.pdf.sender': 'Sender',
    'receipt.pdf.recipient': 'Addressee',
    'receipt.pdf.enteredAt': 'Entered the box',
    'receipt.pdf.sentAt': 'Sent',
    'receipt.pdf.receivedAt': 'Delivered',
    'receipt.pdf.deemed': 'Deemed delivery',
    'receipt.pdf.yes': 'yes',
    'receipt.pdf.no': 'no',
    'receipt.pdf.issuedAt': 'Receipt made',
    'receipt.pdf.logIndex': 'Position in the transparency log',
    'receipt.pdf.signer': 'Seal',
    'receipt.pdf.files': 'Files and their digests',
    'receipt.pdf.mainDocument': 'Main document',
    'receipt.pdf.attachment': 'Attachment',
    'receipt.pdf.verifyAt': 'Verify the receipt at:',
    'receipt.pdf.qrAlt': 'QR code with the address of the page that verifies this receipt:',
    'receipt.pdf.xmlIsProof':
      'The proof is the receipt XML file sealed by the office; this printout is only its readable form.',
    'receipt.page.number': 'Receipt number',
    'receipt.page.fileRole': 'Kind',
    'receipt.page.fileName': 'File name',
    'receipt.page.fileSize': 'Size',
    'receipt.page.xmlIsProof':
      'The proof is the receipt XML file sealed by the office; this page is only its readable form.',
    'receipt.page.xml': 'Download the receipt sealed by the office (XML)',
    'receipt.page.pdf': 'Download the receipt for printing (PDF)',
    'receipt.page.verify': 'Check this receipt',
    'receipt.page.backToLetter': 'Back to the letter',
    'receipt.page.backToDocument': 'Back to the document',
    'receipt.page.backToBox': 'Back to the office’s box',
  },
);
