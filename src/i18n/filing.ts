import { defineMessages } from './define';

export const filing = defineMessages(
  {
    'filing.error.rejected': 'Dokument nie został przyjęty. Popraw wskazane pliki i wyślij go ponownie.',
    'filing.error.unknownBox': 'Nie ma skrzynki podawczej o adresie {box}.',
    'filing.error.noDocument': 'Wybierz plik dokumentu głównego.',
    'filing.error.manyDocuments':
      'Dokument główny może być tylko jeden: pozostałe pliki dodaj jako załączniki.',
    'filing.error.idempotencyConflict':
      'Ten klucz Idempotency-Key został już użyty dla innej treści. Użyj nowego klucza dla nowego dokumentu.',
    'filing.error.idempotencyKey': 'Nagłówek Idempotency-Key musi mieć od 1 do 200 widocznych znaków ASCII.',
    'filing.error.documentNotFound': 'Nie znaleziono dokumentu {id}.',
    'filing.error.receiptNotFound': 'Nie znaleziono poświadczenia {id}.',
    'filing.error.tooLarge': 'Dokument wraz z załącznikami przekracza dopuszczalny rozmiar {limit}.',
    'filing.error.badMultipart':
      'Treść żądania jest niekompletna lub nie jest poprawnym formularzem multipart/form-data.',
    'filing.error.notMultipart':
      'Dokument należy przesłać jako multipart/form-data (pole „document” i pola „attachment”).',
    'filing.error.unknownFileField': 'Nieznane pole pliku „{field}”: dozwolone są „document” i „attachment”.',
    'filing.error.kind':
      'Rodzaj pisma musi być jednym z: podanie, zadanie, wyjasnienie, odwolanie, zazalenie, inne.',
    'filing.error.receiptFormat': 'Parametr format może mieć wartość xml albo pdf.',
    'pull.error.digestFormat':
      'Podaj w polu „sha256” skrót SHA-256 dokumentu głównego (64 znaki szesnastkowe).',
    'pull.error.digestMismatch':
      'Skrót SHA-256 nie zgadza się z dokumentem głównym: dokument nie został potwierdzony.',
    'pull.error.unknownFields': 'Nieznane pola: {fields}. Dozwolone jest tylko „sha256”.',
    'tokens.error.scope': 'Ten token nie ma uprawnienia do tej operacji (wymagany zakres: {scopes}).',
    'tokens.error.name': 'Nazwa nadawcy tokenu jest wymagana (najwyżej 200 znaków).',
    'tokens.error.missing': 'Brak tokenu: podaj nagłówek Authorization: Bearer <token>.',
    'tokens.error.invalid': 'Token jest nieprawidłowy lub został unieważniony.',
    'tokens.error.otherOffice': 'Token należy do innego urzędu.',
    'tokens.error.expiry': 'Data wygaśnięcia tokenu musi być w przyszłości.',
    'tokens.error.scopeChoice': 'Wybierz zakres tokenu: submit, pull, deliver albo admin.',
    'tokens.error.expiryFormat':
      'Podaj datę wygaśnięcia w postaci RRRR-MM-DD (np. 2027-06-30) albo zostaw pole puste.',
    'tokens.error.notFound': 'Nie znaleziono aktywnego tokenu o tym identyfikatorze w tym urzędzie.',
  },
  {
    'filing.error.rejected': 'The document was not accepted. Correct the files named and send it again.',
    'filing.error.unknownBox': 'There is no submission box at {box}.',
    'filing.error.noDocument': 'Choose the main document file.',
    'filing.error.manyDocuments': 'There can be only one main document: add the other files as attachments.',
    'filing.error.idempotencyConflict':
      'This Idempotency-Key was already used for other content. Use a new key for a new document.',
    'filing.error.idempotencyKey': 'The Idempotency-Key header must have 1 to 200 visible ASCII characters.',
    'filing.error.documentNotFound': 'Document {id} was not found.',
    'filing.error.receiptNotFound': 'Receipt {id} was not found.',
    'filing.error.tooLarge': 'The document with its attachments is larger than the limit of {limit}.',
    'filing.error.badMultipart': 'The request body is incomplete or is not valid multipart/form-data.',
    'filing.error.notMultipart':
      'Send the document as multipart/form-data (field “document” and “attachment” fields).',
    'filing.error.unknownFileField': 'Unknown file field “{field}”: “document” and “attachment” are allowed.',
    'filing.error.kind':
      'The kind of letter must be one of: podanie, zadanie, wyjasnienie, odwolanie, zazalenie, inne.',
    'filing.error.receiptFormat': 'The format parameter may be xml or pdf.',
    'pull.error.digestFormat':
      'Give the SHA-256 of the main document in “sha256” (64 hexadecimal characters).',
    'pull.error.digestMismatch':
      'The SHA-256 does not match the main document: the document was not acknowledged.',
    'pull.error.unknownFields': 'Unknown fields: {fields}. Only “sha256” is allowed.',
    'tokens.error.scope': 'This token is not allowed to do this (scope needed: {scopes}).',
    'tokens.error.name': 'The token’s sender name is required (at most 200 characters).',
    'tokens.error.missing': 'No token: send the header Authorization: Bearer <token>.',
    'tokens.error.invalid': 'The token is invalid or has been revoked.',
    'tokens.error.otherOffice': 'The token belongs to another office.',
    'tokens.error.expiry': 'The token’s expiry date must be in the future.',
    'tokens.error.scopeChoice': 'Choose the token’s scope: submit, pull, deliver or admin.',
    'tokens.error.expiryFormat':
      'Give the expiry date as YYYY-MM-DD (e.g. 2027-06-30) or leave the field empty.',
    'tokens.error.notFound': 'This office has no active token with that identifier.',
  },
);
