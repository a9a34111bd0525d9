import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`platform administration (${dialect})`, () => {
    let app: TestApp;
    let admin: WebClient;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      admin = new WebClient(app.http);
      assert.equal((await admin.logIn('admin@example.pl', PASSWORD)).statusCode, 303);
    });
    after(async () => app.dispose());

    const pointCount = async () =>
      Number(
        (
          await app.database.db
            .selectFrom('confirmation_points')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('points: bad input is refused per field and stores nothing; add, edit, staff and retire show on the portal', async () => {
      const before = await pointCount();
      const bad = await admin.post(
        '/admin/punkty/nowy',
        { newId: 'Zły Identyfikator', name: '', address: '', openingHours: '', phone: 'abc' },
        '/admin/punkty/nowy',
      );
      assert.equal(bad.statusCode, 400);
      for (const message of [
        /Identyfikator: 2–63 znaki/,
        /Podaj nazwę punktu/,
        /Podaj adres punktu/,
        /Podaj godziny otwarcia/,
        /numer telefonu/,
      ])
        assert.match(bad.body, message);
      assert.equal(await pointCount(), before);

      const added = await admin.post(
        '/admin/punkty/nowy',
        {
          newId: 'umcz-polnoc',
          name: 'Filia Północ',
          address: 'ul. Polna 1, Częstochowa',
          openingHours: 'pon.–pt. 8–16',
          phone: '+48 34 000 00 00',
        },
        '/admin/punkty/nowy',
      );
      assert.equal(added.headers.location, '/admin/punkty?komunikat=saved');
      const taken = await admin.post(
        '/admin/punkty/nowy',
        { newId: 'umcz-polnoc', name: 'X', address: 'Y', openingHours: 'Z', phone: '' },
        '/admin/punkty/nowy',
      );
      assert.match(taken.body, /już istnieje/);
      assert.match((await admin.get('/punkty-potwierdzajace')).body, /Filia Północ/);

      await admin.post(
        '/admin/punkty/umcz-polnoc',
        {
          name: 'Filia Północna',
          address: 'ul. Polna 1, Częstochowa',
          openingHours: 'pon.–pt. 8–16',
          phone: '',
        },
        '/admin/punkty/umcz-polnoc',
      );
      assert.match((await admin.get('/punkty-potwierdzajace')).body, /Filia Północna/);

      const unknown = await admin.post(
        '/admin/punkty/umcz-polnoc/urzednicy',
        { officerEmail: 'nikt@example.pl' },
        '/admin/punkty/umcz-polnoc',
      );
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Nie ma konta o adresie nikt@example\.pl/);
      await admin.post(
        '/admin/punkty/umcz-polnoc/urzednicy',
        { officerEmail: 'urzednik@example.pl' },
        '/admin/punkty/umcz-polnoc',
      );
      const point = await admin.get('/admin/punkty/umcz-polnoc');
      assert.match(point.body, /urzednik@example\.pl/);

      await admin.post('/admin/punkty/umcz-polnoc/wycofaj', {}, '/admin/punkty/umcz-polnoc');
      assert.doesNotMatch((await admin.get('/punkty-potwierdzajace')).body, /Filia Północna/);
      assert.match((await admin.get('/admin/punkty')).body, /wycofany/);
    });

    test('roles: granted and revoked, both in the audit log; the log browses and its chain checks out', async () => {
      const bad = await admin.post(
        '/admin/role',
        { email: 'mieszkaniec@example.pl', role: 'clerk', officeId: 'nie-ma' },
        '/admin/role',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /istniejącego urzędu/);
      const granted = await admin.post(
        '/admin/role',
        { email: 'mieszkaniec@example.pl', role: 'office-admin', officeId: 'umczestochowa' },
        '/admin/role',
      );
      assert.equal(granted.statusCode, 303);
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      assert.equal((await resident.get('/urzad/umczestochowa')).statusCode, 200, 'the new role takes effect');
      const roleId = (
        await app.database.db
          .selectFrom('account_roles')
          .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
          .select('account_roles.id')
          .where('accounts.email', '=', 'mieszkaniec@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
      await admin.post(`/admin/role/${roleId}/usun`, {}, '/admin/role');
      assert.equal((await resident.get('/urzad/umczestochowa')).statusCode, 403, 'and is gone once revoked');

      const log = await admin.get('/admin/dziennik?action=role');
      assert.match(log.body, /role\.granted/);
      assert.match(log.body, /role\.revoked/);
      assert.match(log.body, /Łańcuch skrótów jest nienaruszony/);
      assert.doesNotMatch((await admin.get('/admin/dziennik')).body, /44051401359/);
    });

    test('poll totals are shown to platform admins', async () => {
      assert.equal((await admin.post('/ankieta', { answer: 'TAK' }, '/')).statusCode, 303);
      const page = await admin.get('/admin');
      const totals = await app.services.pollTotals();
      assert.equal(totals.TAK, 1);
      assert.match(page.body, /<td class="govuk-table__cell"[^>]*>1<\/td>/);
    });

    test('a platform admin revokes a trusted profile with a reason; the holder sees it revoked', async () => {
      const found = await admin.get('/admin/profile?numer=PZ-DEMO-0001');
      assert.match(found.body, /Profil zaufany jest ważny do/);
      // The admin looks up someone else's profile: never addressed as "your".
      assert.doesNotMatch(found.body, /Twój profil/);
      assert.doesNotMatch(
        (await admin.get('/admin/profile?numer=PZ-DEMO-0001&lang=en')).body,
        /Your trusted profile/,
      );
      await admin.get('/admin/profile?numer=PZ-DEMO-0001&lang=pl');
      const noReason = await admin.post('/admin/profile/PZ-DEMO-0001/uniewaznij', { reason: '' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Podaj powód/);
      const revoked = await admin.post(
        '/admin/profile/PZ-DEMO-0001/uniewaznij',
        { reason: 'zgłoszenie kradzieży dowodu' },
        '/admin/profile?numer=PZ-DEMO-0001',
      );
      assert.equal(revoked.statusCode, 303);
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      assert.match((await resident.get('/profil-zaufany')).body, /unieważniony/);
      assert.match(
        (await admin.get('/admin/dziennik?action=profile.revoked')).body,
        /zgłoszenie kradzieży dowodu/,
      );
    });
  });
}
