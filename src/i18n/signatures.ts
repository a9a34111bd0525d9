import { defineMessages } from './define';

export const signatures = defineMessages(
  {
    'signature.status.none': 'brak podpisu',
    'signature.status.valid': 'podpis ważny',
    'signature.status.invalid': 'podpis NIEWAŻNY',
    'signature.status.indeterminate': 'podpis nierozstrzygnięty (nie można potwierdzić podpisującego)',
    'signature.noCertificate': 'Podpis nie zawiera certyfikatu podpisującego.',
    'signature.badCertificate': 'Certyfikatu podpisującego nie da się odczytać.',
    'signature.unreadable': 'Podpisu nie da się odczytać: struktura jest uszkodzona.',
    'signature.detachedContent':
      'Podpisana treść jest w osobnym pliku, którego nie dołączono: podpisu nie można sprawdzić do końca.',
    'signature.cryptoFailed':
      'Podpis nie zgadza się z treścią: dokument zmieniono po podpisaniu albo podpis jest sfałszowany.',
    'signature.byteRange':
      'Zakres podpisanych bajtów (/ByteRange) jest niepoprawny: nie zaczyna się na początku pliku, zachodzi na siebie albo wykracza poza plik.',
    'signature.updateAfterSigning':
      'Po podpisaniu dopisano do pliku PDF zmianę inną niż dane do weryfikacji podpisu (DSS): {change}.',
    'signature.notValidAtSigning': 'Certyfikat „{subject}” nie był ważny w chwili podpisu ({signingTime}).',
    'signature.issuerNotCa': 'Certyfikat „{subject}” w łańcuchu nie jest certyfikatem urzędu certyfikacji.',
    'signature.chainUntrusted':
      'Certyfikatu „{subject}” nie da się powiązać z żadnym zaufanym urzędem certyfikacji (listy zaufania, pl.ID, własny urząd).',
    'signature.noNonRepudiation':
      'Certyfikat „{subject}” nie pozwala na składanie podpisu (brak nonRepudiation).',
    'signature.serviceNotGranted':
      'Usługa „{service}” nie miała w chwili podpisu ({signingTime}) statusu kwalifikowanej (status: {status}).',
    'signature.notQualifiedCertificate':
      'Certyfikat „{subject}” nie jest certyfikatem kwalifikowanym (brak QcCompliance).',
    'signature.trustedWithoutPerson':
      'Pieczęć podpisu zaufanego bez podpisanych danych osoby (EPSignature, PodpisZP lub /Reason).',
    'signature.sealNotPerson': 'To pieczęć elektroniczna „{subject}”, nie podpis osoby fizycznej.',
    'signature.revoked':
      'Certyfikat „{subject}” unieważniono {revokedAt}, przed chwilą podpisu ({signingTime}).',
    'signature.revokedAfterSigning':
      'Uwaga: certyfikat „{subject}” unieważniono {revokedAt}, po chwili podpisu ({signingTime}); podpis złożony wcześniej pozostaje ważny.',
    'signature.revocationUnknown':
      'Serwis OCSP wystawcy nie zna certyfikatu „{subject}”: nie można potwierdzić, że nie został unieważniony.',
    'signature.timestampUnreadable':
      'Znacznika czasu podpisu nie da się odczytać (to nie jest token RFC 3161).',
    'signature.timestampOtherBytes':
      'Znacznik czasu dotyczy innych danych niż wartość tego podpisu: nie potwierdza czasu podpisu.',
    'signature.timestampCryptoFailed':
      'Podpis znacznika czasu wystawionego przez „{authority}” jest nieprawidłowy: token zmieniono albo sfałszowano.',
    'signature.timestampNotTsa':
      'Certyfikat „{authority}” nie służy do znakowania czasem (brak rozszerzenia id-kp-timeStamping).',
    'signature.timestampUntrusted':
      'Urzędu znakowania czasem „{authority}” nie da się powiązać z zaufanym urzędem certyfikacji w chwili znacznika.',
    'signature.timestamp.valid': '{time} (znacznik czasu: {authority})',
    'signature.timestamp.invalid': 'NIEPRAWIDŁOWY (czas podpisu według podpisującego)',
    'signature.view.timestamp': 'Znacznik czasu podpisu',
    'signature.revocation.good': 'nieunieważniony (sprawdzono: {source}, {issuedAt})',
    'signature.revocation.revoked': 'UNIEWAŻNIONY {revokedAt} ({source})',
    'signature.revocation.unknown': 'nieznany serwisowi OCSP wystawcy',
    'signature.revocation.notChecked':
      'nie sprawdzono (brak listy CRL ani odpowiedzi OCSP na chwilę podpisu)',
    'signature.category.qualified': 'kwalifikowany podpis elektroniczny',
    'signature.category.trusted': 'podpis zaufany',
    'signature.category.personal': 'podpis osobisty',
    'signature.category.platform': 'podpis zaufany złożony w tym systemie',
    'signature.category.none': 'żaden z podpisów uznawanych przez KPA',
    'signature.peselMatch.yes': 'zgodny z PESEL konta nadawcy',
    'signature.peselMatch.no': 'INNY niż PESEL konta nadawcy',
    'signature.peselMatch.unknown': 'nie można porównać',
    'trustList.unreadable': 'Listy zaufania nie da się odczytać (uszkodzony lub niebezpieczny XML).',
    'trustList.notAList':
      'To nie jest lista zaufania ETSI TS 119 612 (brak terytorium, numeru lub daty wydania).',
    'trustList.signatureCount': 'Lista zaufania musi mieć dokładnie jeden podpis; ma {count}.',
    'trustList.notWholeList': 'Podpis listy zaufania nie obejmuje całej listy.',
    'trustList.noSigner': 'Podpis listy zaufania nie zawiera certyfikatu podpisującego.',
    'trustList.signerNotAnnounced':
      'Listę zaufania {territory} podpisał certyfikat, którego nie ogłoszono dla niej (LOTL lub skonfigurowane certyfikaty).',
    'trustList.signerNotValidAtIssue':
      'Certyfikat, którym podpisano listę zaufania {territory}, nie był ważny w chwili jej wydania ({issued}).',
    'trustList.badSignature':
      'Podpis listy zaufania {territory} jest nieprawidłowy: listę zmieniono po podpisaniu.',
    'trustList.noLotl': 'Nie ma listy list (LOTL), która wskazuje listę {territory}.',
    'trustList.rollback': 'Lista {territory} nr {sequence} jest starsza niż przechowywana nr {stored}.',
    'signature.view.file': 'Plik {file}: podpis {kind}',
    'signature.view.category': 'Rodzaj podpisu',
    'signature.view.pesel': 'PESEL podpisującego',
    'signature.view.certificate': 'Certyfikat',
    'signature.view.sealOrganisation': 'Pieczęć podpisu zaufanego',
    'signature.view.revocation': 'Unieważnienie certyfikatu',
  },
  {
    'signature.status.none': 'not signed',
    'signature.status.valid': 'signature valid',
    'signature.status.invalid': 'signature NOT valid',
    'signature.status.indeterminate': 'signature indeterminate (the signer cannot be confirmed)',
    'signature.noCertificate': 'The signature carries no signer certificate.',
    'signature.badCertificate': 'The signer certificate cannot be read.',
    'signature.unreadable': 'The signature cannot be read: its structure is damaged.',
    'signature.detachedContent':
      'The signed content is in a separate file that was not attached: the signature cannot be fully checked.',
    'signature.cryptoFailed':
      'The signature does not match the content: the document was changed after signing or the signature is forged.',
    'signature.byteRange':
      'The signed byte range (/ByteRange) is not valid: it does not start at the beginning of the file, overlaps itself or goes beyond the file.',
    'signature.updateAfterSigning':
      'After signing, the PDF was changed by more than the data for validating the signature (DSS): {change}.',
    'signature.notValidAtSigning':
      'The certificate "{subject}" was not valid at the signing time ({signingTime}).',
    'signature.issuerNotCa': 'The certificate "{subject}" in the chain is not a certification authority.',
    'signature.chainUntrusted':
      'The certificate "{subject}" chains to no trusted certification authority (trusted lists, pl.ID, own CA).',
    'signature.noNonRepudiation': 'The certificate "{subject}" does not allow signing (no nonRepudiation).',
    'signature.serviceNotGranted':
      'The service "{service}" was not qualified at the signing time ({signingTime}) (status: {status}).',
    'signature.notQualifiedCertificate':
      'The certificate "{subject}" is not a qualified certificate (no QcCompliance).',
    'signature.trustedWithoutPerson':
      'A trusted-signature seal without signed data of the person (EPSignature, PodpisZP or /Reason).',
    'signature.sealNotPerson': 'This is the electronic seal "{subject}", not a natural person\'s signature.',
    'signature.revoked':
      'The certificate "{subject}" was revoked on {revokedAt}, before the signing time ({signingTime}).',
    'signature.revokedAfterSigning':
      'Note: the certificate "{subject}" was revoked on {revokedAt}, after the signing time ({signingTime}); a signature made earlier stays valid.',
    'signature.revocationUnknown':
      'The issuer\'s OCSP responder does not know the certificate "{subject}": it cannot be confirmed that it is not revoked.',
    'signature.timestampUnreadable': 'The signature time-stamp cannot be read (it is not an RFC 3161 token).',
    'signature.timestampOtherBytes':
      'The time-stamp covers other data than this signature value: it does not confirm the signing time.',
    'signature.timestampCryptoFailed':
      'The signature of the time-stamp issued by “{authority}” is not valid: the token was changed or forged.',
    'signature.timestampNotTsa':
      'The certificate “{authority}” is not for time-stamping (no id-kp-timeStamping extension).',
    'signature.timestampUntrusted':
      'The time-stamping authority “{authority}” cannot be linked to a trusted certification authority at the time of the stamp.',
    'signature.timestamp.valid': '{time} (time-stamp: {authority})',
    'signature.timestamp.invalid': 'NOT VALID (signing time as claimed by the signer)',
    'signature.view.timestamp': 'Signature time-stamp',
    'signature.revocation.good': 'not revoked (checked: {source}, {issuedAt})',
    'signature.revocation.revoked': 'REVOKED on {revokedAt} ({source})',
    'signature.revocation.unknown': "unknown to the issuer's OCSP responder",
    'signature.revocation.notChecked': 'not checked (no CRL or OCSP response for the signing time)',
    'signature.category.qualified': 'qualified electronic signature',
    'signature.category.trusted': 'trusted signature (podpis zaufany)',
    'signature.category.personal': 'personal signature (podpis osobisty)',
    'signature.category.platform': 'trusted signature made on this platform',
    'signature.category.none': 'none of the signatures the Code of Administrative Procedure accepts',
    'signature.peselMatch.yes': "matches the PESEL of the sender's account",
    'signature.peselMatch.no': "DIFFERS from the PESEL of the sender's account",
    'signature.peselMatch.unknown': 'cannot be compared',
    'trustList.unreadable': 'The trusted list cannot be read (damaged or unsafe XML).',
    'trustList.notAList':
      'This is not an ETSI TS 119 612 trusted list (no territory, sequence number or issue date).',
    'trustList.signatureCount': 'A trusted list must carry exactly one signature; this one has {count}.',
    'trustList.notWholeList': 'The signature of the trusted list does not cover the whole list.',
    'trustList.noSigner': 'The signature of the trusted list carries no signer certificate.',
    'trustList.signerNotAnnounced':
      'The trusted list {territory} was signed by a certificate not announced for it (by the LOTL or the configured certificates).',
    'trustList.signerNotValidAtIssue':
      'The certificate that signed the trusted list {territory} was not valid when the list was issued ({issued}).',
    'trustList.badSignature':
      'The signature of the trusted list {territory} is not valid: the list was changed after signing.',
    'trustList.noLotl': 'No list of trusted lists (LOTL) points to the list {territory}.',
    'trustList.rollback': 'The list {territory} no. {sequence} is older than the stored no. {stored}.',
    'signature.view.file': 'File {file}: {kind} signature',
    'signature.view.category': 'Kind of signature',
    'signature.view.pesel': "Signer's PESEL",
    'signature.view.certificate': 'Certificate',
    'signature.view.sealOrganisation': 'Seal of the trusted signature',
    'signature.view.revocation': 'Certificate revocation',
  },
);
