import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { appBehind, unspentTotpCode } from '../helpers/staff-second-factor';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

/** The header's links, in order, as `text → href`. */
function headerPlaces(html: string): string[] {
  const header = /<header class="uo-header"[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
  return [...header.matchAll(/<a class="uo-header__link" href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(
    (m) => `${m[2]!.trim()} → ${m[1]!.replace(/&amp;/g, '&')}`,
  );
}

for (const dialect of testDialects()) {
  describe(`way-finding by role (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    test('each role lands on its main place after login and sees its places in the header', async () => {
      // The demo's platform admin also administers the demo office.
      await app.services.grantRole({
        actorId: null,
        email: 'admin@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      const cases: { email: string; landing: string; places: RegExp[]; absent: RegExp[] }[] = [
        {
          email: 'mieszkaniec@example.pl',
          landing: '/pisma',
          places: [/^Moje pisma → \/pisma$/, /^Skrzynka → \/skrzynka$/],
          absent: [/\/urzad\//, /\/admin/, /\/punkt$/],
        },
        {
          email: 'urzednik@example.pl',
          landing: '/urzad/umczestochowa/skrzynka',
          places: [
            /^Skrzynka urzędu → \/urzad\/umczestochowa\/skrzynka$/,
            /^Dziennik korespondencji → \/urzad\/umczestochowa\/skrzynka#dziennik$/,
          ],
          absent: [/\/tokeny/, /\/admin/, /\/punkt$/],
        },
        {
          email: 'punkt@example.pl',
          landing: '/punkt',
          places: [/^Wnioski o profil zaufany → \/punkt$/],
          absent: [/\/urzad\//, /\/admin/],
        },
        {
          email: 'admin@example.pl',
          landing: '/admin',
          places: [
            /^Systemy → \/urzad\/umczestochowa\/systemy$/,
            /^Tokeny dostępu → \/urzad\/umczestochowa\/tokeny$/,
            /^Webhooki → \/urzad\/umczestochowa\/webhooki$/,
            /^Ustawienia urzędu → \/urzad\/umczestochowa\/ustawienia$/,
            /^Administracja → \/admin$/,
            /^Role pracowników → \/admin\/role$/,
          ],
          absent: [],
        },
      ];
      for (const c of cases) {
        const client = new WebClient(app.http);
        const login = await client.logIn(c.email, PASSWORD);
        assert.equal(login.statusCode, 303, c.email);
        assert.equal(login.headers.location, c.landing, c.email);
        // The login form, opened again when logged in, leads there too.
        assert.equal((await client.get('/logowanie')).headers.location, c.landing, c.email);
        const page = await client.get(c.landing);
        assert.equal(page.statusCode, 200, `${c.email} ${c.landing}`);
        const places = headerPlaces(page.body);
        for (const place of c.places)
          assert.ok(
            places.some((p) => place.test(p)),
            `${c.email}: ${place} in ${places.join('; ')}`,
          );
        for (const place of c.absent)
          assert.ok(!places.some((p) => place.test(p)), `${c.email}: no ${place} in ${places.join('; ')}`);
        // Every place in the header opens for this role.
        for (const place of places) {
          const href = place.split(' → ')[1]!.split('#')[0]!;
          assert.equal((await client.get(href)).statusCode, 200, `${c.email} ${href}`);
        }
      }
    });

    test('a return address given to the login form still wins over the landing page', async () => {
      const client = new WebClient(app.http);
      await client.get('/logowanie');
      const login = await client.post('/logowanie', {
        email: 'urzednik@example.pl',
        password: PASSWORD,
        returnTo: '/konto/haslo',
      });
      // A member of staff gives the code first; the return address goes along.
      assert.equal(login.headers.location, '/logowanie/kod?powrot=%2Fkonto%2Fhaslo');
      const codePage = await client.get(login.headers.location);
      assert.match(codePage.body, /<input type="hidden" name="returnTo" value="\/konto\/haslo"/);
      const code = await unspentTotpCode(appBehind(app.http), 'urzednik@example.pl');
      const done = await client.post('/logowanie/kod', { code, returnTo: '/konto/haslo' });
      assert.equal(done.headers.location, '/konto/haslo');
    });

    test("every office's page offers filing a letter to it, and the form preselects that office", async () => {
      const anonymous = new WebClient(app.http);
      const esp = await anonymous.get('/esp/umczestochowa');
      assert.match(
        esp.body,
        /<a href="\/pisma\/nowe\?urzad=umczestochowa"[^>]*>Złóż pismo do tego urzędu<\/a>/,
      );
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const form = await resident.get('/pisma/nowe?urzad=umczestochowa');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<option value="umczestochowa" selected/);
      // An unknown office falls back to the first one rather than failing.
      assert.equal((await resident.get('/pisma/nowe?urzad=nieznany')).statusCode, 200);
    });

    test('fields in error carry aria-invalid, the others do not', async () => {
      const client = new WebClient(app.http);
      const bad = await client.post(
        '/rejestracja',
        { email: 'not-an-address', password: '', passwordConfirm: '', displayName: '' },
        '/rejestracja',
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<input[^>]*id="email"[^>]*aria-invalid="true"/);
      assert.match(bad.body, /<input[^>]*id="terms"[^>]*aria-invalid="true"/);
      const fresh = await client.get('/rejestracja');
      assert.doesNotMatch(fresh.body, /aria-invalid/);
    });
  });
}
