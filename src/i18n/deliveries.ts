import { defineMessages } from './define';

export const deliveries = defineMessages(
  {
    'answer.title': 'Odpowiedź do mieszkańca',
    'answer.lead':
      'Pismo zostanie doręczone na konto mieszkańca z dowodem wysłania. Mieszkaniec otworzy je po potwierdzeniu odbioru; po 14 dniach doręczenie uważa się za dokonane.',
    'answer.leadNotDeemed':
      'Pismo zostanie doręczone na konto mieszkańca z dowodem wysłania. Mieszkaniec otworzy je po potwierdzeniu odbioru. Urząd nie stosuje doręczenia zastępczego: jeśli pismo nie zostanie odebrane w ciągu 14 dni, zobaczysz, że nie zostało odebrane.',
    'answer.pesel': 'PESEL adresata',
    'answer.peselHint': 'Adresat musi mieć konto z ważnym profilem zaufanym.',
    'answer.peselHintSender': 'Zostaw puste, aby odpowiedzieć nadawcy ({name}). Adresat musi mieć konto.',
    'answer.subject': 'Tytuł pisma',
    'answer.document': 'Pismo (plik)',
    'answer.submit': 'Wyślij odpowiedź',
    'answer.list': 'Odpowiedzi urzędu',
    'answer.none': 'Urząd nie wysłał jeszcze odpowiedzi.',
    'answer.write': 'Napisz odpowiedź',
    'answer.sentAt': 'Wysłano {date}',
    'answer.notCollectedSince':
      'Nieodebrane: 14 dni minęło {date}. Urząd nie stosuje doręczenia zastępczego w tej skrzynce, więc pismo nie jest uznane za doręczone.',
    'inbox.title': 'Moja skrzynka',
    'inbox.link': 'Skrzynka',
    'inbox.address':
      'Adres Twojej skrytki (urzędy wysyłają na niego pisma ze swoich systemów, jak na skrytkę ePUAP):',
    'inbox.sections': 'Części skrzynki',
    'inbox.sent': 'Pisma wysłane',
    'inbox.sentLead':
      'Pisma złożone przez Ciebie, z urzędowym poświadczeniem przedłożenia (UPP). Gdy urząd zarejestruje pismo, widać tu numer kancelaryjny i stan sprawy.',
    'inbox.lettersLink': 'Napisz nowe pismo albo wróć do wersji roboczych (Moje pisma)',
    'inbox.empty': 'Nie masz pism z urzędów.',
    'inbox.received': 'Pisma otrzymane',
    'inbox.col.office': 'Urząd',
    'inbox.col.sent': 'Wysłano',
    'inbox.col.letter': 'Pismo',
    'inbox.col.status': 'Stan',
    'inbox.awaits': 'Czeka na Ciebie pismo',
    'inbox.status.awaiting': 'czeka na odbiór',
    'inbox.status.received': 'odebrane',
    'inbox.status.deemed': 'doręczone zastępczo (uznane za doręczone)',
    'inbox.receivedAt': 'Odebrano',
    'inbox.deemedAt': 'Uznano za doręczone',
    'inbox.confirmLead':
      'Treść pisma otworzy się po potwierdzeniu odbioru. Urząd otrzyma urzędowe poświadczenie doręczenia z datą odbioru.',
    'inbox.confirm': 'Potwierdzam odbiór pisma',
    'inbox.collectUntil': 'Możesz odebrać pismo do {date} włącznie.',
    'inbox.deemedWarning':
      'Jeśli go do tego dnia nie odbierzesz, pismo zostanie uznane za doręczone z upływem tego dnia (doręczenie zastępcze, art. 46 § 4 Kodeksu postępowania administracyjnego) — tak, jakbyś je odebrał.',
    'inbox.notDeemed': 'Po tym dniu urząd odnotuje, że pismo nie zostało odebrane.',
    'inbox.files': 'Pismo i załączniki',
    'inbox.proofs': 'Dowody',
    'inbox.proof.sending': 'Dowód wysłania (XML)',
    'inbox.proof.receipt': 'Urzędowe poświadczenie doręczenia, UPD (XML)',
    'inbox.proof.sendingPdf': 'Dowód wysłania (PDF)',
    'inbox.proof.receiptPdf': 'UPD (PDF)',
    'inbox.code.title': 'Potwierdź odbiór kodem',
    'inbox.code.submit': 'Potwierdź odbiór',
    'delivery.error.rejected': 'Nie wysłano pisma. Popraw wskazane pola.',
    'delivery.error.noRecipient':
      'Podaj adresata: identyfikator konta (recipientAccountId) albo PESEL (recipientPesel).',
    'delivery.error.unknownPesel':
      'Nikt z tym numerem PESEL nie ma konta z ważnym profilem zaufanym. Pisma nie wysłano; doręcz je w inny sposób.',
    'delivery.error.unknownAccount': 'Nie ma konta o tym identyfikatorze. Pisma nie wysłano.',
    'delivery.error.title': 'Podaj tytuł pisma (do 300 znaków).',
    'delivery.error.unknownReply': 'Nie ma w tym urzędzie dokumentu, na który ma odpowiadać pismo.',
    'delivery.error.unknownReplyBox': 'Urząd nie ma skrytki na odpowiedzi podanej w adresie odpowiedzi.',
    'delivery.mail.subject': 'Urząd OnLine: czeka na Ciebie pismo — {office}',
    'delivery.mail.text':
      'Masz pismo od: {office} (wysłane {date}). Aby je odczytać, zaloguj się i potwierdź odbiór: {url}\nJeśli nie odbierzesz pisma w ciągu 14 dni, doręczenie uważa się za dokonane.\n',
    'delivery.mail.reminderSubject': 'Urząd OnLine: ponowne zawiadomienie o piśmie — {office}',
    'delivery.mail.reminderText':
      'Ponownie zawiadamiamy: pismo od: {office} (wysłane {date}) nadal czeka na odbiór: {url}\nJeśli nie odbierzesz pisma do {deemed}, doręczenie uważa się za dokonane.\n',
    'delivery.mail.textNotDeemed':
      'Masz pismo od: {office} (wysłane {date}). Aby je odczytać, zaloguj się i potwierdź odbiór: {url}\nMożesz odebrać pismo do {until} włącznie. Po tym dniu urząd odnotuje, że pismo nie zostało odebrane.\n',
    'delivery.mail.reminderTextNotDeemed':
      'Ponownie zawiadamiamy: pismo od: {office} (wysłane {date}) nadal czeka na odbiór: {url}\nMożesz odebrać pismo do {until} włącznie. Po tym dniu urząd odnotuje, że pismo nie zostało odebrane.\n',
  },
  {
    'answer.title': 'Answer to the resident',
    'answer.lead':
      'The letter is delivered to the resident’s account with a proof of sending. The resident opens it after confirming receipt; after 14 days it is deemed delivered.',
    'answer.leadNotDeemed':
      'The letter is delivered to the resident’s account with a proof of sending. The resident opens it after confirming receipt. The office does not apply deemed delivery: if the letter is not collected within 14 days, you will see that it was not collected.',
    'answer.pesel': 'Addressee’s PESEL',
    'answer.peselHint': 'The addressee must have an account with a valid trusted profile.',
    'answer.peselHintSender':
      'Leave empty to answer the sender ({name}). The addressee must have an account.',
    'answer.subject': 'Title of the letter',
    'answer.document': 'Letter (file)',
    'answer.submit': 'Send the answer',
    'answer.list': 'The office’s answers',
    'answer.none': 'The office has not answered yet.',
    'answer.write': 'Write an answer',
    'answer.sentAt': 'Sent {date}',
    'answer.notCollectedSince':
      'Not collected: the 14 days ended {date}. The office does not apply deemed delivery in this box, so the letter is not deemed delivered.',
    'inbox.title': 'My inbox',
    'inbox.address': 'Your box address (offices send letters to it from their systems, as to an ePUAP box):',
    'inbox.link': 'Inbox',
    'inbox.sections': 'Parts of the inbox',
    'inbox.sent': 'Letters sent',
    'inbox.sentLead':
      'Letters you filed, with the official receipt (UPP). Once the office registers a letter, its registration number and status show here.',
    'inbox.lettersLink': 'Write a new letter or return to your drafts (My letters)',
    'inbox.empty': 'You have no letters from offices.',
    'inbox.received': 'Letters received',
    'inbox.col.office': 'Office',
    'inbox.col.sent': 'Sent',
    'inbox.col.letter': 'Letter',
    'inbox.col.status': 'State',
    'inbox.awaits': 'A letter awaits you',
    'inbox.status.awaiting': 'awaiting collection',
    'inbox.status.received': 'received',
    'inbox.status.deemed': 'deemed delivered',
    'inbox.receivedAt': 'Received',
    'inbox.deemedAt': 'Deemed delivered',
    'inbox.confirmLead':
      'The letter opens once you confirm receipt. The office receives an official proof of receipt with its time.',
    'inbox.confirm': 'I confirm receipt of the letter',
    'inbox.collectUntil': 'You can collect the letter until {date} inclusive.',
    'inbox.deemedWarning':
      'If you do not collect it by then, the letter will be deemed delivered at the end of that day (substitute delivery, Article 46 § 4 of the Code of Administrative Procedure) — as if you had collected it.',
    'inbox.notDeemed': 'After that day the office will record that the letter was not collected.',
    'inbox.files': 'Letter and attachments',
    'inbox.proofs': 'Proofs',
    'inbox.proof.sending': 'Proof of sending (XML)',
    'inbox.proof.receipt': 'Official proof of receipt, UPD (XML)',
    'inbox.proof.sendingPdf': 'Proof of sending (PDF)',
    'inbox.proof.receiptPdf': 'UPD (PDF)',
    'inbox.code.title': 'Confirm receipt with a code',
    'inbox.code.submit': 'Confirm receipt',
    'delivery.error.rejected': 'The letter was not sent. Correct the fields shown.',
    'delivery.error.noRecipient':
      'Give the addressee: an account id (recipientAccountId) or a PESEL (recipientPesel).',
    'delivery.error.unknownPesel':
      'Nobody with this PESEL has an account with a valid trusted profile. Nothing was sent; deliver the letter another way.',
    'delivery.error.unknownAccount': 'There is no account with this id. Nothing was sent.',
    'delivery.error.title': 'Give the letter a title (up to 300 characters).',
    'delivery.error.unknownReply': 'This office has no document with that id for the letter to answer.',
    'delivery.error.unknownReplyBox': 'The office has no box for answers at the reply address given.',
    'delivery.mail.subject': 'Urząd OnLine: a letter from {office} awaits you',
    'delivery.mail.text':
      '{office} sent you a letter ({date}). To read it, log in and confirm receipt: {url}\nIf you do not collect it within 14 days, it is deemed delivered.\n',
    'delivery.mail.reminderSubject': 'Urząd OnLine: second notice of a letter from {office}',
    'delivery.mail.reminderText':
      'Second notice: {office} sent you a letter ({date}) that still awaits collection: {url}\nIf you do not collect it by {deemed}, it is deemed delivered.\n',
    'delivery.mail.textNotDeemed':
      '{office} sent you a letter ({date}). To read it, log in and confirm receipt: {url}\nYou can collect it until {until} inclusive. After that day the office will record that the letter was not collected.\n',
    'delivery.mail.reminderTextNotDeemed':
      'Second notice: {office} sent you a letter ({date}) that still awaits collection: {url}\nYou can collect it until {until} inclusive. After that day the office will record that the letter was not collected.\n',
  },
);
