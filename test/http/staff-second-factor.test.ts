import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { currentTotp } from '../../src/services/second-factor';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';
const DESK = '/urzad/umczestochowa/skrzynka';

for (const dialect of testDialects()) {
  describe(`staff second factor on a password login (${dialect})`, () => {
    let app: TestApp;
    const clock = new ManualClock('2026-03-02T10:00:00.000Z');
    before(async () => {
      app = await startTestApp(dialect, { demo: true, clock });
    });
    after(async () => app.dispose());

    const secretOf = async (email: string) =>
      (
        await app.database.db
          .selectFrom('accounts')
          .select('totp_secret')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).totp_secret!;

    test('a clerk’s password alone opens no staff page; the code does; a recovery-less code is spent once', async () => {
      const clerk = new WebClient(app.http);
      const login = await clerk.post(
        '/logowanie',
        { email: 'urzednik@example.pl', password: PASSWORD },
        '/logowanie',
      );
      assert.equal(login.headers.location, '/logowanie/kod');
      assert.equal((await clerk.get(DESK)).statusCode, 303, 'not logged in before the code');
      const code = currentTotp(app.deps, await secretOf('urzednik@example.pl'));
      const done = await clerk.post('/logowanie/kod', { code }, '/logowanie/kod');
      assert.equal(done.headers.location, DESK);
      assert.equal((await clerk.get(DESK)).statusCode, 200);
      const replay = new WebClient(app.http);
      await replay.post('/logowanie', { email: 'urzednik@example.pl', password: PASSWORD }, '/logowanie');
      assert.equal((await replay.post('/logowanie/kod', { code }, '/logowanie/kod')).statusCode, 400);
    });

    test('staff without a second factor keep resident rights, get 403 staff_second_factor and are led to set it up; the next login with the code opens the desk', async () => {
      await app.services.grantRole({
        actorId: null,
        email: 'mieszkaniec@example.pl',
        role: 'clerk',
        officeId: 'umczestochowa',
      });
      const web = new WebClient(app.http);
      const login = await web.post(
        '/logowanie',
        { email: 'mieszkaniec@example.pl', password: PASSWORD },
        '/logowanie',
      );
      assert.equal(login.headers.location, '/konto/2fa', 'led to set up the app');
      const setupPage = await web.get('/konto/2fa');
      assert.match(setupPage.body, /nie otwiera stron pracownika/u);
      assert.equal((await web.get('/pisma')).statusCode, 200, 'what every resident may do still works');
      const desk = await web.get(DESK);
      assert.equal(desk.statusCode, 403);
      assert.match(desk.body, /nie otwiera stron pracownika/u);

      await web.post('/konto/2fa/start', {}, '/konto/2fa');
      const secret = /id="totp-secret">([A-Z2-7]+)</u.exec((await web.get('/konto/2fa')).body)![1]!;
      const enabled = await web.post(
        '/konto/2fa/wlacz',
        { code: currentTotp(app.deps, secret) },
        '/konto/2fa',
      );
      assert.equal(enabled.statusCode, 200);
      const recovery = [...enabled.body.matchAll(/<code>(\d{5}-\d{5})<\/code>/g)].map((m) => m[1]!);
      assert.equal((await web.get(DESK)).statusCode, 403, 'this session stays without staff rights');

      clock.advance(30_000);
      const next = new WebClient(app.http);
      await next.post('/logowanie', { email: 'mieszkaniec@example.pl', password: PASSWORD }, '/logowanie');
      const done = await next.post(
        '/logowanie/kod',
        { code: currentTotp(app.deps, secret) },
        '/logowanie/kod',
      );
      assert.equal(done.headers.location, DESK);
      assert.equal((await next.get(DESK)).statusCode, 200);

      // A recovery code stands in for the app.
      const lost = new WebClient(app.http);
      await lost.post('/logowanie', { email: 'mieszkaniec@example.pl', password: PASSWORD }, '/logowanie');
      assert.equal(
        (await lost.post('/logowanie/kod', { code: recovery[0]! }, '/logowanie/kod')).statusCode,
        303,
      );
      assert.equal((await lost.get(DESK)).statusCode, 200);

      // The platform admin sees whose factor is on.
      const admin = new WebClient(app.http);
      await admin.logIn('admin@example.pl', PASSWORD);
      const roles = await admin.get('/admin/role');
      assert.match(roles.body, /Drugi składnik/u);
      const roleId = (
        await app.database.db
          .selectFrom('account_roles')
          .innerJoin('accounts', 'accounts.id', 'account_roles.account_id')
          .select('account_roles.id')
          .where('accounts.email', '=', 'mieszkaniec@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
      assert.equal((await admin.post(`/admin/role/${roleId}/usun`, {}, '/admin/role')).statusCode, 303);
    });

    test('a resident without a second factor logs in with the password alone, as before', async () => {
      const web = new WebClient(app.http);
      await web.post(
        '/rejestracja',
        {
          email: 'plain@example.pl',
          password: PASSWORD,
          passwordConfirm: PASSWORD,
          displayName: 'Ewa Zwykła',
          terms: 'yes',
        },
        '/rejestracja',
      );
      await app.database.db
        .updateTable('accounts')
        .set({ email_verified_at: clock.now().toISOString() })
        .where('email', '=', 'plain@example.pl')
        .execute();
      const login = await web.post(
        '/logowanie',
        { email: 'plain@example.pl', password: PASSWORD },
        '/logowanie',
      );
      assert.equal(login.headers.location, '/pisma');
      assert.equal((await web.get('/pisma')).statusCode, 200);
    });
  });
}
