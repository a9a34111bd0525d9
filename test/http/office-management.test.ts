import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, csrfFrom, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`offices and staff managed on pages (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    const auditOf = async (action: string) =>
      app.database.db
        .selectFrom('audit_log')
        .select(['action', 'subject'])
        .where('action', '=', action)
        .execute();

    test('the platform admin creates and edits an office; others get 403; bad input names the field', async () => {
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      for (const path of ['/admin/urzedy', '/admin/urzedy/nowy', '/admin/urzedy/umczestochowa'])
        assert.equal((await clerk.get(path)).statusCode, 403, path);
      const refused = await clerk.post('/admin/urzedy/nowy', { newId: 'x' }, '/pisma');
      assert.equal(refused.statusCode, 403);

      const admin = new WebClient(app.http);
      await admin.logIn('admin@example.pl', PASSWORD);
      const home = await admin.get('/admin');
      assert.match(home.body, /<a class="uo-header__link" href="\/admin\/urzedy"[^>]*>Urzędy<\/a>/);
      const list = await admin.get('/admin/urzedy');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /href="\/admin\/urzedy\/umczestochowa"/);
      assert.match(list.body, /href="\/admin\/urzedy\/nowy"/);

      // Without the CSRF token nothing is written.
      const forged = await app.http.inject({
        method: 'POST',
        url: '/admin/urzedy/nowy',
        remoteAddress: admin.ip,
        headers: { cookie: admin.cookies },
        payload: { newId: 'forged', name: 'X' },
      });
      assert.equal(forged.statusCode, 403);

      const bad = await admin.post(
        '/admin/urzedy/nowy',
        { newId: 'A B', name: '', shortCode: 'umcz', address: '', boxes: 'skrytka', maxSizeMb: '500' },
        '/admin/urzedy/nowy',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /govuk-error-summary/);
      for (const message of [
        /Identyfikator urzędu: 2–63 znaki/,
        /Wpisz nazwę urzędu/,
        /Wpisz adres urzędu/,
        /Skrzynki: wiersz „skrytka” nie ma postaci „nazwa: tytuł”/,
        /Największy rozmiar: wpisz liczbę megabajtów od 0,1 do 100/,
        /Przyjmowane formaty: zaznacz co najmniej jeden format/,
      ])
        assert.match(bad.body, message);
      assert.match(bad.body, /<input[^>]*id="newId"[^>]*value="A B"/, 'the typed value is kept');
      const taken = await admin.post(
        '/admin/urzedy/nowy',
        {
          newId: 'umczestochowa',
          name: 'Kopia',
          shortCode: 'UMCZ',
          address: 'ul. Próbna 1',
          boxes: 'skrytka: Skrytka',
          maxSizeMb: '5',
          formatIds: 'pdf',
        },
        '/admin/urzedy/nowy',
      );
      assert.equal(taken.statusCode, 400);
      assert.match(taken.body, /Urząd o tym identyfikatorze już istnieje/);
      const english = await admin.post(
        '/admin/urzedy/nowy?lang=en',
        { newId: '' },
        '/admin/urzedy/nowy?lang=en',
      );
      assert.match(english.body, /Enter the office name/);
      await admin.get('/admin/urzedy?lang=pl');
      assert.equal(
        (await app.database.db.selectFrom('offices').select('id').execute()).length,
        (await app.services.listOffices()).length,
      );
      assert.deepEqual(
        (await app.services.listOffices()).map((o) => o.id),
        ['umczestochowa'],
        'nothing left behind by refused forms',
      );

      // A real browser form: urlencoded, the format checkboxes repeated.
      await admin.get('/admin/urzedy/nowy');
      const form = new URLSearchParams({
        _csrf: csrfFrom(admin.lastPage),
        newId: 'ugmyszkow',
        name: 'Urząd Gminy Myszków',
        shortCode: 'ugm',
        address: 'ul. Kościuszki 1, 42-300 Myszków',
        boxes: 'skrytka: Elektroniczna Skrzynka Podawcza\r\nodpowiedzi: Odpowiedzi na pisma',
        maxSizeMb: '10',
      });
      form.append('formatIds', 'pdf');
      form.append('formatIds', 'xml');
      const created = await app.http.inject({
        method: 'POST',
        url: '/admin/urzedy/nowy',
        remoteAddress: admin.ip,
        headers: { cookie: admin.cookies, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      });
      assert.equal(created.statusCode, 303, created.body);
      const office = await app.services.getOffice('ugmyszkow');
      assert.equal(office.name, 'Urząd Gminy Myszków');
      assert.equal(office.shortCode, 'UGM');
      assert.deepEqual(
        office.boxes.map((b) => `${b.name}: ${b.title}`),
        ['skrytka: Elektroniczna Skrzynka Podawcza', 'odpowiedzi: Odpowiedzi na pisma'],
      );
      assert.equal(office.policy.maxSizeBytes, 10 * 1024 * 1024);
      assert.deepEqual(office.policy.formats.map((f) => f.id).sort(), ['pdf', 'xml']);
      assert.equal((await app.http.inject({ url: '/esp/ugmyszkow' })).statusCode, 200, 'its public page');

      // Editing keeps boxes that exist and settings the form does not show.
      const edit = await admin.get('/admin/urzedy/ugmyszkow');
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /value="pdf"\s+checked/);
      const dropBox = await admin.post(
        '/admin/urzedy/ugmyszkow',
        {
          name: 'UG Myszków',
          shortCode: 'UGM',
          address: 'ul. Nowa 2',
          boxes: 'skrytka: ESP',
          maxSizeMb: '5',
          formatIds: 'pdf',
        },
        '/admin/urzedy/ugmyszkow',
      );
      assert.equal(dropBox.statusCode, 400);
      assert.match(dropBox.body, /skrzynki „odpowiedzi” nie można usunąć/);
      const shortTaken = await admin.post(
        '/admin/urzedy/ugmyszkow',
        {
          name: 'UG Myszków',
          shortCode: 'UMCZ',
          address: 'ul. Nowa 2',
          boxes: 'skrytka: ESP\nodpowiedzi: O',
          maxSizeMb: '5',
          formatIds: 'pdf',
        },
        '/admin/urzedy/ugmyszkow',
      );
      assert.match(shortTaken.body, /Ten skrót ma już inny urząd/);
      await app.services.setDeemedDelivery({
        actorId: await adminId(),
        officeId: 'ugmyszkow',
        deemedDelivery: false,
      });
      const saved = await admin.post(
        '/admin/urzedy/ugmyszkow',
        {
          name: 'UG Myszków',
          shortCode: 'UGM',
          address: 'ul. Nowa 2',
          boxes: 'skrytka: ESP\nodpowiedzi: Odpowiedzi\npodania: Podania',
          maxSizeMb: '2,5',
          formatIds: 'pdf',
        },
        '/admin/urzedy/ugmyszkow',
      );
      assert.equal(saved.statusCode, 303);
      assert.match((await admin.get(String(saved.headers.location))).body, /Zapisano urząd/);
      const changed = await app.services.getOffice('ugmyszkow');
      assert.equal(changed.address, 'ul. Nowa 2');
      assert.deepEqual(
        changed.boxes.map((b) => b.name),
        ['skrytka', 'odpowiedzi', 'podania'],
      );
      assert.equal(changed.policy.maxSizeBytes, Math.round(2.5 * 1024 * 1024));
      assert.deepEqual(
        changed.policy.formats.map((f) => f.id),
        ['pdf'],
      );
      assert.equal(changed.policy.deemedDelivery, false, 'a setting not on this form is kept');
      assert.deepEqual(await auditOf('office.created'), [{ action: 'office.created', subject: 'ugmyszkow' }]);
      assert.deepEqual(await auditOf('office.updated'), [{ action: 'office.updated', subject: 'ugmyszkow' }]);
      assert.equal((await admin.get('/admin/urzedy/nieznany')).statusCode, 404);
    });

    const adminId = async () =>
      (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', 'admin@example.pl')
          .executeTakeFirstOrThrow()
      ).id;

    test("the office admin sees the office's staff and gives and takes the clerk role", async () => {
      const page = '/urzad/umczestochowa/pracownicy';
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      assert.equal((await clerk.get(page)).statusCode, 403, 'a clerk is not the office admin');

      await app.services.grantRole({
        actorId: null,
        email: 'punkt@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      const officeAdmin = new WebClient(app.http);
      await officeAdmin.logIn('punkt@example.pl', PASSWORD);
      const home = await officeAdmin.get('/urzad/umczestochowa');
      assert.match(
        home.body,
        /<a class="uo-header__link" href="\/urzad\/umczestochowa\/pracownicy"[^>]*>Pracownicy<\/a>/,
      );
      let list = await officeAdmin.get(page);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /urzednik@example\.pl/);
      assert.match(list.body, /punkt@example\.pl/);
      assert.match(list.body, /administrator urzędu/);
      assert.equal((await officeAdmin.get('/urzad/ugmyszkow/pracownicy')).statusCode, 403, 'another office');

      const empty = await officeAdmin.post(page, { email: '' }, page);
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /<a href="#email">/);
      const unknown = await officeAdmin.post(page, { email: 'nikt@example.pl' }, page);
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Nie ma konta o adresie nikt@example\.pl/);
      assert.match(unknown.body, /<input[^>]*id="email"[^>]*aria-invalid="true"/);

      const granted = await officeAdmin.post(page, { email: 'mieszkaniec@example.pl' }, page);
      assert.equal(granted.statusCode, 303);
      list = await officeAdmin.get(String(granted.headers.location));
      assert.match(list.body, /Zmieniono pracowników urzędu/);
      const role = await app.database.db
        .selectFrom('account_roles')
        .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
        .select(['account_roles.id', 'account_roles.role', 'account_roles.office_id'])
        .where('accounts.email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      assert.deepEqual([role.role, role.office_id], ['clerk', 'umczestochowa']);
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      assert.equal((await resident.get('/urzad/umczestochowa/skrzynka')).statusCode, 200, 'now a clerk');

      // Only clerk roles of this office can be taken here.
      const adminRole = await app.database.db
        .selectFrom('account_roles')
        .select('id')
        .where('role', '=', 'office-admin')
        .where('office_id', '=', 'umczestochowa')
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(list.body, new RegExp(`pracownicy/${adminRole.id}/usun`));
      assert.equal((await officeAdmin.post(`${page}/${adminRole.id}/usun`, {}, page)).statusCode, 404);
      const revoked = await officeAdmin.post(`${page}/${role.id}/usun`, {}, page);
      assert.equal(revoked.statusCode, 303);
      assert.equal(
        (await app.database.db.selectFrom('account_roles').select('id').where('id', '=', role.id).execute())
          .length,
        0,
      );
      const audit = await app.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'in', ['role.granted', 'role.revoked'])
        .execute();
      assert.ok(audit.some((a) => a.action === 'role.revoked'));
      assert.match((await officeAdmin.get(`${page}?lang=en`)).body, /Give the clerk role/);
    });

    test('a resident lands on his letters after login', async () => {
      const resident = new WebClient(app.http);
      assert.equal((await resident.logIn('mieszkaniec@example.pl', PASSWORD)).headers.location, '/pisma');
    });
  });
}
