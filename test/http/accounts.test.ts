import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/domain/errors';
import { addValidity } from '../../src/domain/trusted-profile';
import { ManualClock } from '../../src/ports/clock';
import { currentTotp } from '../../src/services/second-factor';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { linkIn, startMailCatcher, type MailCatcher } from '../helpers/mail';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'correct horse battery';
const DEMO_PASSWORD = 'demo-password-123';
/** A valid PESEL from its first ten digits (the check digit computed here, independently of the code under test). */
const peselFor = (head: string): string => {
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  return `${head}${(10 - ([...head].reduce((a, d, i) => a + Number(d) * w[i]!, 0) % 10)) % 10}`;
};
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

for (const dialect of testDialects()) {
  describe(`accounts (${dialect})`, () => {
    let app: TestApp;
    let mail: MailCatcher;
    const clock = new ManualClock('2026-03-02T09:00:00.000Z');
    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, { demo: true, clock, env: { SMTP_URL: mail.url } });
    });
    after(async () => {
      await app.dispose();
      await mail.close();
    });

    const rows = async (table: 'accounts' | 'trusted_profiles') =>
      Number(
        (
          await app.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    async function registerAndVerify(email: string): Promise<WebClient> {
      const web = new WebClient(app.http);
      const res = await web.post(
        '/rejestracja',
        { displayName: 'Ewa Testowa', email, password: PASSWORD, passwordConfirm: PASSWORD, terms: 'yes' },
        '/rejestracja',
      );
      assert.equal(res.statusCode, 303, res.body);
      const link = pathOf(linkIn(await mail.waitFor(email), '/rejestracja/potwierdz?token='));
      assert.equal((await web.get(link)).statusCode, 200);
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const verified = await web.post('/rejestracja/potwierdz', { token });
      assert.equal(verified.headers.location, '/logowanie?komunikat=verified');
      return web;
    }

    test('registration refuses bad input with a message per field and stores nothing', async () => {
      const before = await rows('accounts');
      const web = new WebClient(app.http);
      const res = await web.post(
        '/rejestracja',
        { displayName: '', email: 'not-an-address', password: 'short', passwordConfirm: 'short' },
        '/rejestracja',
      );
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Podaj imię i nazwisko/);
      assert.match(res.body, /poprawnym formacie/);
      assert.match(res.body, /co najmniej 12 znaków/);
      assert.match(res.body, /Zaakceptuj regulamin/);
      const common = await web.post('/rejestracja?lang=en', {
        displayName: 'X',
        email: 'x@example.pl',
        password: 'password1234',
        passwordConfirm: 'password1234',
        terms: 'yes',
      });
      assert.equal(common.statusCode, 400);
      assert.match(common.body, /too common/);
      const mismatch = await web.post('/rejestracja?lang=pl', {
        displayName: 'X',
        email: 'x@example.pl',
        password: PASSWORD,
        passwordConfirm: `${PASSWORD}!`,
        terms: 'yes',
      });
      assert.match(mismatch.body, /różni się/);
      assert.equal(await rows('accounts'), before);
    });

    test('register → verification mail → verify once → log in → log out', async () => {
      const email = 'ewa@example.pl';
      const web = new WebClient(app.http);
      const unverified = await web.post(
        '/rejestracja',
        { displayName: 'Ewa', email, password: PASSWORD, passwordConfirm: PASSWORD, terms: 'yes' },
        '/rejestracja',
      );
      assert.equal(unverified.headers.location, '/rejestracja/wyslano');
      const early = await web.logIn(email, PASSWORD);
      assert.equal(early.statusCode, 403);
      assert.match(early.body, /potwierdź adres e-mail/);

      const link = pathOf(linkIn(await mail.waitFor(email), '/rejestracja/potwierdz?token='));
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      assert.equal((await web.post('/rejestracja/potwierdz', { token }, link)).statusCode, 303);
      const again = await web.get(link);
      assert.equal(again.statusCode, 400, 'a verification link works once');
      const reuse = await web.post('/rejestracja/potwierdz', { token }, '/rejestracja');
      assert.equal(reuse.statusCode, 400);

      const login = await web.logIn(email, PASSWORD);
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/pisma');
      const setCookie = [login.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('session='))!;
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Lax/);
      const account = await web.get('/konto');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /ewa@example\.pl/);
      assert.match(account.body, /Wyloguj się/);

      // Logging in again gives a new session id and ends the old one.
      const before = web.cookies;
      await web.logIn(email, PASSWORD);
      assert.notEqual(/session=([^;]+)/.exec(web.cookies)?.[1], /session=([^;]+)/.exec(before)?.[1]);
      const stale = await app.http.inject({
        url: '/konto',
        remoteAddress: web.ip,
        headers: { cookie: before },
      });
      assert.equal(stale.statusCode, 303, 'the previous session token no longer works');

      const out = await web.post('/wyloguj', {}, '/konto');
      assert.equal(out.statusCode, 303);
      assert.equal((await web.get('/konto')).statusCode, 303, 'logged out');
    });

    test('registering an existing address answers the same and mails a note, not a link', async () => {
      const web = new WebClient(app.http);
      const before = mail.messages.length;
      const res = await web.post(
        '/rejestracja',
        {
          displayName: 'Ktoś',
          email: 'mieszkaniec@example.pl',
          password: PASSWORD,
          passwordConfirm: PASSWORD,
          terms: 'yes',
        },
        '/rejestracja',
      );
      assert.equal(res.headers.location, '/rejestracja/wyslano');
      const note = await mail.waitFor(
        'mieszkaniec@example.pl',
        (m) => mail.messages.indexOf(m) >= before && /próba rejestracji/.test(m.subject ?? ''),
      );
      assert.doesNotMatch(note.text ?? '', /token=/);

      // Not yet confirmed: registering again sends a fresh verification link.
      const fields = {
        displayName: 'Dwa Razy',
        email: 'twice@example.pl',
        password: PASSWORD,
        passwordConfirm: PASSWORD,
        terms: 'yes',
      };
      await web.post('/rejestracja', fields, '/rejestracja');
      const firstLink = linkIn(await mail.waitFor('twice@example.pl'), '/rejestracja/potwierdz?token=');
      assert.equal(
        (await web.post('/rejestracja', fields, '/rejestracja')).headers.location,
        '/rejestracja/wyslano',
      );
      const secondLink = linkIn(
        await mail.waitFor('twice@example.pl', (m) => !(m.text ?? '').includes(firstLink)),
        '/rejestracja/potwierdz?token=',
      );
      assert.notEqual(secondLink, firstLink);
      assert.equal((await web.get(pathOf(secondLink))).statusCode, 200);
    });

    test('wrong password, unknown e-mail and locked account get the same answer; 10 failures lock for 15 minutes', async () => {
      await registerAndVerify('lock@example.pl');
      const web = new WebClient(app.http);
      const timed = async (email: string, password: string) => {
        const start = process.hrtime.bigint();
        const res = await web.logIn(email, password);
        return { res, ms: Number(process.hrtime.bigint() - start) / 1e6 };
      };
      const unknown = await timed('nobody@example.pl', PASSWORD);
      const wrong = await timed('lock@example.pl', 'wrong password 1');
      assert.equal(unknown.res.statusCode, 401);
      assert.equal(wrong.res.statusCode, 401);
      const message = (body: string) =>
        /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1];
      assert.equal(message(unknown.res.body), message(wrong.res.body));
      // Both paths run one argon2 verification: an unknown address is not answered much faster.
      assert.ok(unknown.ms > wrong.ms * 0.3, `unknown ${unknown.ms} ms vs wrong ${wrong.ms} ms`);

      for (let i = 2; i <= 10; i++)
        assert.equal((await web.logIn('lock@example.pl', `wrong password ${i}`)).statusCode, 401);
      const locked = await web.logIn('lock@example.pl', PASSWORD);
      assert.equal(locked.statusCode, 401, 'locked even with the right password');
      assert.equal(message(locked.body), message(wrong.res.body));
      clock.advance(15 * 60 * 1000 + 1000);
      assert.equal(
        (await web.logIn('lock@example.pl', PASSWORD)).statusCode,
        303,
        'unlocked after 15 minutes',
      );
      const actions = await app.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'in', ['login.failed', 'account.locked'])
        .execute();
      assert.ok(actions.some((a) => a.action === 'account.locked'));
    });

    test('password reset: single-use link valid 1 hour; the new password works, sessions end', async () => {
      const web = await registerAndVerify('reset@example.pl');
      await web.logIn('reset@example.pl', PASSWORD);
      const other = new WebClient(app.http);
      const sent = await other.post('/reset-hasla', { email: 'reset@example.pl' }, '/reset-hasla');
      assert.equal(sent.statusCode, 200);
      const unknown = await other.post('/reset-hasla', { email: 'nobody@example.pl' }, '/reset-hasla');
      assert.equal(
        unknown.body.replace(/name="_csrf" value="[^"]+"/g, ''),
        sent.body.replace(/name="_csrf" value="[^"]+"/g, ''),
        'same answer for an unknown address',
      );
      const link = pathOf(
        linkIn(
          await mail.waitFor('reset@example.pl', (m) => /reset-hasla\/nowe/.test(m.text ?? '')),
          '/reset-hasla/nowe?token=',
        ),
      );
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const weak = await other.post(
        '/reset-hasla/nowe',
        { token, password: 'short', passwordConfirm: 'short' },
        link,
      );
      assert.equal(weak.statusCode, 400);
      const done = await other.post('/reset-hasla/nowe', {
        token,
        password: 'new secret phrase 42',
        passwordConfirm: 'new secret phrase 42',
      });
      assert.equal(done.headers.location, '/logowanie?komunikat=reset');
      assert.equal(
        (
          await other.post('/reset-hasla/nowe', {
            token,
            password: 'another phrase 4242',
            passwordConfirm: 'another phrase 4242',
          })
        ).statusCode,
        400,
        'single use',
      );
      assert.equal((await web.get('/konto')).statusCode, 303, 'the old session ended');
      assert.equal((await other.logIn('reset@example.pl', PASSWORD)).statusCode, 401);
      assert.equal((await other.logIn('reset@example.pl', 'new secret phrase 42')).statusCode, 303);

      await other.post('/reset-hasla', { email: 'reset@example.pl' }, '/reset-hasla');
      const late = pathOf(
        linkIn(
          await mail.waitFor(
            'reset@example.pl',
            (m) => (m.text ?? '').includes('reset-hasla/nowe') && !(m.text ?? '').includes(token),
          ),
          '/reset-hasla/nowe?token=',
        ),
      );
      clock.advance(61 * 60 * 1000);
      assert.equal((await other.get(late)).statusCode, 400, 'expired after 1 hour');
    });

    test('password change needs the current password', async () => {
      const web = await registerAndVerify('change@example.pl');
      await web.logIn('change@example.pl', PASSWORD);
      const wrong = await web.post(
        '/konto/haslo',
        { current: 'not it at all', password: 'brand new phrase 7', passwordConfirm: 'brand new phrase 7' },
        '/konto/haslo',
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Obecne hasło jest nieprawidłowe/);
      const ok = await web.post(
        '/konto/haslo',
        { current: PASSWORD, password: 'brand new phrase 7', passwordConfirm: 'brand new phrase 7' },
        '/konto/haslo',
      );
      assert.equal(ok.headers.location, '/konto?komunikat=password');
      assert.equal((await web.get('/konto')).statusCode, 200, 'this session stays');
    });

    test('sessions end after the idle timeout and the absolute timeout', async () => {
      const web = new WebClient(app.http);
      await web.logIn('mieszkaniec@example.pl', DEMO_PASSWORD);
      assert.equal((await web.get('/konto')).statusCode, 200);
      clock.advance(31 * 60 * 1000);
      const idle = await web.get('/konto');
      assert.equal(idle.statusCode, 303, 'idle timeout (30 min)');
      assert.equal(idle.headers.location, '/logowanie?powrot=%2Fkonto&komunikat=expired');
      assert.match((await web.get(idle.headers.location)).body, /Sesja wygasła/);
      await web.logIn('mieszkaniec@example.pl', DEMO_PASSWORD);
      for (let i = 0; i < 25; i++) {
        clock.advance(29 * 60 * 1000);
        const res = await web.get('/konto');
        if (i < 24) assert.equal(res.statusCode, 200, `still active after ${(i + 1) * 29} min`);
        else assert.equal(res.statusCode, 303, 'absolute timeout (12 h)');
      }
    });

    test('TOTP: enable with a code, then login needs the second factor; recovery codes work once', async () => {
      const web = await registerAndVerify('totp@example.pl');
      await web.logIn('totp@example.pl', PASSWORD);
      await web.post('/konto/2fa/start', {}, '/konto/2fa');
      const setup = await web.get('/konto/2fa');
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec(setup.body)?.[1];
      assert.ok(secret);
      assert.equal((await web.post('/konto/2fa/wlacz', { code: '000000' })).statusCode, 400);
      const enabled = await web.post(
        '/konto/2fa/wlacz',
        { code: currentTotp(app.deps, secret) },
        '/konto/2fa',
      );
      assert.equal(enabled.statusCode, 200);
      const codes = [...enabled.body.matchAll(/<code>(\d{5}-\d{5})<\/code>/g)].map((m) => m[1]!);
      assert.equal(codes.length, 10);

      const next = new WebClient(app.http);
      const first = await next.logIn('totp@example.pl', PASSWORD);
      assert.equal(first.headers.location, '/logowanie/kod');
      assert.equal((await next.get('/konto')).statusCode, 303, 'not logged in before the second factor');
      assert.equal((await next.post('/logowanie/kod', { code: '123456' }, '/logowanie/kod')).statusCode, 400);
      assert.equal(
        (await next.post('/logowanie/kod', { code: codes[0]! }, '/logowanie/kod')).headers.location,
        '/pisma',
      );
      assert.equal((await next.get('/konto')).statusCode, 200);

      const third = new WebClient(app.http);
      await third.logIn('totp@example.pl', PASSWORD);
      assert.equal(
        (await third.post('/logowanie/kod', { code: codes[0]! }, '/logowanie/kod')).statusCode,
        400,
        'a recovery code works once',
      );
      // The code used to switch the app on was spent; the next time step's code works.
      clock.advance(30_000);
      assert.equal(
        (await third.post('/logowanie/kod', { code: currentTotp(app.deps, secret) }, '/logowanie/kod'))
          .statusCode,
        303,
      );

      // Wrong codes count towards the lockout; the lock ends the half-open login.
      const guesser = new WebClient(app.http);
      await guesser.logIn('totp@example.pl', PASSWORD);
      for (let i = 0; i < 10; i++)
        await guesser.post('/logowanie/kod', { code: String(100000 + i) }, '/logowanie/kod');
      const afterLock = await guesser.get('/logowanie/kod');
      assert.equal(afterLock.headers.location, '/logowanie', 'the half-open login ended');
      assert.equal((await guesser.logIn('totp@example.pl', PASSWORD)).statusCode, 401, 'locked');
      clock.advance(15 * 60 * 1000 + 1000);
    });

    test('trusted profile: invalid PESEL never creates an application; officer confirms; valid 3 years; extension after a fresh code', async () => {
      const web = await registerAndVerify('pz@example.pl');
      await web.logIn('pz@example.pl', PASSWORD);
      const base = {
        firstNames: 'Ewa Maria',
        surname: 'Testowa',
        birthDate: '1944-05-14',
        email: 'pz@example.pl',
        phone: '+48 600 100 200',
      };
      const before = await rows('trusted_profiles');
      const cases: [string, string, RegExp][] = [
        ['4405140135', base.birthDate, /dokładnie 11 cyfr/],
        ['44051401358', base.birthDate, /cyfra kontrolna/],
        ['44023012342', '1944-02-28', /data urodzenia nie istnieje|cyfra kontrolna/],
        ['44051401359', '1944-05-15', /różni się od podanej daty urodzenia/],
      ];
      for (const [pesel, birthDate, message] of cases) {
        const res = await web.post('/profil-zaufany', { ...base, pesel, birthDate }, '/profil-zaufany');
        assert.equal(res.statusCode, 400, pesel);
        assert.match(res.body, message);
      }
      const en = await web.post(
        '/profil-zaufany?lang=en',
        { ...base, pesel: '44051401358' },
        '/profil-zaufany?lang=en',
      );
      assert.match(en.body, /check digit does not match/);
      assert.equal(await rows('trusted_profiles'), before, 'no application stored');

      const applied = await web.post(
        '/profil-zaufany?lang=pl',
        { ...base, pesel: peselFor('9001011234'), birthDate: '1990-01-01' },
        '/profil-zaufany?lang=pl',
      );
      assert.equal(applied.headers.location, '/profil-zaufany?komunikat=applied', applied.body);
      const page = await web.get('/profil-zaufany');
      const number = /PZ-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec(page.body)![0];
      assert.match(page.body, /oczekuje na potwierdzenie/);
      const duplicate = await web.post(
        '/profil-zaufany',
        { ...base, pesel: '44051401359' },
        '/profil-zaufany',
      );
      assert.equal(duplicate.statusCode, 409, 'one live application at a time');

      // Another point's officer cannot confirm at the demo point.
      await app.services.savePoint({
        actorId: 'x',
        newId: 'druga-filia',
        name: 'Druga filia',
        address: 'ul. Inna 1',
        openingHours: 'pon.–pt. 8–16',
        phone: '',
      });
      await registerAndVerify('inny-punkt@example.pl');
      await app.services.grantRole({
        actorId: null,
        email: 'inny-punkt@example.pl',
        role: 'confirmation-officer',
        pointId: 'druga-filia',
      });
      const stranger = new WebClient(app.http);
      await stranger.logIn('inny-punkt@example.pl', PASSWORD);
      const refused = await stranger.post(
        `/punkt/wnioski/${number}`,
        { decision: 'confirm', pointId: 'umcz-kancelaria', documentType: 'id-card' },
        `/punkt/wnioski/${number}`,
      );
      assert.equal(refused.statusCode, 403);

      const officer = new WebClient(app.http);
      await officer.logIn('punkt@example.pl', DEMO_PASSWORD);
      const found = await officer.post('/punkt', { q: number }, '/punkt');
      assert.match(found.body, new RegExp(`/punkt/wnioski/${number}`));
      const noDocument = await officer.post(
        `/punkt/wnioski/${number}`,
        { decision: 'confirm', pointId: 'umcz-kancelaria' },
        `/punkt/wnioski/${number}`,
      );
      assert.equal(noDocument.statusCode, 400);
      assert.match(noDocument.body, /Wybierz rodzaj sprawdzonego dokumentu/);
      const confirmed = await officer.post(
        `/punkt/wnioski/${number}`,
        { decision: 'confirm', pointId: 'umcz-kancelaria', documentType: 'passport' },
        `/punkt/wnioski/${number}`,
      );
      assert.equal(confirmed.headers.location, `/punkt?potwierdzono=${number}`);
      const row = await app.database.db
        .selectFrom('trusted_profiles')
        .selectAll()
        .where('id', '=', number)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'confirmed');
      assert.equal(row.point_id, 'umcz-kancelaria');
      assert.equal(row.document_type, 'passport');
      assert.ok(row.officer_id && row.decided_at);
      const decided = new Date(row.decided_at);
      decided.setUTCFullYear(decided.getUTCFullYear() + 3);
      assert.equal(row.valid_until, decided.toISOString(), 'valid 3 years from confirmation');

      const status = await web.get('/profil-zaufany');
      assert.match(status.body, /Twój profil zaufany jest ważny do \d{2}\.\d{2}\.\d{4}/);

      // Extension: a fresh code by e-mail; a wrong code counts, the right one extends by 3 years.
      const started = await web.post('/profil-zaufany/przedluz', {}, '/profil-zaufany');
      const challenge = new URL(started.headers.location as string, 'http://x').searchParams.get('wyzwanie')!;
      const codeMail = await mail.waitFor('pz@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      const code = /(\d{6})/.exec(codeMail.subject ?? '')![1]!;
      const wrong = await web.post(
        '/profil-zaufany/przedluz/kod',
        { challengeId: challenge, code: code === '000000' ? '111111' : '000000' },
        started.headers.location as string,
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Pozostałe próby: 4/);
      const extended = await web.post('/profil-zaufany/przedluz/kod', { challengeId: challenge, code });
      assert.equal(extended.headers.location, '/profil-zaufany?komunikat=extended');
      const after = await app.database.db
        .selectFrom('trusted_profiles')
        .select('valid_until')
        .where('id', '=', number)
        .executeTakeFirstOrThrow();
      // A new 3-year term from the extension, never more than 3 years ahead.
      assert.equal(after.valid_until, addValidity(clock.now()));
      assert.ok(Date.parse(after.valid_until!) >= Date.parse(row.valid_until!));
      const reused = await web.post('/profil-zaufany/przedluz/kod', { challengeId: challenge, code });
      assert.equal(reused.statusCode, 400, 'a used code is refused');

      // Expiry follows the clock; so does lapse of a pending application.
      clock.advance(6 * 366 * 24 * 3600 * 1000);
      assert.match((await app.services.currentProfile(row.account_id))!.state, /expired/);
    });

    test('fresh confirmation: 5 attempts, 10 minutes', async () => {
      const account = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      const a = await app.services.startFreshConfirmation({ accountId: account.id, purpose: 'signature' });
      const code = /(\d{6})/.exec(
        (await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''))).subject ??
          '',
      )![1]!;
      const wrongCode = code === '000000' ? '111111' : '000000';
      // An empty code or one of the wrong form is a typing slip: it costs no try.
      for (const slip of ['', '   ', 'abcdef', '12345'])
        await assert.rejects(
          app.services.confirmFresh({
            accountId: account.id,
            challengeId: a.id,
            code: slip,
            purpose: 'signature',
          }),
          (e: unknown) =>
            e instanceof AppError &&
            e.code === 'bad_request' &&
            e.fieldErrors[0]?.key === (slip.trim() === '' ? 'fresh.error.empty' : 'fresh.error.format'),
        );
      for (let i = 0; i < 4; i++)
        await assert.rejects(
          app.services.confirmFresh({
            accountId: account.id,
            challengeId: a.id,
            code: wrongCode,
            purpose: 'signature',
          }),
          /bad_request/,
        );
      await assert.rejects(
        app.services.confirmFresh({
          accountId: account.id,
          challengeId: a.id,
          code: wrongCode,
          purpose: 'signature',
        }),
        /fresh_refused/,
      );
      await assert.rejects(
        app.services.confirmFresh({ accountId: account.id, challengeId: a.id, code, purpose: 'signature' }),
        /fresh_refused/,
        'locked after 5 attempts',
      );

      const b = await app.services.startFreshConfirmation({ accountId: account.id, purpose: 'receipt' });
      const codeB = /(\d{6})/.exec(
        (
          await mail.waitFor(
            'mieszkaniec@example.pl',
            (m) => /kod \d{6}/.test(m.subject ?? '') && !(m.subject ?? '').includes(code),
          )
        ).subject ?? '',
      )![1]!;
      clock.advance(10 * 60 * 1000 + 1);
      await assert.rejects(
        app.services.confirmFresh({
          accountId: account.id,
          challengeId: b.id,
          code: codeB,
          purpose: 'receipt',
        }),
        /fresh_refused/,
        'expired after 10 minutes',
      );

      const c = await app.services.startFreshConfirmation({ accountId: account.id, purpose: 'receipt' });
      const codeC = /(\d{6})/.exec(
        (
          await mail.waitFor(
            'mieszkaniec@example.pl',
            (m) =>
              /kod \d{6}/.test(m.subject ?? '') &&
              !(m.subject ?? '').includes(code) &&
              !(m.subject ?? '').includes(codeB),
          )
        ).subject ?? '',
      )![1]!;
      await assert.rejects(
        app.services.confirmFresh({
          accountId: account.id,
          challengeId: c.id,
          code: codeC,
          purpose: 'signature',
        }),
        /fresh_refused/,
        'bound to its purpose',
      );
      await app.services.confirmFresh({
        accountId: account.id,
        challengeId: c.id,
        code: codeC,
        purpose: 'receipt',
      });
      await assert.rejects(
        app.services.confirmFresh({
          accountId: account.id,
          challengeId: c.id,
          code: codeC,
          purpose: 'receipt',
        }),
        /fresh_refused/,
        'single use',
      );
    });

    test('a pending application lapses after 14 days and cannot be confirmed', async () => {
      const web = await registerAndVerify('lapse@example.pl');
      await web.logIn('lapse@example.pl', PASSWORD);
      const pesel = peselFor('8503151234');
      const res = await web.post(
        '/profil-zaufany',
        {
          firstNames: 'Adam',
          surname: 'Lapski',
          pesel,
          birthDate: '1985-03-15',
          email: 'lapse@example.pl',
          phone: '600100200',
        },
        '/profil-zaufany',
      );
      assert.equal(res.statusCode, 303, res.body);
      // Lapses at the end of the 14th Warsaw calendar day after filing: 15 days on is past it.
      clock.advance(15 * 24 * 3600 * 1000);
      const officer = new WebClient(app.http);
      await officer.logIn('punkt@example.pl', DEMO_PASSWORD);
      const search = await officer.post('/punkt', { q: pesel }, '/punkt');
      assert.match(search.body, /Nie znaleziono oczekującego wniosku/);
      await web.logIn('lapse@example.pl', PASSWORD);
      assert.match((await web.get('/profil-zaufany')).body, /wniosek wygasł/);
    });

    test('login is rate limited per IP address', async () => {
      const web = new WebClient(app.http);
      let last = 0;
      for (let i = 0; i < 25 && last !== 429; i++)
        last = (await web.logIn('nobody@example.pl', 'wrong password x')).statusCode;
      assert.equal(last, 429);
    });
  });
}
