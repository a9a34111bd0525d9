import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registrationNumber, warsawYear } from '../../src/domain/journal/index';
import { formatDay, warsawDay } from '../../src/domain/legal-time';
import { upsertOffice } from '../../src/services/offices';
import { csrfFrom, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';
const OFFICE = 'umczestochowa';

for (const dialect of testDialects()) {
  describe(`the office's box and correspondence journal (${dialect})`, () => {
    let app: TestApp;
    let clerk: WebClient;
    let otherClerk: WebClient;
    let resident: WebClient;
    let residentId: string;

    const file = async (
      title: string,
      options: { kind?: 'podanie' | 'odwolanie'; sender?: string; body?: string } = {},
    ) =>
      app.services.submitDocument({
        officeId: OFFICE,
        boxName: 'skrytka',
        sender: { type: 'account', ref: residentId, name: options.sender ?? 'Jan Kowalski' },
        files: [
          {
            field: 'document',
            name: 'wniosek.txt',
            staged: await app.deps.blobs.stage(Buffer.from(options.body ?? `Treść: ${title}`, 'utf8')),
          },
        ],
        title,
        kind: options.kind,
      });
    const documentIds = (html: string) =>
      [...html.matchAll(/href="\/urzad\/umczestochowa\/dokumenty\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    const nextLink = (html: string) => /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    const auditActions = async (subject: string) =>
      (
        await app.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('subject', '=', subject)
          .orderBy('seq')
          .execute()
      ).map((r) => r.action);

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      residentId = (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', 'mieszkaniec@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
      await upsertOffice(app.deps, {
        id: 'umtest',
        name: 'Urząd Testowy',
        shortCode: 'UT',
        address: 'ul. Testowa 1',
        boxes: [{ name: 'skrytka', title: 'ESP' }],
        externalAddresses: [],
      });
      await app.services.grantRole({
        actorId: null,
        email: 'punkt@example.pl',
        role: 'clerk',
        officeId: 'umtest',
        pointId: null,
      });
      clerk = new WebClient(app.http);
      otherClerk = new WebClient(app.http);
      resident = new WebClient(app.http);
      assert.equal((await clerk.logIn('urzednik@example.pl', PASSWORD)).statusCode, 303);
      assert.equal((await otherClerk.logIn('punkt@example.pl', PASSWORD)).statusCode, 303);
      assert.equal((await resident.logIn('mieszkaniec@example.pl', PASSWORD)).statusCode, 303);
    });
    after(async () => app.dispose());

    test('the box lists the demo letters; filters, diacritic-blind search and bad filters', async () => {
      const start = await clerk.get('/urzad/umczestochowa');
      assert.match(start.body, /href="\/urzad\/umczestochowa\/skrzynka"/);
      const box = await clerk.get('/urzad/umczestochowa/skrzynka');
      assert.equal(box.statusCode, 200);
      assert.match(box.body, /Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach/);
      assert.match(box.body, /Jan Kowalski/);
      assert.equal(documentIds(box.body).length, 3);

      const appeals = await clerk.get('/urzad/umczestochowa/skrzynka?kind=odwolanie');
      assert.equal(documentIds(appeals.body).length, 1);
      assert.match(appeals.body, /Odwołanie od decyzji/);

      // "zaswiadczenia" without Polish letters, in capitals, finds "zaświadczenia".
      const found = await clerk.get(
        `/urzad/umczestochowa/skrzynka?q=${encodeURIComponent('ZASWIADCZENIA o')}`,
      );
      assert.equal(documentIds(found.body).length, 1);
      const bySender = await clerk.get('/urzad/umczestochowa/skrzynka?q=kowalski');
      assert.equal(documentIds(bySender.body).length, 3);
      const wildcard = await clerk.get('/urzad/umczestochowa/skrzynka?q=%25');
      assert.match(wildcard.body, /Brak dokumentów spełniających kryteria/, '% is a literal, not a wildcard');

      const future = await clerk.get('/urzad/umczestochowa/skrzynka?from=2099-01-01');
      assert.equal(documentIds(future.body).length, 0);
      // The journal's days are Warsaw days (between 23:00 and 24:00 UTC in winter it is already tomorrow there).
      const today = formatDay(warsawDay(new Date()));
      assert.equal(
        documentIds(
          (
            await clerk.get(
              `/urzad/umczestochowa/skrzynka?from=2020-01-01&to=${today}&signature=none&status=received`,
            )
          ).body,
        ).length,
        3,
      );

      const bad = await clerk.get('/urzad/umczestochowa/skrzynka?status=lost&from=1.1.2026');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Wybierz wartość z listy w polu „status”/);
      assert.match(bad.body, /Podaj datę w formacie RRRR-MM-DD/);
      const badEn = await clerk.get('/urzad/umczestochowa/skrzynka?from=2026-02-30&lang=en');
      assert.match(badEn.body, /Give the date as YYYY-MM-DD/);
      const tooMany = `/urzad/umczestochowa/skrzynka?q=${encodeURIComponent('a b c d e f g h i j k')}`;
      const manyEn = await clerk.get(`${tooMany}&lang=en`);
      assert.equal(manyEn.statusCode, 400);
      assert.match(manyEn.body, /Enter at most 10 words in the field “Search title and sender”/);
      const manyPl = await clerk.get(`${tooMany}&lang=pl`);
      assert.match(manyPl.body, /Wpisz w polu „Szukaj w tytule i nadawcy” najwyżej 10 słów/);
      await clerk.get('/urzad/umczestochowa/skrzynka?lang=pl');
    });

    test('keyset pages: every document once, stable while new ones arrive, in both orders', async () => {
      for (let i = 0; i < 105; i += 1)
        await file(`Pismo seryjne ${String(i).padStart(3, '0')}`, { sender: 'Firma Seryjna sp. z o.o.' });
      const walk = async (url: string) => {
        const seen: string[] = [];
        let next: string | undefined = url;
        let pages = 0;
        while (next) {
          const page = await clerk.get(next);
          assert.equal(page.statusCode, 200);
          seen.push(...documentIds(page.body));
          next = nextLink(page.body);
          pages += 1;
        }
        return { seen, pages };
      };
      const newest = await walk('/urzad/umczestochowa/skrzynka?q=seryjne');
      assert.equal(newest.pages, 3);
      assert.equal(newest.seen.length, 105);
      assert.equal(new Set(newest.seen).size, 105);

      const first = await clerk.get('/urzad/umczestochowa/skrzynka?q=seryjne');
      const second = nextLink(first.body)!;
      const before = documentIds((await clerk.get(second)).body);
      await file('Pismo seryjne 999 nowe', { sender: 'Firma Seryjna sp. z o.o.' });
      assert.deepEqual(
        documentIds((await clerk.get(second)).body),
        before,
        'a new document does not shift the next page',
      );

      const oldest = await walk('/urzad/umczestochowa/skrzynka?q=seryjne&sort=oldest');
      assert.equal(oldest.seen.length, 106);
      assert.deepEqual(oldest.seen.slice(0, 105), newest.seen.slice().reverse());
    });

    test('another office, a resident and a stranger are refused; another office’s document is 404', async () => {
      const doc = await file('Pismo do Częstochowy');
      assert.equal((await otherClerk.get('/urzad/umczestochowa/skrzynka')).statusCode, 403);
      assert.equal((await resident.get('/urzad/umczestochowa/skrzynka')).statusCode, 403);
      assert.equal((await new WebClient(app.http).get('/urzad/umczestochowa/skrzynka')).statusCode, 303);
      assert.equal((await otherClerk.get('/urzad/umtest/skrzynka')).statusCode, 200);
      assert.equal((await otherClerk.get(`/urzad/umtest/dokumenty/${doc.documentId}`)).statusCode, 404);
      assert.equal(
        (await otherClerk.get(`/urzad/umtest/dokumenty/${doc.documentId}/pliki/0`)).statusCode,
        404,
      );
      assert.equal(
        (await otherClerk.get(`/urzad/umtest/dokumenty/${doc.documentId}/upp.xml`)).statusCode,
        404,
      );
      const register = await otherClerk.post(
        `/urzad/umtest/dokumenty/${doc.documentId}/rejestruj`,
        {},
        '/urzad/umtest/skrzynka',
      );
      assert.equal(register.statusCode, 404);
      const row = await app.database.db
        .selectFrom('documents')
        .select(['status', 'registration_number'])
        .where('id', '=', doc.documentId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'received', registration_number: null });
    });

    test('open, download, register, assign, note, close: each step shown, audited, and told to the resident', async () => {
      const box = await clerk.get('/urzad/umczestochowa/skrzynka?kind=odwolanie');
      const documentId = documentIds(box.body)[0]!;
      const base = `/urzad/umczestochowa/dokumenty/${documentId}`;
      const page = await clerk.get(base);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<div class="uo-letter" id="letter">/);
      assert.match(page.body, /Odwołuję się od decyzji z dnia 5 stycznia 2026 r\./);
      assert.match(page.body, /Uzasadnienie: pojazd został zarejestrowany w innym powiecie\./);
      assert.doesNotMatch(page.body, /wnio:Dokument/, 'the letter is shown as text, not as its XML');

      const download = await clerk.get(`${base}/pliki/0`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/octet-stream');
      assert.equal(download.headers['content-disposition'], "attachment; filename*=UTF-8''pismo.xml");
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.match(download.body, /wnio:Dokument/);
      assert.equal((await clerk.get(`${base}/pliki/7`)).statusCode, 404);
      const upp = await clerk.get(`${base}/upp.xml`);
      assert.equal(upp.statusCode, 200);
      assert.match(upp.body, /pos:UPP/);

      const early = await clerk.post(
        `${base}/przekaz`,
        { departmentId: (await app.services.listDepartments(OFFICE))[0]!.id, assigneeId: '' },
        base,
      );
      assert.equal(early.statusCode, 409);
      assert.match(early.body, /Najpierw zarejestruj dokument/);

      const registered = await clerk.post(`${base}/rejestruj`, {}, base);
      assert.equal(registered.statusCode, 303);
      const shown = await clerk.get(String(registered.headers.location));
      const number = /<span id="registration-number">([^<]+)<\/span>/.exec(shown.body)?.[1];
      assert.match(number ?? '', new RegExp(`^UMCZ/${warsawYear(new Date())}/\\d{6}$`));
      assert.match(shown.body, new RegExp(`zarejestrowano pod numerem ${number!.replace(/\//g, '\\/')}`));
      const again = await clerk.post(`${base}/rejestruj`, {}, base);
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /już zarejestrowany/);

      const badAssign = await clerk.post(
        `${base}/przekaz`,
        { departmentId: 'nie-ma', assigneeId: 'ktos' },
        base,
      );
      assert.equal(badAssign.statusCode, 400);
      assert.match(badAssign.body, /Wybierz komórkę tego urzędu/);
      assert.match(badAssign.body, /Wybierz urzędnika tego urzędu/);
      const department = (await app.services.listDepartments(OFFICE)).find(
        (d) => d.name === 'Wydział Komunikacji',
      )!;
      const clerkId = (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', 'urzednik@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
      assert.equal(
        (await clerk.post(`${base}/przekaz`, { departmentId: department.id, assigneeId: clerkId }, base))
          .statusCode,
        303,
      );

      const emptyNote = await clerk.post(`${base}/notatki`, { note: '   ' }, base);
      assert.equal(emptyNote.statusCode, 400);
      assert.match(emptyNote.body, /Notatka musi mieć od 1 do 2000 znaków/);
      assert.equal(
        (await clerk.post(`${base}/notatki`, { note: 'Wezwać do uzupełnienia <b>braków</b>.' }, base))
          .statusCode,
        303,
      );
      const assigned = await clerk.get(base);
      assert.match(assigned.body, /<span id="document-status">przekazane do załatwienia<\/span>/);
      assert.match(assigned.body, /Wydział Komunikacji/);
      assert.match(assigned.body, /Wezwać do uzupełnienia &lt;b>braków&lt;\/b>\./);

      assert.equal((await clerk.post(`${base}/zamknij`, {}, base)).statusCode, 303);
      assert.equal((await clerk.post(`${base}/zamknij`, {}, base)).statusCode, 409);
      const filtered = await clerk.get(
        `/urzad/umczestochowa/skrzynka?status=closed&department=${department.id}`,
      );
      assert.deepEqual(documentIds(filtered.body), [documentId]);

      const actions = (await auditActions(documentId)).filter((x) => x.startsWith('document.'));
      assert.deepEqual(
        actions.filter((x) => x !== 'document.opened'),
        [
          'document.file-downloaded',
          'document.registered',
          'document.assigned',
          'document.note-added',
          'document.closed',
        ],
      );
      // Every page view above (each form is fetched before it is posted) is one opening.
      assert.equal(actions.filter((x) => x === 'document.opened').length, 14);

      const pisma = await resident.get('/pisma');
      assert.match(pisma.body, new RegExp(number!.replace(/\//g, '\\/')));
      assert.match(pisma.body, /załatwione/);
    });

    test('CSV export: the range, a BOM, RFC 4180 quoting, formulas neutralised, bad ranges named', async () => {
      const doc = await file('=HYPERLINK("http://zly.example","klik"), "cytat"', { sender: '+48 Nadawca' });
      const number = await app.services.registerDocument({
        officeId: OFFICE,
        documentId: doc.documentId,
        actorId: (
          await app.database.db
            .selectFrom('accounts')
            .select('id')
            .where('email', '=', 'urzednik@example.pl')
            .executeTakeFirstOrThrow()
        ).id,
      });
      // The journal's days are Warsaw days (between 23:00 and 24:00 UTC in winter it is already tomorrow there).
      const today = formatDay(warsawDay(new Date()));
      const csv = await clerk.get(
        `/urzad/umczestochowa/dziennik.csv?exportFrom=2020-01-01&exportTo=${today}`,
      );
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(
        String(csv.headers['content-disposition']),
        /^attachment; filename="dziennik-umczestochowa-2020-01-01-/,
      );
      const body = csv.rawPayload.toString('utf8');
      // The spreadsheet form by default: semicolons, BOM, Warsaw times and Polish words.
      assert.ok(body.startsWith('\uFEFFnumer;zarejestrowano;wpłynęło;nadawca;tytuł'), body.slice(0, 80));
      assert.ok(body.endsWith('\r\n'));
      const line = body.split('\r\n').find((l) => l.startsWith(number))!;
      assert.ok(line, `a line for ${number} in:\n${body}`);
      assert.ok(line.includes(`"'=HYPERLINK(""http://zly.example"",""klik""), ""cytat"""`), line);
      assert.ok(line.includes(`'+48 Nadawca`), line);
      const cells = line.split(';');
      const stored = await app.database.db
        .selectFrom('documents')
        .select(['registered_at', 'received_at'])
        .where('id', '=', doc.documentId)
        .executeTakeFirstOrThrow();
      const warsaw = (iso: string) =>
        new Intl.DateTimeFormat('pl-PL', {
          timeZone: 'Europe/Warsaw',
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        })
          .format(new Date(iso))
          .replace(',', '');
      assert.equal(cells[1], warsaw(stored.registered_at!), 'registered, Warsaw time');
      assert.ok(line.includes(`;${warsaw(stored.received_at)};`), line);
      assert.ok(line.includes(';zarejestrowane;'), line);
      assert.doesNotMatch(line, /\d{4}-\d{2}-\d{2}T/, 'no ISO times in the spreadsheet form');

      // The machine form: commas, no BOM, ISO UTC times and status codes.
      const machine = (
        await clerk.get(
          `/urzad/umczestochowa/dziennik.csv?exportFrom=2020-01-01&exportTo=${today}&exportForm=machine`,
        )
      ).rawPayload.toString('utf8');
      assert.ok(machine.startsWith('numer,zarejestrowano,wpłynęło,nadawca,tytuł'), machine.slice(0, 80));
      const machineLine = machine.split('\r\n').find((l) => l.startsWith(number))!;
      assert.ok(machineLine.includes(`,${stored.registered_at},`), machineLine);
      assert.ok(machineLine.includes(',registered,'), machineLine);
      const badForm = await clerk.get(
        `/urzad/umczestochowa/dziennik.csv?exportFrom=2020-01-01&exportTo=${today}&exportForm=xls`,
      );
      assert.equal(badForm.statusCode, 400);
      assert.match(badForm.body, /Wybierz postać pliku/);

      // The form's fields have ids of their own: each label points at the export's field.
      const box = await clerk.get('/urzad/umczestochowa/skrzynka');
      const ids = [...box.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        [],
        'no duplicate ids',
      );
      assert.match(box.body, /<label class="govuk-label" for="exportFrom">/);
      assert.match(box.body, /<input[^>]*id="exportFrom"[^>]*name="exportFrom"/);
      assert.equal(
        (
          await clerk.get('/urzad/umczestochowa/dziennik.csv?exportFrom=2099-01-01&exportTo=2099-01-31')
        ).rawPayload
          .toString('utf8')
          .split('\r\n')
          .filter(Boolean).length,
        1,
      );

      const bad = await clerk.get(
        '/urzad/umczestochowa/dziennik.csv?exportFrom=2026-03-01&exportTo=2026-02-01',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Data końcowa nie może być wcześniejsza niż początkowa/);
      assert.match(bad.body, /href="#exportTo"/, 'the summary links to the export field');
      assert.equal(
        (await otherClerk.get('/urzad/umczestochowa/dziennik.csv?exportFrom=2020-01-01&exportTo=2030-01-01'))
          .statusCode,
        403,
      );
      // The column names come from the message catalogue, in the clerk's language.
      const english = await clerk.get(
        `/urzad/umczestochowa/dziennik.csv?exportFrom=2020-01-01&exportTo=${today}&lang=en`,
      );
      assert.ok(
        english.rawPayload.toString('utf8').startsWith('\uFEFFnumber;registered;received;sender;title'),
      );
    });

    test('concurrent registrations get the numbers 1..n of the year exactly once', async () => {
      await upsertOffice(app.deps, {
        id: 'umrace',
        name: 'Urząd Wyścigowy',
        shortCode: 'UW',
        address: 'ul. Szybka 1',
        boxes: [{ name: 'skrytka', title: 'ESP' }],
        externalAddresses: [],
      });
      await app.services.grantRole({
        actorId: null,
        email: 'urzednik@example.pl',
        role: 'clerk',
        officeId: 'umrace',
        pointId: null,
      });
      const racer = new WebClient(app.http);
      await racer.logIn('urzednik@example.pl', PASSWORD);
      const ids: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        const staged = await app.deps.blobs.stage(Buffer.from(`Pismo ${i}`, 'utf8'));
        ids.push(
          (
            await app.services.submitDocument({
              officeId: 'umrace',
              boxName: 'skrytka',
              sender: { type: 'account', ref: residentId, name: 'Jan Kowalski' },
              files: [{ field: 'document', name: 'a.txt', staged }],
              title: `Pismo ${i}`,
            })
          ).documentId,
        );
      }
      const token = csrfFrom((await racer.get('/urzad/umrace/skrzynka')).body);
      // Each document twice at once: the second request must lose, not take a second number.
      const answers = await Promise.all(
        [...ids, ...ids].map((id) =>
          app.http.inject({
            method: 'POST',
            url: `/urzad/umrace/dokumenty/${id}/rejestruj`,
            remoteAddress: racer.ip,
            headers: { cookie: racer.cookies },
            payload: { _csrf: token },
          }),
        ),
      );
      assert.equal(answers.filter((a) => a.statusCode === 303).length, 40);
      assert.equal(answers.filter((a) => a.statusCode === 409).length, 40);
      const rows = await app.database.db
        .selectFrom('documents')
        .select('registration_number')
        .where('office_id', '=', 'umrace')
        .execute();
      const year = warsawYear(new Date());
      assert.deepEqual(
        rows.map((r) => r.registration_number).sort(),
        Array.from({ length: 40 }, (_, i) => registrationNumber('UW', year, i + 1)),
      );
      const counter = await app.database.db
        .selectFrom('journal_counters')
        .select('last_number')
        .where('office_id', '=', 'umrace')
        .executeTakeFirstOrThrow();
      assert.equal(Number(counter.last_number), 40);
    });
  });
}
