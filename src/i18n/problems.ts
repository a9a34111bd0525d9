import { defineMessages } from './define';

/**
 * The catalogue of problem codes the API answers with (`code` of a problem+json answer, and the
 * fragment of its `type` URI, /api/errors#code): what each means and what to do about it.
 */
export const problems = defineMessages(
  {
    'problems.title': 'Kody błędów API',
    'problems.intro':
      'Każda odmowa API to odpowiedź application/problem+json (RFC 9457): „type” wskazuje kod na tej stronie, „title” to nazwa statusu HTTP, „detail” opisuje przyczynę w języku z nagłówka Accept-Language (domyślnie polskim), a lista „errors” (pusta, gdy nie dotyczy pól) wskazuje pola i pliki z regułą, której nie spełniają.',
    'problems.column.code': 'Kod',
    'problems.column.meaning': 'Znaczenie i co zrobić',
    'problem.bad_request': 'Żądanie jest błędne. Popraw pola wskazane w „errors”.',
    'problem.bad_body':
      'Treść żądania nie jest obiektem JSON. Wyślij obiekt JSON z polami opisanymi w OpenAPI.',
    'problem.unknown_fields':
      'Żądanie zawiera pola, których operacja nie zna. Usuń pola wymienione w „detail” (mogą to być literówki).',
    'problem.unknown_field':
      'Formularz wieloczęściowy zawiera nieznane pole pliku. Używaj pól „document” i „attachment”.',
    'problem.bad_query':
      'Parametry zapytania są zniekształcone. Zakoduj je poprawnie (percent-encoding UTF-8).',
    'problem.bad_multipart':
      'Treść multipart jest uszkodzona lub urwana. Wyślij żądanie ponownie, najlepiej z tym samym Idempotency-Key.',
    'problem.bad_idempotency_key':
      'Nagłówek Idempotency-Key ma od 1 do 200 widocznych znaków ASCII. Popraw klucz.',
    'problem.bad_kind': 'Nieznany rodzaj pisma w polu „kind”. Użyj jednej z wartości wymienionych w OpenAPI.',
    'problem.bad_digest':
      'Pole „sha256” musi mieć 64 znaki szesnastkowe. Podaj skrót SHA-256 dokumentu głównego.',
    'problem.bad_format':
      'Nieobsługiwany format. Użyj wartości podanej w dokumentacji operacji (np. xml lub pdf).',
    'problem.bad_proof_request':
      'Parametry dowodu są błędne (indeks lub rozmiary drzewa). Podaj liczby w zakresie drzewa.',
    'problem.bad_tile_path': 'Ścieżka kafla dziennika jest błędna. Użyj ścieżki w formacie tlog-tiles.',
    'problem.bad_scope': 'Nieznany zakres tokenu. Użyj submit, pull, deliver lub admin.',
    'problem.bad_name': 'Nazwa jest wymagana i ma najwyżej 200 znaków. Popraw ją.',
    'problem.malformed': 'Dane mają nieprawidłową postać. Sprawdź format pola wskazanego w „errors”.',
    'problem.not_valid': 'Wartości nie spełniają reguł. Popraw pola wskazane w „errors”.',
    'problem.validation_failed': 'Dane nie spełniają reguł. Popraw pola wskazane w „errors”.',
    'problem.unauthenticated':
      'Brak uwierzytelnienia. Podaj nagłówek Authorization: Bearer z ważnym tokenem.',
    'problem.unauthorized':
      'Token jest nieznany, unieważniony lub wygasł. Poproś administratora urzędu o nowy token.',
    'problem.forbidden': 'Token nie ma wymaganego zakresu. Użyj tokenu o zakresie podanym w „detail”.',
    'problem.other_office': 'Token należy do innego urzędu niż wskazany w adresie. Użyj tokenu tego urzędu.',
    'problem.wrong_point': 'Konto nie obsługuje tego punktu potwierdzającego.',
    'problem.staff_second_factor':
      'Sesja pochodzi z logowania przez login.gov.pl bez drugiego składnika: role pracownika nie działają. Włącz drugi składnik (TOTP) i zaloguj się ponownie.',
    'problem.not_found':
      'Nie ma takiego zasobu albo nie jest on dostępny dla tego tokenu. Sprawdź identyfikator.',
    'problem.no_checkpoint': 'Dziennik przejrzystości nie ma jeszcze punktu kontrolnego. Spróbuj później.',
    'problem.conflict': 'Stan zasobu nie pozwala na tę operację. Odczytaj zasób ponownie.',
    'problem.not_pending':
      'Dokument nie czeka już na tę operację (np. został potwierdzony). Odczytaj jego stan.',
    'problem.digest_mismatch':
      'Skrót SHA-256 nie zgadza się z dokumentem głównym. Pobierz dokument ponownie i policz skrót z jego bajtów.',
    'problem.idempotency_conflict':
      'Ten Idempotency-Key użyto już dla innego żądania. Dla nowego żądania użyj nowego klucza.',
    'problem.idempotency_in_progress':
      'Pierwsze żądanie z tym kluczem wciąż trwa. Ponów żądanie z tym samym kluczem za chwilę.',
    'problem.too_large': 'Treść przekracza limit urzędu. Zmniejsz pliki lub wyślij mniej załączników.',
    'problem.too_many': 'Za dużo plików lub pól. Wyślij mniej załączników.',
    'problem.unsupported_media_type':
      'Nieobsługiwany typ treści. Wyślij multipart/form-data lub JSON, jak podaje OpenAPI.',
    'problem.files_refused':
      'Pliki nie przeszły kontroli. Popraw pliki wskazane w „errors” (pola file i rule).',
    'problem.invalid_document': 'Dokument nie przeszedł kontroli. Popraw plik wskazany w „errors”.',
    'problem.invalid_letter': 'Pismo nie przeszło kontroli. Popraw pola wskazane w „errors”.',
    'problem.invalid_link': 'Odnośnik jest nieważny lub wygasł.',
    'problem.rate_limited': 'Przekroczono limit żądań tokenu. Poczekaj tyle sekund, ile podaje Retry-After.',
    'problem.too_many_challenges':
      'Za dużo prób potwierdzenia kodem w ciągu godziny. Spróbuj ponownie później.',
    'problem.unknown_recipient':
      'Adresat nie ma skrzynki o podanym adresie. Podaj adres /{identyfikator konta}/skrytka albo /{PESEL}/skrytka.',
    'problem.server_error': 'Błąd po stronie serwera. Ponów żądanie później z tym samym Idempotency-Key.',
    'problem.login_refused': 'Logowanie odrzucone.',
    'problem.fresh_refused': 'Operacja wymaga ponownego zalogowania.',
    'problem.email_unverified': 'Adres e-mail konta nie został potwierdzony.',
    'problem.totp_enabled': 'Drugi składnik jest już włączony.',
    'problem.pesel_taken': 'Ten PESEL jest już przypisany do innego konta.',
    'problem.profile_exists': 'Konto ma już profil.',
    'problem.backup_refused': 'Kopia zapasowa odrzucona.',
    'problem.backup_failed': 'Kopia zapasowa nie powiodła się.',
    'problem.service_unavailable':
      'Baza danych lub magazyn plików chwilowo nie odpowiada. Nic nie zostało zapisane; ponów żądanie za chwilę.',
    'problem.missing_field':
      'W żądaniu SOAP brakuje wymaganego elementu. Uzupełnij element wskazany w komunikacie.',
    'problem.forbidden_box':
      'System integracyjny nie ma dostępu do tej skrytki. Użyj skrytki przypisanej do systemu.',
    'problem.server': 'Błąd serwera. Ponów żądanie; jeśli się powtarza, zgłoś to urzędowi.',
    'problem.unknown_system':
      'Certyfikat podpisu nie należy do żadnego zarejestrowanego systemu integracyjnego. Zarejestruj certyfikat w urzędzie.',
    'problem.unknown_operation': 'Usługa nie obsługuje tej operacji SOAP. Sprawdź WSDL usługi.',
    'problem.replay': 'To żądanie zostało już przyjęte (powtórzony podpis). Podpisz nowe żądanie.',
    'problem.signature':
      'Podpis WS-Security żądania jest nieprawidłowy lub nie obejmuje treści (Body). Podpisz Body certyfikatem systemu.',
    'problem.dtd': 'Dokument XML zawiera DTD lub encje, które są niedozwolone. Usuń deklarację DOCTYPE.',
    'problem.bad_certificate':
      'Certyfikat nie jest poprawnym certyfikatem X.509 w formacie PEM. Podaj certyfikat systemu.',
    'problem.bad_box': 'Urząd nie ma skrytki o tej nazwie. Podaj nazwę istniejącej skrytki.',
    'problem.duplicate_certificate':
      'Ten certyfikat jest już zarejestrowany dla innego systemu. Każdy system ma własny certyfikat.',
    'problem.own_case': 'Nikt nie rozstrzyga własnej sprawy. Sprawę musi rozpatrzyć inna osoba.',
    'problem.pesel_conflict':
      'Dla tego numeru PESEL istnieje już profil. Rozstrzygnij konflikt przy potwierdzaniu.',
  },
  {
    'problems.title': 'API error codes',
    'problems.intro':
      'Every refusal of the API is an application/problem+json answer (RFC 9457): "type" points at the code on this page, "title" is the name of the HTTP status, "detail" gives the reason in the language of the Accept-Language header (Polish by default), and the "errors" list (empty when no field is concerned) names the fields and files with the rule they break.',
    'problems.column.code': 'Code',
    'problems.column.meaning': 'Meaning and what to do',
    'problem.bad_request': 'The request is wrong. Correct the fields named in "errors".',
    'problem.bad_body':
      'The request body is not a JSON object. Send a JSON object with the fields the OpenAPI describes.',
    'problem.unknown_fields':
      'The request has fields the operation does not know. Remove the fields named in "detail" (they may be typos).',
    'problem.unknown_field':
      'The multipart form has an unknown file field. Use the fields "document" and "attachment".',
    'problem.bad_query': 'The query string is malformed. Encode it properly (UTF-8 percent-encoding).',
    'problem.bad_multipart':
      'The multipart body is broken or cut short. Send the request again, preferably with the same Idempotency-Key.',
    'problem.bad_idempotency_key':
      'The Idempotency-Key header has 1 to 200 visible ASCII characters. Correct the key.',
    'problem.bad_kind': 'Unknown kind of letter in "kind". Use one of the values listed in the OpenAPI.',
    'problem.bad_digest':
      'The "sha256" field must have 64 hexadecimal digits. Send the SHA-256 of the main document.',
    'problem.bad_format':
      'Unsupported format. Use a value given in the operation’s documentation (e.g. xml or pdf).',
    'problem.bad_proof_request':
      'The proof parameters are wrong (index or tree sizes). Give numbers within the tree.',
    'problem.bad_tile_path': 'The log tile path is wrong. Use a path in the tlog-tiles format.',
    'problem.bad_scope': 'Unknown token scope. Use submit, pull, deliver or admin.',
    'problem.bad_name': 'A name is required, at most 200 characters. Correct it.',
    'problem.malformed': 'The data is malformed. Check the format of the field named in "errors".',
    'problem.not_valid': 'The values break the rules. Correct the fields named in "errors".',
    'problem.validation_failed': 'The data breaks the rules. Correct the fields named in "errors".',
    'problem.unauthenticated': 'Not authenticated. Send the header Authorization: Bearer with a valid token.',
    'problem.unauthorized':
      'The token is unknown, revoked or expired. Ask the office’s administrator for a new token.',
    'problem.forbidden': 'The token lacks the scope needed. Use a token with the scope named in "detail".',
    'problem.other_office':
      'The token belongs to another office than the one in the path. Use a token of this office.',
    'problem.wrong_point': 'The account does not serve this confirmation point.',
    'problem.staff_second_factor':
      'The session comes from a login through login.gov.pl without a second factor: staff roles are not in force. Turn on the second factor (TOTP) and log in again.',
    'problem.not_found': 'No such resource, or it is not available to this token. Check the identifier.',
    'problem.no_checkpoint': 'The transparency log has no checkpoint yet. Try again later.',
    'problem.conflict': 'The state of the resource does not allow this. Read the resource again.',
    'problem.not_pending':
      'The document no longer waits for this (e.g. it was acknowledged). Read its state.',
    'problem.digest_mismatch':
      'The SHA-256 does not match the main document. Fetch the document again and digest its bytes.',
    'problem.idempotency_conflict':
      'This Idempotency-Key was already used for another request. Use a new key for a new request.',
    'problem.idempotency_in_progress':
      'The first request with this key is still running. Repeat the request with the same key shortly.',
    'problem.too_large':
      'The body exceeds the office’s limit. Make the files smaller or send fewer attachments.',
    'problem.too_many': 'Too many files or fields. Send fewer attachments.',
    'problem.unsupported_media_type':
      'Unsupported content type. Send multipart/form-data or JSON as the OpenAPI says.',
    'problem.files_refused':
      'The files failed the checks. Correct the files named in "errors" (fields file and rule).',
    'problem.invalid_document': 'The document failed the checks. Correct the file named in "errors".',
    'problem.invalid_letter': 'The letter failed the checks. Correct the fields named in "errors".',
    'problem.invalid_link': 'The link is invalid or has expired.',
    'problem.rate_limited': 'The token’s rate limit was exceeded. Wait the seconds Retry-After gives.',
    'problem.too_many_challenges': 'Too many confirmations by code within an hour. Try again later.',
    'problem.unknown_recipient':
      'The addressee has no box at that address. Give /{account id}/skrytka or /{PESEL}/skrytka.',
    'problem.server_error': 'A server error. Repeat the request later with the same Idempotency-Key.',
    'problem.login_refused': 'Login refused.',
    'problem.fresh_refused': 'The operation needs a fresh login.',
    'problem.email_unverified': 'The account’s e-mail address has not been confirmed.',
    'problem.totp_enabled': 'The second factor is already enabled.',
    'problem.pesel_taken': 'This PESEL is already linked to another account.',
    'problem.profile_exists': 'The account already has a profile.',
    'problem.backup_refused': 'Backup refused.',
    'problem.backup_failed': 'Backup failed.',
    'problem.service_unavailable':
      'The database or the file store is not answering for the moment. Nothing was stored; try again shortly.',
    'problem.missing_field':
      'A required element is missing from the SOAP request. Add the element the message names.',
    'problem.forbidden_box': 'The integration system may not use this box. Use a box assigned to the system.',
    'problem.server': 'Server error. Try again; if it persists, tell the office.',
    'problem.unknown_system':
      'The signing certificate belongs to no registered integration system. Register the certificate with the office.',
    'problem.unknown_operation': 'The service has no such SOAP operation. Check the service WSDL.',
    'problem.replay': 'This request was already received (a repeated signature). Sign a new request.',
    'problem.signature':
      'The WS-Security signature of the request is invalid or does not cover the Body. Sign the Body with the system certificate.',
    'problem.dtd':
      'The XML document has a DTD or entities, which are not allowed. Remove the DOCTYPE declaration.',
    'problem.bad_certificate':
      'The certificate is not a valid X.509 certificate in PEM. Give the system certificate.',
    'problem.bad_box': 'The office has no box of that name. Give the name of an existing box.',
    'problem.duplicate_certificate':
      'This certificate is already registered for another system. Each system has its own certificate.',
    'problem.own_case': 'Nobody decides a case of their own. Another person must handle it.',
    'problem.pesel_conflict':
      'A profile already exists for this PESEL. Resolve the conflict at confirmation.',
  },
);
