import { defineMessages } from './define';

/** The accessibility statement, the privacy notice and the terms (docs/legal-pages.md). */
export const legal = defineMessages(
  {
    'layout.footer.accessibility': 'Deklaracja dostępności',
    'layout.footer.privacy': 'Ochrona danych osobowych',
    'layout.footer.terms': 'Regulamin',
    'register.terms.read': 'Przeczytaj regulamin i informację o ochronie danych osobowych.',
    'register.terms.link': 'Regulamin',
    'register.privacy.link': 'Informacja o ochronie danych osobowych',

    'legal.notGiven': 'nie podano',
    'legal.contact.name': 'Osoba kontaktowa',
    'legal.contact.email': 'Adres e-mail',
    'legal.contact.phone': 'Telefon',

    'a11y.title': 'Deklaracja dostępności',
    'a11y.officeLink': 'Deklaracja dostępności urzędu',
    'a11y.intro':
      '{entity} zobowiązuje się zapewnić dostępność swojej strony internetowej zgodnie z ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych. Deklaracja dostępności dotyczy strony internetowej {site}.',
    'a11y.dates.heading': 'Daty publikacji i aktualizacji',
    'a11y.dates.published': 'Data publikacji strony internetowej: {date}.',
    'a11y.dates.updated': 'Data ostatniej istotnej aktualizacji: {date}.',
    'a11y.status.heading': 'Stan dostępności cyfrowej',
    'a11y.status.text':
      'Strona internetowa jest częściowo zgodna z ustawą o dostępności cyfrowej z powodu niezgodności lub wyłączeń wymienionych poniżej.',
    'a11y.status.exclusions': 'Treści niedostępne',
    'a11y.status.attachments':
      'Pliki dołączane przez nadawców do pism (np. skany w PDF) mogą nie być dostępne cyfrowo: pochodzą od osób trzecich i nie są przez nas wytwarzane ani zmieniane (art. 3 ust. 2 pkt 2 ustawy).',
    'a11y.status.signatures':
      'Dokumenty XML podpisane elektronicznie pokazujemy w postaci źródłowej: zmiana ich postaci naruszyłaby podpis.',
    'a11y.prepared.heading': 'Przygotowanie deklaracji dostępności',
    'a11y.prepared.date': 'Deklarację sporządzono dnia: {date}.',
    'a11y.prepared.method':
      'Deklarację sporządzono na podstawie samooceny przeprowadzonej przez podmiot publiczny, wspartej automatycznymi testami każdej strony serwisu (axe-core) przy szerokości 390 i 1280 pikseli, w obu językach.',
    'a11y.contact.heading': 'Informacje zwrotne i dane kontaktowe',
    'a11y.contact.text':
      'W przypadku problemów z dostępnością strony internetowej prosimy o kontakt. Tą samą drogą można składać wnioski o udostępnienie informacji niedostępnej oraz składać żądania zapewnienia dostępności.',
    'a11y.procedure.heading': 'Procedura wnioskowo-skargowa',
    'a11y.procedure.request':
      'Każdy ma prawo do wystąpienia z żądaniem zapewnienia dostępności cyfrowej strony internetowej lub jakiegoś jej elementu. Można także zażądać udostępnienia informacji za pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu, opisanie zawartości filmu bez audiodeskrypcji itp. Żądanie powinno zawierać dane osoby zgłaszającej żądanie, wskazanie, o którą stronę internetową chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także określić dogodny dla niej sposób przedstawienia tej informacji.',
    'a11y.procedure.terms':
      'Podmiot publiczny zrealizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni od dnia wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny niezwłocznie informuje o tym wnoszącego żądanie, kiedy realizacja żądania będzie możliwa, przy czym termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować alternatywny sposób dostępu do informacji.',
    'a11y.procedure.complaint':
      'W przypadku, gdy podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć skargę w sprawie zapewniania dostępności cyfrowej strony internetowej lub jakiegoś jej elementu. Po wyczerpaniu tej procedury można także złożyć wniosek do Rzecznika Praw Obywatelskich.',
    'a11y.procedure.rpo': 'Strona internetowa Rzecznika Praw Obywatelskich',
    'a11y.building.heading': 'Dostępność architektoniczna',
    'a11y.building.office':
      'Siedziba: {office}, {address}. Informacje o wejściu, windach, toaletach i pętli indukcyjnej udziela urząd pod podanymi niżej danymi kontaktowymi.',
    'a11y.building.none':
      'Serwis działa wyłącznie w internecie; dostępność budynków urzędów opisują ich deklaracje dostępności.',
    'a11y.building.offices': 'Deklaracje dostępności urzędów korzystających z serwisu:',
    'a11y.apps.heading': 'Aplikacje mobilne',
    'a11y.apps.text': 'Serwis nie udostępnia aplikacji mobilnych.',

    'privacy.title': 'Informacja o ochronie danych osobowych',
    'privacy.intro':
      'Zgodnie z art. 13 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia 2016 r. (RODO) informujemy, jak przetwarzamy Twoje dane osobowe, gdy składasz pismo lub odbierasz pismo w serwisie {site}.',
    'privacy.controller.heading': 'Administrator danych',
    'privacy.controller.office': 'Administratorem Twoich danych jest {office}, {address}.',
    'privacy.controller.installation':
      'Administratorem danych konta w serwisie jest podmiot prowadzący serwis {site}. Administratorem danych zawartych w piśmie jest urząd, do którego je składasz: zobacz informację danego urzędu.',
    'privacy.dpo.heading': 'Inspektor ochrony danych',
    'privacy.dpo.text': 'Z inspektorem ochrony danych możesz się skontaktować pod adresem e-mail: {email}.',
    'privacy.dpo.none':
      'W sprawach ochrony danych możesz się skontaktować z administratorem pod danymi podanymi wyżej.',
    'privacy.purposes.heading': 'Cele i podstawy prawne przetwarzania',
    'privacy.purposes.filing':
      'Przyjęcie, zarejestrowanie i załatwienie Twojego pisma oraz wydanie poświadczenia przedłożenia – na podstawie art. 6 ust. 1 lit. c RODO w związku z art. 63 i 391 Kodeksu postępowania administracyjnego oraz ustawą z dnia 17 lutego 2005 r. o informatyzacji działalności podmiotów realizujących zadania publiczne.',
    'privacy.purposes.delivery':
      'Doręczanie pism elektronicznie i potwierdzanie ich odbioru – na podstawie art. 6 ust. 1 lit. c RODO w związku z art. 46 Kodeksu postępowania administracyjnego.',
    'privacy.purposes.account':
      'Prowadzenie Twojego konta i zapewnienie bezpieczeństwa serwisu (dziennik zdarzeń, ochrona przed nadużyciami) – na podstawie art. 6 ust. 1 lit. e RODO.',
    'privacy.recipients.heading': 'Odbiorcy danych',
    'privacy.recipients.text':
      'Dane mogą otrzymać wyłącznie podmioty uprawnione na podstawie przepisów prawa oraz podmioty przetwarzające dane na zlecenie administratora (dostawca usług hostingowych i poczty elektronicznej) na podstawie umowy powierzenia.',
    'privacy.retention.heading': 'Okres przechowywania',
    'privacy.retention.text':
      'Pisma i poświadczenia przechowujemy przez okres wynikający z jednolitego rzeczowego wykazu akt i ustawy z dnia 14 lipca 1983 r. o narodowym zasobie archiwalnym i archiwach. Dane konta przechowujemy do jego usunięcia, a dziennik zdarzeń bezpieczeństwa – przez okres wskazany w dokumentacji serwisu.',
    'privacy.rights.heading': 'Twoje prawa',
    'privacy.rights.text':
      'Masz prawo dostępu do swoich danych, ich sprostowania, ograniczenia przetwarzania oraz – gdy przetwarzanie odbywa się na podstawie art. 6 ust. 1 lit. e RODO – prawo sprzeciwu. Prawo do usunięcia danych nie przysługuje, gdy przetwarzanie jest niezbędne do wywiązania się z obowiązku prawnego.',
    'privacy.complaint.heading': 'Skarga do organu nadzorczego',
    'privacy.complaint.text':
      'Masz prawo wnieść skargę do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, 00-193 Warszawa), jeśli uważasz, że przetwarzanie Twoich danych narusza przepisy RODO.',
    'privacy.required.heading': 'Czy musisz podać dane',
    'privacy.required.text':
      'Podanie danych jest wymogiem ustawowym, gdy składasz pismo w sprawie (art. 63 § 2 Kodeksu postępowania administracyjnego): bez nich urząd nie może nadać pismu biegu. Podanie danych do założenia konta jest dobrowolne, ale bez nich nie założysz konta.',
    'privacy.automated':
      'Twoje dane nie są wykorzystywane do zautomatyzowanego podejmowania decyzji ani profilowania.',

    'terms.title': 'Regulamin',
    'terms.service.heading': 'Czym jest serwis',
    'terms.service.text':
      '{site} to elektroniczna skrzynka podawcza urzędów w rozumieniu ustawy z dnia 17 lutego 2005 r. o informatyzacji działalności podmiotów realizujących zadania publiczne. Pozwala złożyć pismo do urzędu, otrzymać poświadczenie przedłożenia oraz odbierać pisma od urzędów.',
    'terms.users.heading': 'Kto może korzystać',
    'terms.users.text':
      'Z serwisu może korzystać każdy: osoby fizyczne, przedsiębiorcy i instytucje. Założenie konta jest bezpłatne. Urzędnicy korzystają z serwisu w zakresie nadanych im ról.',
    'terms.requirements.heading': 'Wymagania techniczne',
    'terms.requirements.text':
      'Potrzebujesz urządzenia z dostępem do internetu, aktualnej przeglądarki internetowej i adresu e-mail. JavaScript nie jest wymagany. Pismo, które wymaga podpisu, podpisz profilem zaufanym, podpisem osobistym albo kwalifikowanym podpisem elektronicznym.',
    'terms.receipts.heading': 'Poświadczenia i ich moc prawna',
    'terms.receipts.text':
      'Po złożeniu pisma serwis wydaje urzędowe poświadczenie przedłożenia (UPP) opatrzone pieczęcią elektroniczną urzędu. Datą złożenia pisma jest data wskazana w poświadczeniu (art. 61 § 3a Kodeksu postępowania administracyjnego). Po odbiorze pisma od urzędu serwis wydaje urzędowe poświadczenie doręczenia (UPD). Poświadczenie można sprawdzić na stronie „Weryfikacja poświadczenia”.',
    'terms.liability.heading': 'Odpowiedzialność',
    'terms.liability.text':
      'Za treść pisma odpowiada jego nadawca. Prowadzący serwis dokłada starań, by serwis działał bez przerw; o planowanych przerwach informuje z wyprzedzeniem. Jeśli serwis nie działał w ostatnim dniu terminu, zachowaj dowód i powołaj się na niego w urzędzie.',
    'terms.contact.heading': 'Kontakt',
    'terms.contact.text': 'Pytania o działanie serwisu kieruj do prowadzącego serwis:',
  },
  {
    'layout.footer.accessibility': 'Accessibility statement',
    'layout.footer.privacy': 'Personal data protection',
    'layout.footer.terms': 'Terms of use',
    'register.terms.read': 'Read the terms of use and the personal data protection notice.',
    'register.terms.link': 'Terms of use',
    'register.privacy.link': 'Personal data protection notice',

    'legal.notGiven': 'not given',
    'legal.contact.name': 'Contact person',
    'legal.contact.email': 'E-mail address',
    'legal.contact.phone': 'Telephone',

    'a11y.title': 'Accessibility statement',
    'a11y.officeLink': 'The office’s accessibility statement',
    'a11y.intro':
      '{entity} is committed to making its website accessible in accordance with the Act of 4 April 2019 on the digital accessibility of websites and mobile applications of public sector bodies. This accessibility statement applies to the website {site}.',
    'a11y.dates.heading': 'Dates of publication and update',
    'a11y.dates.published': 'Date of publication of the website: {date}.',
    'a11y.dates.updated': 'Date of the last significant update: {date}.',
    'a11y.status.heading': 'Compliance status',
    'a11y.status.text':
      'This website is partially compliant with the Act on digital accessibility due to the non-compliances or exemptions listed below.',
    'a11y.status.exclusions': 'Non-accessible content',
    'a11y.status.attachments':
      'Files that senders attach to their letters (for example scanned PDFs) may not be accessible: they come from third parties and are neither produced nor changed by us (Article 3(2)(2) of the Act).',
    'a11y.status.signatures':
      'Electronically signed XML documents are shown in their source form: changing their form would break the signature.',
    'a11y.prepared.heading': 'Preparation of this accessibility statement',
    'a11y.prepared.date': 'This statement was prepared on {date}.',
    'a11y.prepared.method':
      'The statement was prepared on the basis of a self-assessment carried out by the public body, supported by automated tests of every page of the service (axe-core) at 390 and 1280 pixels wide, in both languages.',
    'a11y.contact.heading': 'Feedback and contact information',
    'a11y.contact.text':
      'If you have problems with the accessibility of this website, please contact us. The same way you may request information that is not accessible and demand that accessibility be ensured.',
    'a11y.procedure.heading': 'Request and complaint procedure',
    'a11y.procedure.request':
      'Everyone has the right to demand that the digital accessibility of the website or any of its elements be ensured. You may also request that information be made available by an alternative means of access, for example by reading out a document that is not accessible or by describing a video without audio description. The demand should include the details of the person making it, the website concerned and how to contact that person. If you need the information by an alternative means of access, also say which form suits you.',
    'a11y.procedure.terms':
      'The public body will meet the demand without delay and no later than 7 days from the day it was made. If this is not possible, the public body will tell you without delay when it will be possible, which may not be later than 2 months from the day of the demand. If accessibility cannot be ensured, the public body may offer an alternative means of access to the information.',
    'a11y.procedure.complaint':
      'If the public body refuses to ensure accessibility or an alternative means of access, you may file a complaint about the digital accessibility of the website or any of its elements. After that procedure you may also apply to the Commissioner for Human Rights (Rzecznik Praw Obywatelskich).',
    'a11y.procedure.rpo': 'Website of the Commissioner for Human Rights',
    'a11y.building.heading': 'Accessibility of the building',
    'a11y.building.office':
      'Seat: {office}, {address}. The office gives information about the entrance, lifts, toilets and induction loop at the contact details below.',
    'a11y.building.none':
      'The service is online only; the accessibility of the offices’ buildings is described in their statements.',
    'a11y.building.offices': 'Accessibility statements of the offices using the service:',
    'a11y.apps.heading': 'Mobile applications',
    'a11y.apps.text': 'The service provides no mobile applications.',

    'privacy.title': 'Personal data protection notice',
    'privacy.intro':
      'In accordance with Article 13 of Regulation (EU) 2016/679 of the European Parliament and of the Council of 27 April 2016 (GDPR) we explain how we process your personal data when you file or collect a letter on {site}.',
    'privacy.controller.heading': 'Controller',
    'privacy.controller.office': 'The controller of your data is {office}, {address}.',
    'privacy.controller.installation':
      'The controller of your account data is the body running {site}. The controller of the data in a letter is the office you file it with: see that office’s notice.',
    'privacy.dpo.heading': 'Data protection officer',
    'privacy.dpo.text': 'You can contact the data protection officer by e-mail: {email}.',
    'privacy.dpo.none': 'On data protection matters you can contact the controller at the details above.',
    'privacy.purposes.heading': 'Purposes and legal bases of processing',
    'privacy.purposes.filing':
      'Receiving, registering and dealing with your letter and issuing the official receipt – under Article 6(1)(c) GDPR in connection with Articles 63 and 391 of the Code of Administrative Procedure and the Act of 17 February 2005 on the computerisation of the activities of entities performing public tasks.',
    'privacy.purposes.delivery':
      'Delivering letters electronically and confirming their receipt – under Article 6(1)(c) GDPR in connection with Article 46 of the Code of Administrative Procedure.',
    'privacy.purposes.account':
      'Running your account and keeping the service secure (event log, protection against abuse) – under Article 6(1)(e) GDPR.',
    'privacy.recipients.heading': 'Recipients',
    'privacy.recipients.text':
      'The data may be received only by bodies entitled by law and by processors acting for the controller (hosting and e-mail providers) under a data processing agreement.',
    'privacy.retention.heading': 'Retention',
    'privacy.retention.text':
      'Letters and receipts are kept for the period set by the office’s filing plan (jednolity rzeczowy wykaz akt) and the Act of 14 July 1983 on the national archival resource and archives. Account data is kept until the account is deleted, and the security event log for the period stated in the service’s documentation.',
    'privacy.rights.heading': 'Your rights',
    'privacy.rights.text':
      'You have the right of access to your data, to rectification, to restriction of processing and – where processing is based on Article 6(1)(e) GDPR – to object. The right to erasure does not apply where processing is necessary to comply with a legal obligation.',
    'privacy.complaint.heading': 'Complaint to the supervisory authority',
    'privacy.complaint.text':
      'You have the right to lodge a complaint with the President of the Personal Data Protection Office (Prezes Urzędu Ochrony Danych Osobowych, ul. Stawki 2, 00-193 Warszawa) if you believe that the processing of your data infringes the GDPR.',
    'privacy.required.heading': 'Whether you must provide data',
    'privacy.required.text':
      'Providing data is a statutory requirement when you file a letter in a case (Article 63 § 2 of the Code of Administrative Procedure): without it the office cannot proceed with the letter. Providing data to open an account is voluntary, but without it you cannot open an account.',
    'privacy.automated': 'Your data is not used for automated decision-making or profiling.',

    'terms.title': 'Terms of use',
    'terms.service.heading': 'What the service is',
    'terms.service.text':
      '{site} is the offices’ electronic submission box within the meaning of the Act of 17 February 2005 on the computerisation of the activities of entities performing public tasks. It lets you file a letter with an office, receive an official receipt and collect letters from offices.',
    'terms.users.heading': 'Who may use it',
    'terms.users.text':
      'Anyone may use the service: individuals, businesses and institutions. An account is free of charge. Office staff use the service within the roles given to them.',
    'terms.requirements.heading': 'Technical requirements',
    'terms.requirements.text':
      'You need a device with internet access, an up-to-date web browser and an e-mail address. JavaScript is not required. Sign a letter that needs a signature with the trusted profile, the personal signature or a qualified electronic signature.',
    'terms.receipts.heading': 'Receipts and their legal value',
    'terms.receipts.text':
      'After you file a letter the service issues an official receipt (UPP) sealed with the office’s electronic seal. The date of filing is the date in the receipt (Article 61 § 3a of the Code of Administrative Procedure). When you collect a letter from an office the service issues an official delivery receipt (UPD). Any receipt can be checked on the “Verify a receipt” page.',
    'terms.liability.heading': 'Liability',
    'terms.liability.text':
      'The sender is responsible for the content of a letter. The operator makes every effort to keep the service running; planned breaks are announced in advance. If the service was down on the last day of a time limit, keep proof of it and refer to it at the office.',
    'terms.contact.heading': 'Contact',
    'terms.contact.text': 'Send questions about the service to its operator:',
  },
);
