import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/ports/clock';
import { DEMO_DELIVERY_TITLE, DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import {
  FRESH_CAP_WINDOW_MS,
  FRESH_MAX_ATTEMPTS,
  FRESH_MAX_CHALLENGES,
} from '../../src/services/fresh-confirmation';
import {
  ADDRESS_FAILURES,
  clientKey,
  LOCKOUT_FAILURES,
  LOCKOUT_WINDOW_MS,
  recordLoginFailure,
} from '../../src/services/log-in';
import { currentTotp } from '../../src/services/second-factor';
import { csrfFrom, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { linkIn, startMailCatcher, type MailCatcher } from '../helpers/mail';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'correct horse battery';
const DEMO_PASSWORD = 'demo-password-123';
const OTHER = 'another long passphrase';
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

/** Return addresses known to take a browser off-site, and ones that break the Location header. */
export const RETURN_BYPASSES = [
  '//evil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  '/\\evil.example/',
  '\\/evil.example/',
  '/\\/evil.example/',
  '/%2F/evil.example/',
  '/%5Cevil.example/',
  '/%09/evil.example/',
  'https://evil.example/',
  'javascript:alert(1)',
  ' /evil',
  '/\u0000/evil.example',
  '/x\r\nSet-Cookie: a=b',
  '/\u2028/evil.example',
];

for (const dialect of testDialects()) {
  describe(`hardening (${dialect})`, () => {
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

    const register = (web: WebClient, email: string, password: string, displayName: string) =>
      web.post(
        '/rejestracja',
        { displayName, email, password, passwordConfirm: password, terms: 'yes' },
        '/rejestracja',
      );
    const verifyLink = async (email: string, skip: string[] = []) =>
      linkIn(
        await mail.waitFor(email, (m) => !skip.some((s) => (m.text ?? '').includes(s))),
        '/rejestracja/potwierdz?token=',
      );

    async function registerAndVerify(email: string): Promise<WebClient> {
      const web = new WebClient(app.http);
      assert.equal((await register(web, email, PASSWORD, 'Ewa')).statusCode, 303);
      const link = await verifyLink(email);
      await web.post('/rejestracja/potwierdz', { token: tokenOf(link) }, pathOf(link));
      return web;
    }

    test('row 1: re-registering an unconfirmed address replaces the password; the squatter’s password never works', async () => {
      const email = 'victim@example.pl';
      const attacker = new WebClient(app.http);
      assert.equal((await register(attacker, email, OTHER, 'Napastnik')).statusCode, 303);
      const attackerLink = await verifyLink(email);
      const owner = new WebClient(app.http);
      assert.equal((await register(owner, email, PASSWORD, 'Właścicielka')).statusCode, 303);
      const ownerLink = await verifyLink(email, [tokenOf(attackerLink)]);
      // The first link (asked for with the squatter's password) no longer confirms anything.
      assert.equal(
        (await owner.post('/rejestracja/potwierdz', { token: tokenOf(attackerLink) }, '/rejestracja'))
          .statusCode,
        400,
      );
      await owner.post('/rejestracja/potwierdz', { token: tokenOf(ownerLink) }, pathOf(ownerLink));
      assert.equal((await attacker.logIn(email, OTHER)).statusCode, 401, 'the squatter’s password is gone');
      assert.equal((await owner.logIn(email, PASSWORD)).headers.location, '/pisma');
      const page = await owner.get('/konto');
      const row = await app.database.db
        .selectFrom('accounts')
        .select('display_name')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      assert.equal(row.display_name, 'Właścicielka', page.statusCode.toString());
    });

    test('row 2: every return address stays on this site (login and cookie choice)', async () => {
      const web = await registerAndVerify('return@example.pl');
      for (const bad of RETURN_BYPASSES) {
        const login = await web.post(
          '/logowanie',
          { email: 'return@example.pl', password: PASSWORD, returnTo: bad },
          '/logowanie',
        );
        assert.equal(login.statusCode, 303, JSON.stringify(bad));
        assert.equal(login.headers.location, '/pisma', JSON.stringify(bad));
        const already = await web.get(`/logowanie?powrot=${encodeURIComponent(bad)}`);
        assert.equal(already.headers.location, '/pisma', JSON.stringify(bad));
        const cookies = await web.post('/cookies', { consent: 'declined', returnTo: bad }, '/cookies');
        assert.equal(cookies.statusCode, 303, JSON.stringify(bad));
        assert.equal(cookies.headers.location, '/', JSON.stringify(bad));
      }
      const good = await web.get(`/logowanie?powrot=${encodeURIComponent('/pisma?strona=2#lista')}`);
      assert.equal(good.headers.location, '/pisma?strona=2#lista');
    });

    test('row 3: the letter form counts bytes while they stream and stops at the office’s limit', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', DEMO_PASSWORD);
      const csrf = csrfFrom((await resident.get('/pisma/nowe')).body);
      const limit = (await app.services.getOffice('umczestochowa')).policy.maxSizeBytes;
      const tmp = path.join(app.deps.config.dataDir, 'blobs', 'tmp');
      const staged = () => (fs.existsSync(tmp) ? fs.readdirSync(tmp).length : 0);
      const drafts = async () =>
        (await app.database.db.selectFrom('letter_drafts').select('id').execute()).length;
      const before = staged();
      const draftsBefore = await drafts();
      const boundary = 'uo-row3-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="officeId"\r\n\r\numczestochowa\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="duzy.pdf"\r\n` +
          'Content-Type: application/pdf\r\n\r\n%PDF-1.7\n',
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      // Ten times the limit is on offer; a server that stores first and checks later reads it all.
      const offered = 10 * limit;
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let produced = 0;
      const body = new Readable({
        read() {
          if (produced === 0) this.push(head);
          if (produced >= offered) {
            this.push(tail);
            this.push(null);
            return;
          }
          produced += chunk.length;
          this.push(chunk);
        },
      });
      const res = await app.http.inject({
        method: 'POST',
        url: '/pisma/nowe',
        remoteAddress: resident.ip,
        headers: { cookie: resident.cookies, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /przekracza dopuszczalny rozmiar/);
      assert.ok(produced < 2 * limit, `read ${produced} bytes for a limit of ${limit}`);
      assert.equal(staged(), before, 'nothing is left staged');
      assert.equal(await drafts(), draftsBefore, 'no draft is kept');
    });

    test('the letter form: a token missing, wrong, after the files or only in the address is refused (403) and no draft is kept', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', DEMO_PASSWORD);
      const csrf = csrfFrom((await resident.get('/pisma/nowe')).body);
      const drafts = async () =>
        (await app.database.db.selectFrom('letter_drafts').select('id').execute()).length;
      const before = await drafts();
      const boundary = 'uo-token-boundary';
      const field = (name: string, value: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const letter =
        field('officeId', 'umczestochowa') +
        field('kind', 'podanie') +
        field('title', 'Wniosek') +
        field('place', 'Częstochowa') +
        field('body', 'Treść.') +
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="a.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n%PDF-1.7\n\r\n';
      const post = (url: string, body: string) =>
        app.http.inject({
          method: 'POST',
          url,
          remoteAddress: resident.ip,
          headers: { cookie: resident.cookies, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: `${body}--${boundary}--\r\n`,
        });
      const wrong = `${csrf.slice(0, -2)}${csrf.endsWith('xx') ? 'yy' : 'xx'}`;
      for (const [name, res] of [
        ['missing', await post('/pisma/nowe', letter)],
        ['wrong', await post('/pisma/nowe', field('_csrf', wrong) + letter)],
        ['after the files', await post('/pisma/nowe', letter + field('_csrf', csrf))],
        ['in the address', await post(`/pisma/nowe?_csrf=${encodeURIComponent(csrf)}`, letter)],
      ] as const)
        assert.equal(res.statusCode, 403, name);
      assert.equal(await drafts(), before, 'no draft kept');
      // The same form with its token first is taken.
      const taken = await post('/pisma/nowe', field('_csrf', csrf) + letter);
      assert.equal(taken.statusCode, 303, taken.body);
      assert.equal(await drafts(), before + 1);
    });

    test('row 7: a completed reset ends every other reset link and every session', async () => {
      const email = 'reset@example.pl';
      const session = await registerAndVerify(email);
      await session.logIn(email, PASSWORD);
      const web = new WebClient(app.http);
      const links: string[] = [];
      for (let i = 0; i < 2; i++) {
        await web.post('/reset-hasla', { email }, '/reset-hasla');
        links.push(
          linkIn(
            await mail.waitFor(
              email,
              (m) => /nowe hasło/.test(m.subject ?? '') && !links.some((l) => (m.text ?? '').includes(l)),
            ),
            '/reset-hasla/nowe?token=',
          ),
        );
      }
      const done = await web.post(
        '/reset-hasla/nowe',
        { token: tokenOf(links[1]!), password: OTHER, passwordConfirm: OTHER },
        pathOf(links[1]!),
      );
      assert.equal(done.statusCode, 303);
      assert.equal((await web.get(pathOf(links[0]!))).statusCode, 400, 'the older link no longer works');
      const late = await web.post(
        '/reset-hasla/nowe',
        { token: tokenOf(links[0]!), password: PASSWORD, passwordConfirm: PASSWORD },
        '/reset-hasla',
      );
      assert.equal(late.statusCode, 400);
      assert.equal((await session.get('/konto')).statusCode, 303, 'the old session ended');

      // A password change also ends open reset links.
      const owner = new WebClient(app.http);
      await owner.logIn(email, OTHER);
      await web.post('/reset-hasla', { email }, '/reset-hasla');
      const open = linkIn(
        await mail.waitFor(
          email,
          (m) => /nowe hasło/.test(m.subject ?? '') && !links.some((l) => (m.text ?? '').includes(l)),
        ),
        '/reset-hasla/nowe?token=',
      );
      const changed = await owner.post(
        '/konto/haslo',
        { current: OTHER, password: PASSWORD, passwordConfirm: PASSWORD },
        '/konto/haslo',
      );
      assert.equal(changed.statusCode, 303);
      assert.equal((await web.get(pathOf(open))).statusCode, 400);
    });

    test('row 9: a TOTP code works once', async () => {
      const email = 'replay@example.pl';
      const web = await registerAndVerify(email);
      await web.logIn(email, PASSWORD);
      await web.post('/konto/2fa/start', {}, '/konto/2fa');
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec((await web.get('/konto/2fa')).body)![1]!;
      const enabled = await web.post(
        '/konto/2fa/wlacz',
        { code: currentTotp(app.deps, secret) },
        '/konto/2fa',
      );
      assert.equal(enabled.statusCode, 200);
      clock.advance(30_000);
      const code = currentTotp(app.deps, secret);
      const first = new WebClient(app.http);
      await first.logIn(email, PASSWORD);
      assert.equal(
        (await first.post('/logowanie/kod', { code }, '/logowanie/kod')).headers.location,
        '/pisma',
      );
      const second = new WebClient(app.http);
      await second.logIn(email, PASSWORD);
      assert.equal(
        (await second.post('/logowanie/kod', { code }, '/logowanie/kod')).statusCode,
        400,
        'replayed',
      );
      // The code of an earlier step (still inside the drift window) is refused too.
      clock.advance(30_000);
      assert.equal((await second.post('/logowanie/kod', { code }, '/logowanie/kod')).statusCode, 400);
      const fresh = currentTotp(app.deps, secret);
      assert.equal(
        (await second.post('/logowanie/kod', { code: fresh }, '/logowanie/kod')).headers.location,
        '/pisma',
      );
    });
    const application = (pesel: string, birthDate: string, email: string) => ({
      firstNames: 'Jan',
      surname: 'Testowy',
      pesel,
      birthDate,
      email,
      phone: '+48 600 100 200',
    });
    const applicationNumber = async (web: WebClient) =>
      /PZ-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/.exec((await web.get('/profil-zaufany')).body)![0];
    const decide = (officer: WebClient, number: string) =>
      officer.post(
        `/punkt/wnioski/${number}`,
        { decision: 'confirm', pointId: 'umcz-kancelaria', documentType: 'id-card' },
        `/punkt/wnioski/${number}`,
      );

    test('row 10: applying never tells whether a PESEL has a profile, and nobody can block a PESEL', async () => {
      // The demo resident's PESEL has a confirmed profile; a stranger's application looks like any other.
      const stranger = await registerAndVerify('oracle@example.pl');
      await stranger.logIn('oracle@example.pl', PASSWORD);
      const taken = await stranger.post(
        '/profil-zaufany',
        application(DEMO_RESIDENT_PESEL, '1944-05-14', 'oracle@example.pl'),
        '/profil-zaufany',
      );
      assert.equal(taken.statusCode, 303, 'no answer that differs for a PESEL with a profile');
      assert.equal(taken.headers.location, '/profil-zaufany?komunikat=applied');
      const officer = new WebClient(app.http);
      await officer.logIn('punkt@example.pl', DEMO_PASSWORD);
      // The conflict is resolved at the desk: the officer is told, and cannot confirm a second profile.
      const conflict = await decide(officer, await applicationNumber(stranger));
      assert.equal(conflict.statusCode, 409);
      assert.match(conflict.body, /ma już ważny profil zaufany/);

      // A pending application by someone else does not block the PESEL's owner.
      const squatter = await registerAndVerify('block@example.pl');
      await squatter.logIn('block@example.pl', PASSWORD);
      const pesel = '90010112349';
      await squatter.post(
        '/profil-zaufany',
        application(pesel, '1990-01-01', 'block@example.pl'),
        '/profil-zaufany',
      );
      const owner = await registerAndVerify('owner-pz@example.pl');
      await owner.logIn('owner-pz@example.pl', PASSWORD);
      const mine = await owner.post(
        '/profil-zaufany',
        application(pesel, '1990-01-01', 'owner-pz@example.pl'),
        '/profil-zaufany',
      );
      assert.equal(mine.headers.location, '/profil-zaufany?komunikat=applied');
      assert.equal((await decide(officer, await applicationNumber(owner))).statusCode, 303);
      assert.equal((await decide(officer, await applicationNumber(squatter))).statusCode, 409);
    });

    test('row 11: a confirmation officer cannot confirm or reject his own application', async () => {
      const officer = new WebClient(app.http);
      await officer.logIn('punkt@example.pl', DEMO_PASSWORD);
      const applied = await officer.post(
        '/profil-zaufany',
        application('85030312341', '1985-03-03', 'punkt@example.pl'),
        '/profil-zaufany',
      );
      assert.equal(applied.statusCode, 303);
      const number = await applicationNumber(officer);
      const own = await decide(officer, number);
      assert.equal(own.statusCode, 403);
      assert.match(own.body, /własnego wniosku/);
      const reject = await officer.post(
        `/punkt/wnioski/${number}`,
        { decision: 'reject', pointId: 'umcz-kancelaria', reason: 'x' },
        `/punkt/wnioski/${number}`,
      );
      assert.equal(reject.statusCode, 403);
      const row = await app.database.db
        .selectFrom('trusted_profiles')
        .select('status')
        .where('id', '=', number)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
    });
    test('row 11: a clerk neither registers, assigns nor closes a letter he filed, and nobody assigns it to him', async () => {
      const ids = Object.fromEntries(
        (
          await app.database.db
            .selectFrom('accounts')
            .select(['id', 'email'])
            .where('email', 'in', ['urzednik@example.pl', 'admin@example.pl'])
            .execute()
        ).map((r) => [r.email, r.id]),
      ) as Record<string, string>;
      const filer = ids['urzednik@example.pl']!;
      await app.services.grantRole({
        actorId: null,
        email: 'admin@example.pl',
        role: 'clerk',
        officeId: 'umczestochowa',
        pointId: null,
      });
      const own = await app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: { type: 'account', ref: filer, name: 'Anna Nowak' },
        files: [
          {
            field: 'document',
            name: 'wniosek.txt',
            staged: await app.deps.blobs.stage(Buffer.from('Treść', 'utf8')),
          },
        ],
        title: 'Wniosek urzędniczki we własnej sprawie',
      });
      const base = `/urzad/umczestochowa/dokumenty/${own.documentId}`;
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', DEMO_PASSWORD);
      const other = new WebClient(app.http);
      await other.logIn('admin@example.pl', DEMO_PASSWORD);
      const status = async () =>
        (
          await app.database.db
            .selectFrom('documents')
            .select(['status', 'assignee_id'])
            .where('id', '=', own.documentId)
            .executeTakeFirstOrThrow()
        ).status;

      const register = await clerk.post(`${base}/rejestruj`, {}, base);
      assert.equal(register.statusCode, 403);
      assert.match(register.body, /który sam złożyłeś/);
      assert.equal(await status(), 'received');
      assert.equal((await other.post(`${base}/rejestruj`, {}, base)).statusCode, 303);

      const department = (await app.services.listDepartments('umczestochowa'))[0]!.id;
      const selfAssign = await clerk.post(
        `${base}/przekaz`,
        { departmentId: department, assigneeId: filer },
        base,
      );
      assert.equal(selfAssign.statusCode, 403);
      const toFiler = await other.post(
        `${base}/przekaz`,
        { departmentId: department, assigneeId: filer },
        base,
      );
      assert.equal(toFiler.statusCode, 400);
      assert.match(toFiler.body, /urzędnikowi, który sam go złożył/);
      assert.equal(await status(), 'registered');
      const assigned = await other.post(
        `${base}/przekaz`,
        { departmentId: department, assigneeId: ids['admin@example.pl']! },
        base,
      );
      assert.equal(assigned.statusCode, 303);
      assert.equal((await clerk.post(`${base}/zamknij`, {}, base)).statusCode, 403);
      assert.equal(await status(), 'assigned');
      assert.equal((await other.post(`${base}/zamknij`, {}, base)).statusCode, 303);
      assert.equal(await status(), 'closed');
    });

    test('staff: the officer searches a PESEL by POST; a PESEL in a URL finds nothing', async () => {
      const pesel = '92050512345';
      const resident = await registerAndVerify('pesel-url@example.pl');
      await resident.logIn('pesel-url@example.pl', PASSWORD);
      await resident.post(
        '/profil-zaufany',
        application(pesel, '1992-05-05', 'pesel-url@example.pl'),
        '/profil-zaufany',
      );
      const number = await applicationNumber(resident);
      const officer = new WebClient(app.http);
      await officer.logIn('punkt@example.pl', DEMO_PASSWORD);
      const desk = await officer.get('/punkt');
      assert.match(desk.body, /<form method="post" action="\/punkt"[^>]*role="search"/);
      const byUrl = await officer.get(`/punkt?q=${pesel}`);
      assert.equal(byUrl.statusCode, 200);
      assert.doesNotMatch(byUrl.body, new RegExp(number), 'a query string is never searched');
      const main = /<main[\s\S]*<\/main>/.exec(byUrl.body)![0];
      assert.doesNotMatch(main, new RegExp(pesel), 'nor put in the search field');
      const found = await officer.post('/punkt', { q: pesel }, '/punkt');
      assert.equal(found.statusCode, 200);
      assert.match(found.body, new RegExp(`/punkt/wnioski/${number}`));
      assert.equal(found.headers['cache-control'], 'no-store');
      // Without the form's CSRF token the search is refused.
      const forged = await app.http.inject({
        method: 'POST',
        url: '/punkt',
        headers: { cookie: officer.cookies },
        payload: { q: pesel },
      });
      assert.equal(forged.statusCode, 403);
    });

    test('row 14: malformed URLs and overlong parameters leave through the one error handler', async () => {
      const cases = [
        '/urzad/%E0%A4%A/x',
        '/%',
        `/pisma/szkic/${'a'.repeat(300)}`,
        '/api/v1/%E0%A4%A',
        '/api/v1/%',
        `/api/v1/deliveries/${'a'.repeat(300)}`,
      ];
      for (const url of cases) {
        const res = await app.http.inject({ url });
        assert.ok(res.statusCode === 400 || res.statusCode === 414, `${url}: ${res.statusCode}`);
        assert.doesNotMatch(res.body, /FST_ERR|statusCode/, url);
        if (url.startsWith('/api/')) {
          assert.match(String(res.headers['content-type']), /^application\/problem\+json/, url);
          assert.equal(JSON.parse(res.body).status, res.statusCode);
        } else {
          assert.match(String(res.headers['content-type']), /^text\/html/, url);
          assert.match(res.body, /Nieprawidłowe żądanie/, url);
        }
      }
    });

    test('row 15: knowing an address does not lock its owner out', async () => {
      const email = 'target@example.pl';
      await registerAndVerify(email);
      // Ten wrong passwords from one client shut out that client, even with the right password…
      const attacker = new WebClient(app.http);
      for (let i = 0; i < LOCKOUT_FAILURES; i++)
        assert.equal((await attacker.logIn(email, `wrong ${i}`)).statusCode, 401);
      assert.equal((await attacker.logIn(email, PASSWORD)).statusCode, 401, 'this client is shut out');
      // …while the owner, on his own device, logs in as always.
      const owner = new WebClient(app.http);
      assert.equal((await owner.logIn(email, PASSWORD)).headers.location, '/pisma');
      // The owner's login does not give the attacker's client new tries.
      assert.equal((await attacker.logIn(email, PASSWORD)).statusCode, 401);

      // An attack from many clients: after a hundred wrong passwords only a second factor passes.
      await owner.post('/konto/2fa/start', {}, '/konto/2fa');
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec((await owner.get('/konto/2fa')).body)![1]!;
      await owner.post('/konto/2fa/wlacz', { code: currentTotp(app.deps, secret) }, '/konto/2fa');
      await registerAndVerify('plain-target@example.pl');
      // Ten clients with ten wrong passwords each, written as the login writes them.
      for (const target of [email, 'plain-target@example.pl']) {
        const { id } = await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', target)
          .executeTakeFirstOrThrow();
        for (let i = 0; i < ADDRESS_FAILURES; i++)
          await recordLoginFailure(app.deps, id, 'credentials', clientKey(`10.99.0.${i % 10}`));
      }
      const withoutSecondFactor = await new WebClient(app.http).logIn('plain-target@example.pl', PASSWORD);
      assert.equal(withoutSecondFactor.statusCode, 401, 'no second factor: the address waits out the window');
      clock.advance(30_000);
      const withSecondFactor = new WebClient(app.http);
      const half = await withSecondFactor.logIn(email, PASSWORD);
      assert.equal(half.headers.location, '/logowanie/kod', 'the owner’s second factor still passes');
      const code = currentTotp(app.deps, secret);
      assert.equal(
        (await withSecondFactor.post('/logowanie/kod', { code }, '/logowanie/kod')).headers.location,
        '/pisma',
      );
      clock.advance(LOCKOUT_WINDOW_MS + 1000);
      assert.equal(
        (await new WebClient(app.http).logIn('plain-target@example.pl', PASSWORD)).headers.location,
        '/pisma',
        'the window passes',
      );
    });

    // Runs last: it locks the demo resident for a while.
    test('row 8: at most 10 confirmations an hour per account; wrong codes count toward the lockout', async () => {
      const web = new WebClient(app.http);
      await web.logIn('mieszkaniec@example.pl', DEMO_PASSWORD);
      const demo = await app.database.db
        .selectFrom('deliveries')
        .select(['id', 'recipient_account_id'])
        .where('title', '=', DEMO_DELIVERY_TITLE)
        .executeTakeFirstOrThrow();
      const page = `/skrzynka/${demo.id}`;
      const challenges: string[] = [];
      for (let i = 0; i < FRESH_MAX_CHALLENGES; i++) {
        const started = await web.post(`${page}/odbior`, {}, page);
        assert.equal(started.statusCode, 303, `challenge ${i + 1}`);
        challenges.push(new URL(String(started.headers.location), 'http://x').searchParams.get('wyzwanie')!);
      }
      const over = await web.post(`${page}/odbior`, {}, page);
      assert.equal(over.statusCode, 429);
      assert.match(over.body, /Spróbuj ponownie za godzinę/);

      // Ten wrong codes over two challenges: the account is locked like after ten wrong passwords.
      for (let i = 0; i < LOCKOUT_FAILURES; i++) {
        const wrong = await web.post(
          `${page}/odbior/kod`,
          { challengeId: challenges[Math.floor(i / FRESH_MAX_ATTEMPTS)]!, code: '000000' },
          page,
        );
        assert.equal(wrong.statusCode, 400, `wrong code ${i + 1}`);
      }
      const account = await app.database.db
        .selectFrom('accounts')
        .select('locked_until')
        .where('id', '=', demo.recipient_account_id)
        .executeTakeFirstOrThrow();
      assert.ok(account.locked_until && account.locked_until > clock.now().toISOString(), 'locked');
      assert.equal(
        (await new WebClient(app.http).logIn('mieszkaniec@example.pl', DEMO_PASSWORD)).statusCode,
        401,
      );

      clock.advance(FRESH_CAP_WINDOW_MS + 1000);
      const later = new WebClient(app.http);
      assert.equal((await later.logIn('mieszkaniec@example.pl', DEMO_PASSWORD)).statusCode, 303);
      assert.equal(
        (await later.post(`${page}/odbior`, {}, page)).statusCode,
        303,
        'a new hour, a new budget',
      );
    });
  });
}
