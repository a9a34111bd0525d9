import { defineMessages } from './define';

export const deliveries = defineMessages(
  {
    'delivery.error.rejected': 'Nie wysłano pisma. Popraw wskazane pola.',
    'delivery.error.noRecipient': 'Podaj adresata: identyfikator konta (recipientAccountId) albo PESEL (recipientPesel).',
    'delivery.error.unknownPesel': 'Nikt z tym numerem PESEL nie ma konta z ważnym profilem zaufanym. Pisma nie wysłano; doręcz je w inny sposób.',
    'delivery.error.unknownAccount': 'Nie ma konta o tym identyfikatorze. Pisma nie wysłano.',
    'delivery.error.title': 'Podaj tytuł pisma (do 300 znaków).',
    'delivery.error.unknownReply': 'Nie ma w tym urzędzie dokumentu, na który ma odpowiadać pismo.',
    'delivery.mail.subject': 'Urząd OnLine: czeka na Ciebie pismo z urzędu {office}',
    'delivery.mail.text':
      'Urząd {office} wysłał do Ciebie pismo ({date}). Aby je odczytać, zaloguj się i potwierdź odbiór: {url}\nJeśli nie odbierzesz pisma w ciągu 14 dni, doręczenie uważa się za dokonane.\n',
    'delivery.mail.reminderSubject': 'Urząd OnLine: ponowne zawiadomienie o piśmie z urzędu {office}',
    'delivery.mail.reminderText':
      'Ponownie zawiadamiamy: urząd {office} wysłał do Ciebie pismo ({date}), które nadal czeka na odbiór: {url}\nJeśli nie odbierzesz pisma do {deemed}, doręczenie uważa się za dokonane.\n',
  },
  {
    'delivery.error.rejected': 'The letter was not sent. Correct the fields shown.',
    'delivery.error.noRecipient': 'Give the addressee: an account id (recipientAccountId) or a PESEL (recipientPesel).',
    'delivery.error.unknownPesel': 'Nobody with this PESEL has an account with a valid trusted profile. Nothing was sent; deliver the letter another way.',
    'delivery.error.unknownAccount': 'There is no account with this id. Nothing was sent.',
    'delivery.error.title': 'Give the letter a title (up to 300 characters).',
    'delivery.error.unknownReply': 'This office has no document with that id for the letter to answer.',
    'delivery.mail.subject': 'Urząd OnLine: a letter from {office} awaits you',
    'delivery.mail.text':
      '{office} sent you a letter ({date}). To read it, log in and confirm receipt: {url}\nIf you do not collect it within 14 days, it is deemed delivered.\n',
    'delivery.mail.reminderSubject': 'Urząd OnLine: second notice of a letter from {office}',
    'delivery.mail.reminderText':
      'Second notice: {office} sent you a letter ({date}) that still awaits collection: {url}\nIf you do not collect it by {deemed}, it is deemed delivered.\n',
  },
);
