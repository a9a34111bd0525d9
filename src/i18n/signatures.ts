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
      'Zakres podpisanych bajtów nie obejmuje całego pliku PDF: dopisano treść po podpisaniu.',
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
      'The signed byte range does not cover the whole PDF: content was added after signing.',
  },
);
