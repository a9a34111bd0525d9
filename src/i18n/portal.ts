import { defineMessages } from './define';

export const portal = defineMessages(
  {
    'home.title': 'Urząd OnLine',
    'home.tagline': 'zapraszamy',
    'home.lead':
      'Urząd OnLine to elektroniczna skrzynka podawcza urzędów. Złożysz tu pismo do urzędu z załącznikami i od razu dostaniesz podpisane urzędowe poświadczenie przedłożenia (UPP), a odpowiedzi urzędu odbierzesz z prawnym dowodem doręczenia.',
    'home.offices.heading': 'Urzędy w serwisie',
    'home.offices.none':
      'Żaden urząd nie jest jeszcze skonfigurowany. Administrator może dodać dane przykładowe poleceniem „npm run cli -- demo”.',
    'home.offices.howTo': 'Jak doręczyć dokumenty elektroniczne',
    'home.residents.heading': 'Dla mieszkańców',
    'home.residents.text':
      'Załóż konto, złóż wniosek o profil zaufany i potwierdź go w punkcie potwierdzającym. Potem możesz składać podania, żądania, wyjaśnienia, odwołania i zażalenia bez wychodzenia z domu.',
    'home.business.heading': 'Dla przedsiębiorców',
    'home.business.text':
      'Złóż pismo w imieniu firmy, odbieraj korespondencję urzędu z dowodem doręczenia, a systemy kancelaryjne połącz z urzędem przez API zamiast ręcznego przesyłania plików.',
    'home.highlight.business':
      'Pokazujemy najpierw usługi dla przedsiębiorców, bo tak odpowiedziano w ankiecie.',
    'home.highlight.residents':
      'Pokazujemy najpierw usługi dla mieszkańców, bo tak odpowiedziano w ankiecie.',
    'home.instructions.heading': 'Instrukcje',
    'home.verify.heading': 'Sprawdź poświadczenie',
    'home.verify.text':
      'Każde poświadczenie wydane przez serwis jest podpisane pieczęcią urzędu i można je sprawdzić samodzielnie.',
    'poll.question': 'Czy jesteś przedsiębiorcą?',
    'poll.yes': 'TAK',
    'poll.no': 'NIE',
    'poll.submit': 'Odpowiedz',
    'poll.hint': 'Ankieta jest anonimowa. Odpowiedź pozwala pokazać najpierw usługi, które są dla Ciebie.',
    'poll.thanks': 'Dziękujemy za odpowiedź.',
    'poll.already':
      'Twoja odpowiedź z tej przeglądarki została już zapisana. Liczymy jedną odpowiedź na przeglądarkę.',
    'poll.answered': 'Odpowiedziano: {answer}.',
    'poll.error.answer': 'Wybierz TAK albo NIE',
    'poll.error.title': 'Nie zapisano odpowiedzi',
    'esp.title': 'Elektroniczna Skrzynka Podawcza',
    'esp.heading': 'Sposób doręczania dokumentów elektronicznych do: {office}',
    'esp.legal.heading': 'Podstawa prawna',
    'esp.legal.text':
      'Zgodnie z art. 63 § 1 Kodeksu postępowania administracyjnego złożenie podania (żądania, wyjaśnienia, odwołania, zażalenia) może nastąpić za pomocą środków komunikacji elektronicznej przez elektroniczną skrzynkę podawczą organu administracji publicznej, utworzoną na podstawie ustawy z dnia 17 lutego 2005 r. o informatyzacji działalności podmiotów realizujących zadania publiczne.',
    'esp.addresses.heading': 'Adresy skrzynek',
    'esp.addresses.here': 'Adres skrzynki w serwisie Urząd OnLine',
    'esp.addresses.elsewhere': 'Adres na platformie {platform}',
    'esp.office.heading': 'Dane urzędu',
    'esp.office.name': 'Nazwa',
    'esp.office.address': 'Adres',
    'esp.office.email': 'E-mail',
    'esp.office.phone': 'Telefon',
    'esp.size.heading': 'Maksymalny rozmiar',
    'esp.size.text':
      'Maksymalny rozmiar dokumentu elektronicznego wraz z załącznikami, możliwy do doręczenia za pomocą elektronicznej skrzynki podawczej, to {size}.',
    'esp.formats.heading': 'Akceptowane formaty',
    'esp.formats.text':
      'Urząd przyjmuje dokumenty w formatach określonych w załączniku nr 2 do rozporządzenia w sprawie Krajowych Ram Interoperacyjności. Sprawdzamy, czy zawartość pliku zgadza się z jego rozszerzeniem: plik „.pdf”, który nie jest dokumentem PDF, zostanie odrzucony.',
    'esp.formats.extensions': 'Rozszerzenia',
    'esp.formats.format': 'Format',
    'esp.prepare.heading': 'Jak przygotować dokument',
    'esp.prepare.text':
      'Najprościej wypełnić pismo ogólne do urzędu w serwisie: treść wpisujesz w formularzu, dołączasz załączniki, a przed wysłaniem podpisujesz pismo profilem zaufanym. Możesz też złożyć dokument przygotowany wcześniej (np. PDF lub plik podpisany podpisem kwalifikowanym w formacie XAdES lub PAdES) z załącznikami.\n\nPo złożeniu od razu otrzymasz urzędowe poświadczenie przedłożenia (UPP): dokument XML podpisany pieczęcią urzędu, z datą wpływu i skrótami SHA-256 każdego pliku. Zachowaj je — to dowód, że urząd otrzymał dokładnie te pliki.',
    'esp.instructions.heading': 'Instrukcje',
    'instructions.title': 'Instrukcje',
    'instructions.lead': 'Krok po kroku: od założenia konta do podpisania pisma profilem zaufanym.',
    'instructions.account.title': 'Zakładanie konta użytkownika',
    'instructions.account.body':
      'Wybierz „Załóż konto”. Podaj adres e-mail, imię i nazwisko oraz hasło — co najmniej 12 znaków. Nie używaj hasła, którego używasz w innych serwisach; popularne hasła odrzucimy.\n\nZaakceptuj regulamin i wyślij formularz. Na podany adres wyślemy wiadomość z linkiem potwierdzającym. Link działa jeden raz. Po jego otwarciu konto jest aktywne i możesz się zalogować.\n\nW ustawieniach konta możesz włączyć drugi składnik logowania (aplikacja z kodami jednorazowymi, TOTP). Zapisz wtedy kody odzyskiwania w bezpiecznym miejscu.',
    'instructions.profile.title': 'Profil zaufany i logowanie przez login.gov.pl',
    'instructions.profile.body':
      'Profil zaufany zakładasz w serwisie państwowym pz.gov.pl, a nie w tym serwisie. Najszybciej założysz go przez bankowość elektroniczną albo e-dowodem. Jeśli składasz wniosek bez banku, w ciągu 14 dni przyjdź z dowodem osobistym lub paszportem do punktu potwierdzającego — listę punktów urzędu znajdziesz w menu „Punkty potwierdzające”.\n\nZ profilem zaufanym, e-dowodem albo bankiem logujesz się tutaj przyciskiem „Użyj login.gov.pl” na stronie logowania. Pismo wysłane po takim logowaniu jest uwierzytelnione i nie wymaga osobnego podpisu; urzędowe poświadczenie odbioru podaje, jak Cię uwierzytelniono.\n\nProfil zaufany jest ważny 3 lata; przedłużasz go w serwisie pz.gov.pl.',
    'instructions.signing.title': 'Uwierzytelnienie i podpisywanie pism',
    'instructions.signing.body':
      'Pismo wysłane po zalogowaniu przez login.gov.pl (profilem zaufanym, e-dowodem albo bankiem) jest uwierzytelnione w rozumieniu KPA i nie wymaga osobnego podpisu. Urzędowe poświadczenie przedłożenia (UPP) podaje, jak Cię uwierzytelniono — w formacie XML i jako PDF z kodem QR prowadzącym do strony weryfikacji.\n\nJeśli chcesz pismo podpisać, podpisz plik własnym podpisem: kwalifikowanym, zaufanym (w serwisie gov.pl) albo osobistym (e-dowodem). Podpisany plik wyślij jako gotowy dokument; urząd zobaczy wynik sprawdzenia podpisu.\n\nNa instalacjach zamkniętych, które prowadzą własny rejestr profili, pismo można też potwierdzić kodem jednorazowym przyciskiem „Podpisz profilem zaufanym”; taki podpis nie jest podpisem zaufanym systemu ePUAP.',
    'points.title': 'Punkty potwierdzające profil zaufany',
    'points.lead':
      'W tych punktach potwierdzisz swoją tożsamość i aktywujesz profil zaufany. Zabierz ze sobą dowód osobisty lub paszport.',
    'points.name': 'Punkt',
    'points.address': 'Adres',
    'points.hours': 'Godziny otwarcia',
    'points.phone': 'Telefon',
    'points.none': 'Lista punktów potwierdzających jest pusta.',
    'cookies.title': 'Pliki cookies',
    'cookies.banner.label': 'Pliki cookies w serwisie Urząd OnLine',
    'cookies.banner.heading': 'Pliki cookies w serwisie Urząd OnLine',
    'cookies.banner.text':
      'Używamy niezbędnych plików cookies, aby serwis działał i był bezpieczny. Chcielibyśmy też zapisać dodatkowe pliki cookies: zapamiętać wybrany język na kolejne wizyty i odpowiedź w ankiecie na dłużej niż jedną wizytę.',
    'cookies.banner.accept': 'Akceptuję dodatkowe pliki cookies',
    'cookies.banner.decline': 'Odrzucam dodatkowe pliki cookies',
    'cookies.banner.more': 'Zobacz, jakich plików cookies używamy',
    'cookies.lead':
      'Pliki cookies to małe pliki zapisywane w przeglądarce. Nie używamy plików cookies reklamowych ani zewnętrznych narzędzi statystycznych.',
    'cookies.necessary.heading': 'Niezbędne pliki cookies',
    'cookies.necessary.text':
      'Te pliki są potrzebne, aby serwis działał i był bezpieczny. Nie wymagają zgody.',
    'cookies.optional.heading': 'Dodatkowe pliki cookies (za zgodą)',
    'cookies.optional.text':
      'Te pliki zapisujemy na dłużej tylko wtedy, gdy zaakceptujesz dodatkowe pliki cookies w komunikacie albo poniżej. Bez zgody plik ankiety znika po zamknięciu przeglądarki, a plik języka nie jest zapisywany.',
    'cookies.table.name': 'Nazwa',
    'cookies.table.purpose': 'Cel',
    'cookies.table.expires': 'Ważność',
    'cookies.csrf.purpose': 'Chroni formularze przed wysłaniem z innej strony (CSRF).',
    'cookies.consent.purpose': 'Zapamiętuje Twoją decyzję w sprawie plików cookies.',
    'cookies.lang.purpose': 'Zapamiętuje wybrany język do końca wizyty.',
    'cookies.poll.purpose':
      'Zapisywany dopiero po odpowiedzi w ankiecie na stronie głównej: losowy identyfikator przeglądarki i odpowiedź, aby liczyć jedną odpowiedź na przeglądarkę. Nie zawiera danych osobowych.',
    'cookies.session.purpose': 'Utrzymuje zalogowanie.',
    'cookies.prefs.purpose': 'Zapamiętuje wybrany język na kolejne wizyty.',
    'cookies.expires.session': 'do zamknięcia przeglądarki',
    'cookies.expires.year': '1 rok',
    'cookies.expires.pollYear': '1 rok za zgodą; bez zgody do zamknięcia przeglądarki',
    'cookies.expires.minutes': '15 minut',
    'cookies.loginGovPl.purpose':
      'Łączy powrót z login.gov.pl z logowaniem, które rozpocząłeś (tylko w czasie logowania przez login.gov.pl).',
    'cookies.confirm.accepted': 'Dodatkowe pliki cookies zostały zaakceptowane.',
    'cookies.confirm.declined': 'Dodatkowe pliki cookies zostały odrzucone.',
    'cookies.confirm.change': 'Ustawienia plików cookies możesz zmienić w każdej chwili.',
    'cookies.confirm.changeLink': 'Zmień ustawienia plików cookies',
    'cookies.stats.text': 'Serwis nie zbiera statystyk odwiedzin.',
    'cookies.choice.legend': 'Czy akceptujesz dodatkowe pliki cookies?',
    'cookies.choice.yes': 'Tak, akceptuję dodatkowe pliki cookies',
    'cookies.choice.no': 'Nie, odrzucam dodatkowe pliki cookies',
    'cookies.choice.save': 'Zapisz ustawienia',
    'cookies.choice.current.accepted': 'Obecnie: dodatkowe pliki cookies zaakceptowane.',
    'cookies.choice.current.declined': 'Obecnie: dodatkowe pliki cookies odrzucone.',
    'cookies.choice.current.none': 'Obecnie: nie podjęto decyzji.',
    'cookies.saved': 'Zapisaliśmy Twoje ustawienia plików cookies.',
    'cookies.error.consent': 'Wybierz, czy akceptujesz dodatkowe pliki cookies',
  },
  {
    'home.title': 'Urząd OnLine',
    'home.tagline': 'welcome',
    'home.lead':
      "Urząd OnLine is the electronic submission box of public offices. File a letter with attachments to an office and get a signed official submission receipt (UPP) at once; receive the office's answers with legal proof of delivery.",
    'home.offices.heading': 'Offices on this service',
    'home.offices.none':
      'No office has been set up yet. An administrator can add demo data with “npm run cli -- demo”.',
    'home.offices.howTo': 'How to deliver electronic documents',
    'home.residents.heading': 'For residents',
    'home.residents.text':
      'Create an account, apply for a trusted profile and have it confirmed at a confirmation point. Then file requests, demands, explanations, appeals and complaints from home.',
    'home.business.heading': 'For businesses',
    'home.business.text':
      "File letters on behalf of your company, receive the office's correspondence with proof of delivery, and connect your document management system to the office through the API instead of moving files by hand.",
    'home.highlight.business':
      'Services for businesses come first because that is how the poll was answered.',
    'home.highlight.residents':
      'Services for residents come first because that is how the poll was answered.',
    'home.instructions.heading': 'Instructions',
    'home.verify.heading': 'Verify a receipt',
    'home.verify.text':
      'Every receipt this service issues is sealed by the office and can be checked by anyone.',
    'poll.question': 'Are you an entrepreneur?',
    'poll.yes': 'YES',
    'poll.no': 'NO',
    'poll.submit': 'Answer',
    'poll.hint': 'The poll is anonymous. Your answer lets us show the services meant for you first.',
    'poll.thanks': 'Thank you for your answer.',
    'poll.already': 'An answer from this browser has already been recorded. We count one answer per browser.',
    'poll.answered': 'Answered: {answer}.',
    'poll.error.answer': 'Select YES or NO',
    'poll.error.title': 'Your answer was not recorded',
    'esp.title': 'Electronic submission box',
    'esp.heading': 'How to deliver electronic documents to: {office}',
    'esp.legal.heading': 'Legal basis',
    'esp.legal.text':
      'Under art. 63 § 1 of the Code of Administrative Procedure, a request (demand, explanation, appeal, complaint) may be filed by electronic means through the electronic submission box of a public administration body, set up under the act of 17 February 2005 on the computerisation of entities performing public tasks.',
    'esp.addresses.heading': 'Box addresses',
    'esp.addresses.here': 'Box address on Urząd OnLine',
    'esp.addresses.elsewhere': 'Address on {platform}',
    'esp.office.heading': 'Office details',
    'esp.office.name': 'Name',
    'esp.office.address': 'Address',
    'esp.office.email': 'Email',
    'esp.office.phone': 'Phone',
    'esp.size.heading': 'Maximum size',
    'esp.size.text':
      'The maximum size of an electronic document together with its attachments that can be delivered through the electronic submission box is {size}.',
    'esp.formats.heading': 'Accepted formats',
    'esp.formats.text':
      'The office accepts documents in the formats listed in annex 2 to the National Interoperability Framework regulation. We check that the content of each file matches its extension: a “.pdf” file that is not a PDF document is rejected.',
    'esp.formats.extensions': 'Extensions',
    'esp.formats.format': 'Format',
    'esp.prepare.heading': 'How to prepare a document',
    'esp.prepare.text':
      'The simplest way is to fill in a general letter to the office on this service: write the text in the form, add attachments, and sign the letter with your trusted profile before sending. You can also file a document prepared elsewhere (for example a PDF, or a file with a qualified signature in XAdES or PAdES format) with attachments.\n\nAs soon as you file, you get an official submission receipt (UPP): an XML document sealed by the office, with the time of entry and the SHA-256 digest of every file. Keep it: it proves that the office received exactly those files.',
    'esp.instructions.heading': 'Instructions',
    'instructions.title': 'Instructions',
    'instructions.lead':
      'Step by step: from creating an account to signing a letter with your trusted profile.',
    'instructions.account.title': 'Creating an account',
    'instructions.account.body':
      'Choose “Create an account”. Enter your email address, your name and a password of at least 12 characters. Do not reuse a password from another service; common passwords are refused.\n\nAccept the terms and send the form. We email you a confirmation link, which works once. When you open it, your account is active and you can sign in.\n\nIn your account settings you can turn on a second sign-in factor (an authenticator app with one-time codes, TOTP). Keep the recovery codes somewhere safe when you do.',
    'instructions.profile.title': 'The trusted profile and logging in through login.gov.pl',
    'instructions.profile.body':
      'You set up a trusted profile at the state service pz.gov.pl, not on this site. The quickest way is through online banking or with your e-ID card. If you apply without a bank, bring your identity card or passport to a confirmation point within 14 days — the office’s points are listed under “Confirmation points” in the menu.\n\nWith the trusted profile, your e-ID card or your bank you log in here with the “Use login.gov.pl” button on the login page. A letter sent after such a login is authenticated and needs no separate signature; the official receipt states how you were authenticated.\n\nA trusted profile is valid for 3 years; you extend it at pz.gov.pl.',
    'instructions.signing.title': 'Authentication and signing letters',
    'instructions.signing.body':
      'A letter sent after logging in through login.gov.pl (with the trusted profile, the e-ID card or your bank) is authenticated in the sense of the Code of Administrative Procedure and needs no separate signature. The official submission receipt (UPP) states how you were authenticated — as XML and as a PDF with a QR code leading to the verification page.\n\nIf you want to sign the letter, sign the file with your own signature: qualified, trusted (at gov.pl) or personal (with the e-ID card). Send the signed file as a ready document; the office sees the result of the signature check.\n\nOn closed installations that keep their own register of profiles, a letter can also be confirmed with a one-time code using “Sign with trusted profile”; such a signature is not the trusted signature of the ePUAP system.',
    'points.title': 'Trusted profile confirmation points',
    'points.lead':
      'At these points you confirm your identity and activate your trusted profile. Bring your identity card or passport.',
    'points.name': 'Point',
    'points.address': 'Address',
    'points.hours': 'Opening hours',
    'points.phone': 'Phone',
    'points.none': 'The list of confirmation points is empty.',
    'cookies.title': 'Cookies',
    'cookies.banner.label': 'Cookies on Urząd OnLine',
    'cookies.banner.heading': 'Cookies on Urząd OnLine',
    'cookies.banner.text':
      'We use strictly necessary cookies to make this service work and keep it secure. We would also like to set additional cookies: to remember your chosen language for later visits and your poll answer beyond one visit.',
    'cookies.banner.accept': 'Accept additional cookies',
    'cookies.banner.decline': 'Reject additional cookies',
    'cookies.banner.more': 'View the cookies we use',
    'cookies.lead':
      'Cookies are small files saved in your browser. We use no advertising cookies and no third-party analytics.',
    'cookies.necessary.heading': 'Strictly necessary cookies',
    'cookies.necessary.text':
      'These cookies make the service work and keep it secure. They do not need consent.',
    'cookies.optional.heading': 'Additional cookies (with your consent)',
    'cookies.optional.text':
      'We keep these cookies longer only if you accept additional cookies on the notice or below. Without consent the poll cookie is deleted when you close the browser and the language cookie is not set.',
    'cookies.table.name': 'Name',
    'cookies.table.purpose': 'Purpose',
    'cookies.table.expires': 'Expires',
    'cookies.csrf.purpose': 'Protects forms from being sent from another site (CSRF).',
    'cookies.consent.purpose': 'Remembers your cookie choice.',
    'cookies.lang.purpose': 'Remembers your chosen language until the end of your visit.',
    'cookies.poll.purpose':
      'Set only once you answer the poll on the home page: a random browser identifier and your answer, so that we count one answer per browser. It holds no personal data.',
    'cookies.session.purpose': 'Keeps you signed in.',
    'cookies.prefs.purpose': 'Remembers your chosen language for later visits.',
    'cookies.expires.session': 'when you close the browser',
    'cookies.expires.year': '1 year',
    'cookies.expires.pollYear': '1 year with consent; without consent until you close the browser',
    'cookies.expires.minutes': '15 minutes',
    'cookies.loginGovPl.purpose':
      'Links the return from login.gov.pl to the login you started (only while logging in through login.gov.pl).',
    'cookies.confirm.accepted': 'You have accepted additional cookies.',
    'cookies.confirm.declined': 'You have rejected additional cookies.',
    'cookies.confirm.change': 'You can change your cookie settings at any time.',
    'cookies.confirm.changeLink': 'Change your cookie settings',
    'cookies.stats.text': 'This service collects no visit statistics.',
    'cookies.choice.legend': 'Do you accept additional cookies?',
    'cookies.choice.yes': 'Yes, accept additional cookies',
    'cookies.choice.no': 'No, reject additional cookies',
    'cookies.choice.save': 'Save cookie settings',
    'cookies.choice.current.accepted': 'Currently: additional cookies accepted.',
    'cookies.choice.current.declined': 'Currently: additional cookies rejected.',
    'cookies.choice.current.none': 'Currently: no choice made.',
    'cookies.saved': 'Your cookie settings have been saved.',
    'cookies.error.consent': 'Select whether you accept additional cookies',
  },
);
