import { defineMessages } from './define';

/** Messages of the ePUAP-compatible SOAP services (faults are read by EZD operators in Polish). */
export const soap = defineMessages(
  {
    'soap.error.malformed': 'Żądanie nie jest poprawnym komunikatem SOAP 1.1: {detail}.',
    'soap.error.dtd': 'Żądanie zawiera deklarację DTD lub encje; takie żądania są odrzucane.',
    'soap.error.tooLarge': 'Żądanie ma {size} bajtów, a urząd przyjmuje najwyżej {limit} bajtów.',
    'soap.error.unknownOperation': 'Usługa {service} nie zna operacji {element}.',
    'soap.error.unsigned':
      'Żądanie nie jest podpisane: wymagany jest nagłówek wsse:Security z tokenem X.509 (BinarySecurityToken) i podpisem XML.',
    'soap.error.signature': 'Podpis żądania jest nieprawidłowy: {detail}.',
    'soap.error.bodyNotSigned': 'Podpis żądania nie obejmuje elementu Body.',
    'soap.error.stale': 'Znacznik czasu (wsu:Timestamp) żądania jest nieaktualny lub z przyszłości.',
    'soap.error.replay': 'To żądanie zostało już przyjęte; powtórzone żądanie jest odrzucane.',
    'soap.error.unknownSystem':
      'Certyfikat nie należy do żadnego aktywnego systemu zarejestrowanego w urzędzie.',
    'soap.error.box': 'System nie ma dostępu do skrytki {box}.',
    'soap.error.field': 'Brak wymaganego pola {field}.',
    'soap.error.digest':
      'Skrót {skrot} nie odpowiada pobranemu dokumentowi (oczekiwano Base64 skrótu SHA-1 lub SHA-256 zawartości).',
    'soap.error.notLeased': 'W kolejce nie ma pobranego i niepotwierdzonego dokumentu o tym skrócie.',
    'soap.error.rateLimited': 'Zbyt wiele żądań tego systemu; spróbuj ponownie za chwilę.',
    'soap.error.server': 'Błąd wewnętrzny skrytki; spróbuj ponownie później.',
    'soap.status.ok': 'OK',
    'soap.status.empty': 'Brak oczekujących dokumentów',
    'systems.error.name': 'Nazwa systemu musi mieć od 1 do 200 znaków.',
    'systems.error.certificate': 'Plik nie zawiera certyfikatu X.509 w formacie PEM.',
    'systems.error.duplicate': 'Ten certyfikat jest już zarejestrowany dla aktywnego systemu.',
    'systems.error.box': 'Urząd nie ma skrytki {box}.',
  },
  {
    'soap.error.malformed': 'The request is not a well-formed SOAP 1.1 message: {detail}.',
    'soap.error.dtd': 'The request contains a DTD or entities; such requests are refused.',
    'soap.error.tooLarge': 'The request has {size} bytes; the office accepts at most {limit} bytes.',
    'soap.error.unknownOperation': 'The {service} service has no operation {element}.',
    'soap.error.unsigned':
      'The request is not signed: a wsse:Security header with an X.509 BinarySecurityToken and an XML signature is required.',
    'soap.error.signature': 'The request signature is not valid: {detail}.',
    'soap.error.bodyNotSigned': 'The request signature does not cover the Body.',
    'soap.error.stale': 'The request wsu:Timestamp is expired or in the future.',
    'soap.error.replay': 'This request has already been accepted; a replayed request is refused.',
    'soap.error.unknownSystem': 'The certificate belongs to no active system registered with the office.',
    'soap.error.box': 'The system may not use the box {box}.',
    'soap.error.field': 'The required field {field} is missing.',
    'soap.error.digest':
      'The digest {skrot} does not match the pulled document (expected Base64 of SHA-1 or SHA-256 of the content).',
    'soap.error.notLeased': 'No pulled, unconfirmed document in the queue has this digest.',
    'soap.error.rateLimited': 'Too many requests from this system; try again shortly.',
    'soap.error.server': 'Internal error of the box; try again later.',
    'soap.status.ok': 'OK',
    'soap.status.empty': 'No documents waiting',
    'systems.error.name': 'The system name must have 1 to 200 characters.',
    'systems.error.certificate': 'The file holds no X.509 certificate in PEM format.',
    'systems.error.duplicate': 'This certificate is already registered for an active system.',
    'systems.error.box': 'The office has no box {box}.',
  },
);
