import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

/** The text of an answer's <title>. */
const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

const STATEMENT_HEADINGS_PL = [
  'Daty publikacji i aktualizacji',
  'Stan dostępności cyfrowej',
  'Przygotowanie deklaracji dostępności',
  'Informacje zwrotne i dane kontaktowe',
  'Procedura wnioskowo-skargowa',
  'Dostępność architektoniczna',
  'Aplikacje mobilne',
];
const STATEMENT_HEADINGS_EN = [
  'Dates of publication and update',
  'Compliance status',
  'Preparation of this accessibility statement',
  'Feedback and contact information',
  'Request and complaint procedure',
  'Accessibility of the building',
  'Mobile applications',
];
const PRIVACY_HEADINGS_PL = [
  'Administrator danych',
  'Inspektor ochrony danych',
  'Cele i podstawy prawne przetwarzania',
  'Odbiorcy danych',
  'Okres przechowywania',
  'Twoje prawa',
  'Skarga do organu nadzorczego',
  'Czy musisz podać dane',
];

for (const dialect of testDialects()) {
  describe(`legal pages (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, {
        demo: true,
        env: {
          CONTACT_NAME: 'Zespół ds. dostępności',
          CONTACT_EMAIL: 'dostepnosc@example.gov.pl',
          CONTACT_PHONE: '+48 34 000 00 00',
          DPO_EMAIL: 'iod@example.gov.pl',
          ACCESSIBILITY_STATEMENT_PUBLISHED: '2026-03-02',
          ACCESSIBILITY_STATEMENT_UPDATED: '2026-11-30',
        },
      });
    });
    after(async () => app.dispose());

    test('the installation statement has the statutory structure, dates, contact and the offices', async () => {
      const res = await app.http.inject({ url: '/deklaracja-dostepnosci' });
      assert.equal(res.statusCode, 200);
      for (const heading of STATEMENT_HEADINGS_PL)
        assert.match(res.body, new RegExp(`<h2[^>]*>${heading}</h2>`));
      assert.match(res.body, /ustawą z dnia 4 kwietnia 2019 r\. o dostępności cyfrowej/);
      assert.match(res.body, /Data publikacji strony internetowej: 02\.03\.2026\./);
      assert.match(res.body, /Data ostatniej istotnej aktualizacji: 30\.11\.2026\./);
      assert.match(res.body, /samooceny/);
      assert.match(res.body, /Zespół ds\. dostępności/);
      assert.match(res.body, /mailto:dostepnosc@example\.gov\.pl/);
      assert.match(res.body, /nie później niż w ciągu 7 dni/);
      assert.match(res.body, /2 miesiące/);
      assert.match(res.body, /Rzecznika Praw Obywatelskich/);
      assert.match(res.body, /href="\/urzad\/umczestochowa\/deklaracja-dostepnosci"/);
      assert.equal(titleOf(res.body), 'Deklaracja dostępności — Urząd OnLine');
    });

    test("an office's statement names the office, its seat and its own contact details", async () => {
      const office = await app.services.getOffice('umczestochowa');
      const res = await app.http.inject({ url: '/urzad/umczestochowa/deklaracja-dostepnosci' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`${office.name} zobowiązuje się zapewnić dostępność`));
      assert.ok(res.body.includes(office.address), 'the building is the office seat');
      if (office.email) assert.ok(res.body.includes(`mailto:${office.email}`), 'the office e-mail first');
      assert.equal(titleOf(res.body), `Deklaracja dostępności — ${office.name} — Urząd OnLine`);
      const en = await app.http.inject({ url: '/urzad/umczestochowa/deklaracja-dostepnosci?lang=en' });
      assert.equal(en.statusCode, 200);
      for (const heading of STATEMENT_HEADINGS_EN)
        assert.match(en.body, new RegExp(`<h2[^>]*>${heading}</h2>`));
      assert.match(en.body, /Date of publication of the website: 2 March 2026\./);
      assert.match(en.body, new RegExp(`${office.name} is committed`));
    });

    test("an office's privacy notice: controller, DPO, bases, UODO; and the installation's", async () => {
      const office = await app.services.getOffice('umczestochowa');
      const res = await app.http.inject({ url: '/urzad/umczestochowa/ochrona-danych' });
      assert.equal(res.statusCode, 200);
      for (const heading of PRIVACY_HEADINGS_PL)
        assert.match(res.body, new RegExp(`<h2[^>]*>${heading}</h2>`));
      assert.ok(res.body.includes(`Administratorem Twoich danych jest ${office.name}, ${office.address}.`));
      assert.match(res.body, /iod@example\.gov\.pl/);
      assert.match(res.body, /art\. 6 ust\. 1 lit\. c RODO/);
      assert.match(res.body, /art\. 6 ust\. 1 lit\. e RODO/);
      assert.match(res.body, /Prezesa Urzędu Ochrony Danych Osobowych/);
      const en = await app.http.inject({ url: '/urzad/umczestochowa/ochrona-danych?lang=en' });
      assert.match(en.body, /President of the Personal Data Protection Office/);
      assert.match(en.body, /Article 6\(1\)\(c\) GDPR/);
      const installation = await app.http.inject({ url: '/ochrona-danych' });
      assert.equal(installation.statusCode, 200);
      assert.match(installation.body, /href="\/urzad\/umczestochowa\/ochrona-danych"/);
    });

    test('the terms: service, users, requirements, receipts, liability, contact', async () => {
      const res = await app.http.inject({ url: '/regulamin' });
      assert.equal(res.statusCode, 200);
      for (const heading of [
        'Czym jest serwis',
        'Kto może korzystać',
        'Wymagania techniczne',
        'Poświadczenia i ich moc prawna',
        'Odpowiedzialność',
        'Kontakt',
      ])
        assert.match(res.body, new RegExp(`<h2[^>]*>${heading}</h2>`));
      assert.match(res.body, /art\. 61 § 3a Kodeksu postępowania administracyjnego/);
      const en = await app.http.inject({ url: '/regulamin?lang=en' });
      assert.match(en.body, /<h1[^>]*>Terms of use<\/h1>/);
    });

    test('an unknown or malformed office: 404', async () => {
      for (const url of [
        '/urzad/nie-ma-takiego/deklaracja-dostepnosci',
        '/urzad/nie-ma-takiego/ochrona-danych',
        '/urzad/..%2F..%2Fetc/ochrona-danych',
      ]) {
        const res = await app.http.inject({ url });
        assert.equal(res.statusCode, 404, url);
      }
    });

    test('every page links the three in its footer; the office box and the registration form link them', async () => {
      const home = await app.http.inject({ url: '/' });
      const footer = /<footer[\s\S]*<\/footer>/.exec(home.body)?.[0] ?? '';
      for (const href of ['/deklaracja-dostepnosci', '/ochrona-danych', '/regulamin'])
        assert.ok(footer.includes(`href="${href}"`), href);
      const box = await app.http.inject({ url: '/esp/umczestochowa' });
      assert.match(box.body, /href="\/urzad\/umczestochowa\/deklaracja-dostepnosci"/);
      assert.match(box.body, /href="\/urzad\/umczestochowa\/ochrona-danych"/);
      const register = await app.http.inject({ url: '/rejestracja' });
      assert.equal(register.statusCode, 200);
      const hint = /<div id="terms-hint"[\s\S]*?<\/div>/.exec(register.body)?.[0] ?? '';
      assert.match(hint, /href="\/regulamin"/);
      assert.match(hint, /href="\/ochrona-danych"/);
      assert.match(register.body, /aria-describedby="terms-hint"/);
    });
  });
}
