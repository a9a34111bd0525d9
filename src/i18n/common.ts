import { defineMessages } from './define';

export const common = defineMessages(
  {
    'layout.skipLink': 'Przejdź do treści',
    'layout.nav.label': 'Menu',
    'layout.nav.points': 'Punkty potwierdzające',
    'layout.nav.instructions': 'Instrukcje',
    'layout.switchLanguage': 'English',
    'layout.footer.heading': 'Informacje o serwisie',
    'layout.footer.cookies': 'Pliki cookies',
    'layout.footer.licence': 'Oprogramowanie Urząd OnLine jest udostępniane na licencji EUPL-1.2.',
    'form.errorSummary.title': 'Wystąpił problem',
    'form.error.prefix': 'Błąd:',
    'form.hint.maxLength':
      'Najwyżej {max, plural, one {# znak} few {# znaki} many {# znaków} other {# znaku}}.',
    'form.csrf':
      'Formularz wygasł lub nie pochodzi z tej strony. Otwórz stronę ponownie i wyślij formularz jeszcze raz.',
    'error.notFound.title': 'Nie znaleziono strony',
    'error.notFound.text':
      'Sprawdź, czy adres jest wpisany poprawnie. Jeśli skopiowano go z innego miejsca, upewnij się, że skopiowano cały adres.',
    'error.officeNotFound': 'Nie znaleziono urzędu o identyfikatorze „{officeId}”.',
    'error.badRequest.title': 'Nieprawidłowe żądanie',
    'error.forbidden.title': 'Nie masz dostępu do tej strony',
    'error.forbidden.text':
      'Ta strona lub czynność wymaga innych uprawnień. Jeśli to pomyłka, skontaktuj się z administratorem urzędu.',
    'error.badRequest.text':
      'Serwer nie mógł odczytać żądania. Sprawdź adres lub wróć do poprzedniej strony.',
    'error.badQuery': 'Parametry adresu (po znaku „?”) są nieprawidłowo zakodowane.',
    'error.badUrl': 'Adres strony jest nieprawidłowo zakodowany albo za długi.',
    'error.server.title': 'Przepraszamy, wystąpił błąd serwisu',
    'error.server.text':
      'Spróbuj ponownie za kilka minut. Nic z tego, co już zostało przyjęte, nie zostało utracone.',
    'error.tooLarge': 'Przesłane dane są zbyt duże.',
    'error.unsupportedMediaType': 'Nieobsługiwany typ treści żądania.',
    'error.rateLimited': 'Zbyt wiele żądań. Spróbuj ponownie za chwilę.',
    'error.unavailable':
      'Usługa jest chwilowo niedostępna ({dependency} nie odpowiada). Spróbuj ponownie za chwilę; nic z tego, co już zostało przyjęte, nie zostało utracone.',
    'error.keyMismatch':
      '{keyName}: ten węzeł ma inny klucz ({mine}) niż zapisany w bazie instalacji ({recorded}), a każdy węzeł musi mieć te same klucze; {hint}',
    'error.keyMismatch.platformSeal': 'Pieczęć platformy',
    'error.keyMismatch.officeSeal': 'Pieczęć urzędu {officeId}',
    'error.keyMismatch.logKey': 'Klucz dziennika przejrzystości',
    'error.keyMismatch.seals':
      'daj każdemu węzłowi ten sam SEALS_DIR (albo DATA_DIR/keys) albo wymień pieczęć poleceniem `npm run cli -- seals rotate` (docs/operations.md).',
    'error.keyMismatch.log':
      'daj każdemu węzłowi ten sam plik DATA_DIR/keys/log-ed25519.pem (docs/scaling.md).',
    'common.backHome': 'Wróć do strony głównej',
  },
  {
    'layout.skipLink': 'Skip to main content',
    'layout.nav.label': 'Menu',
    'layout.nav.points': 'Confirmation points',
    'layout.nav.instructions': 'Instructions',
    'layout.switchLanguage': 'Polski',
    'layout.footer.heading': 'About this service',
    'layout.footer.cookies': 'Cookies',
    'layout.footer.licence': 'Urząd OnLine is software released under the EUPL-1.2 licence.',
    'form.errorSummary.title': 'There is a problem',
    'form.error.prefix': 'Error:',
    'form.hint.maxLength': 'At most {max, plural, one {# character} other {# characters}}.',
    'form.csrf':
      'The form has expired or did not come from this site. Open the page again and resend the form.',
    'error.notFound.title': 'Page not found',
    'error.notFound.text':
      'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
    'error.officeNotFound': 'There is no office with the identifier “{officeId}”.',
    'error.badRequest.title': 'Bad request',
    'error.forbidden.title': 'You do not have access to this page',
    'error.forbidden.text':
      'This page or action needs other permissions. If this is a mistake, contact the office’s administrator.',
    'error.badRequest.text':
      'The server could not read the request. Check the address or go back to the previous page.',
    'error.badQuery': 'The address parameters (after “?”) are not correctly encoded.',
    'error.badUrl': 'The page address is not correctly encoded or is too long.',
    'error.server.title': 'Sorry, there is a problem with the service',
    'error.server.text': 'Try again in a few minutes. Nothing that had already been accepted has been lost.',
    'error.tooLarge': 'The data sent is too large.',
    'error.unsupportedMediaType': 'Unsupported request content type.',
    'error.rateLimited': 'Too many requests. Try again shortly.',
    'error.unavailable':
      'The service is briefly unavailable ({dependency} is not answering). Try again shortly; nothing that had already been accepted has been lost.',
    'error.keyMismatch':
      "The {keyName} of this node ({mine}) is not the installation's ({recorded}): every node must hold the same keys; {hint}",
    'error.keyMismatch.platformSeal': 'platform seal',
    'error.keyMismatch.officeSeal': 'seal of office {officeId}',
    'error.keyMismatch.logKey': 'transparency log key',
    'error.keyMismatch.seals':
      'give every node the same SEALS_DIR (or DATA_DIR/keys), or rotate with `npm run cli -- seals rotate` (docs/operations.md).',
    'error.keyMismatch.log': 'give every node the same DATA_DIR/keys/log-ed25519.pem (docs/scaling.md).',
    'common.backHome': 'Go back to the home page',
  },
);
