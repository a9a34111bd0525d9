import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatDay, warsawDay, addCalendarDays } from '../../src/domain/legal-time';
import { ManualClock } from '../../src/ports/clock';
import { addOtherOffice, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`API token page of an office admin (${dialect})`, () => {
    let app: TestApp;
    let admin: WebClient;
    let otherAdmin: WebClient;
    const page = '/urzad/umczestochowa/tokeny';
    const pending = '/api/v1/boxes/umczestochowa/skrytka/pending';

    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0' } });
      await addOtherOffice(app);
      await app.services.grantRole({
        actorId: null,
        email: 'admin@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      // The clerk of Częstochowa administers Kraków only: the Częstochowa page is not theirs.
      await app.services.grantRole({
        actorId: null,
        email: 'punkt@example.pl',
        role: 'office-admin',
        officeId: 'umkrakow',
      });
      admin = new WebClient(app.http);
      assert.equal((await admin.logIn('admin@example.pl', PASSWORD)).statusCode, 303);
      otherAdmin = new WebClient(app.http);
      assert.equal((await otherAdmin.logIn('punkt@example.pl', PASSWORD)).statusCode, 303);
    });
    after(async () => app.dispose());

    test('the office page links the token page for its admin only; a clerk and another office’s admin are refused', async () => {
      const office = await admin.get('/urzad/umczestochowa');
      assert.match(office.body, /href="\/urzad\/umczestochowa\/tokeny"/);
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      assert.doesNotMatch((await clerk.get('/urzad/umczestochowa')).body, /\/tokeny/);
      assert.equal((await clerk.get(page)).statusCode, 403);
      assert.equal((await otherAdmin.get(page)).statusCode, 403);
      assert.equal((await otherAdmin.get('/urzad/umkrakow/tokeny')).statusCode, 200);
      assert.equal((await new WebClient(app.http).get(page)).statusCode, 303, 'anonymous: to the login');
    });

    test('bad input names each field in Polish and English and saves nothing; no CSRF token is refused', async () => {
      const bad = await admin.post(page, { name: '', scope: 'everything', expires: '' }, page);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /govuk-error-summary/);
      assert.match(bad.body, /href="#name"/);
      assert.match(bad.body, /href="#scope"/);
      assert.match(bad.body, /Wybierz zakres tokenu/);
      const badDate = await admin.post(
        `${page}?lang=en`,
        { name: 'EZD', scope: 'pull', expires: '2027-02-30' },
        `${page}?lang=en`,
      );
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.body, /Give the expiry date as YYYY-MM-DD/);
      assert.match(badDate.body, /value="EZD"/, 'the name is kept');
      const allAtOnce = await admin.post(page, { name: ' ', scope: 'pull', expires: '1900-01-01' }, page);
      assert.equal(allAtOnce.statusCode, 400);
      assert.match(allAtOnce.body, /href="#name"/);
      assert.match(allAtOnce.body, /href="#expires"/);
      // The language chosen stays for the visit: back to Polish.
      const past = await admin.post(
        page,
        { name: 'EZD', scope: 'pull', expires: '2020-01-01' },
        `${page}?lang=pl`,
      );
      assert.equal(past.statusCode, 400);
      assert.match(past.body, /musi być w przyszłości/);
      const noCsrf = await app.http.inject({
        method: 'POST',
        url: page,
        remoteAddress: admin.ip,
        headers: { cookie: admin.cookies },
        payload: { name: 'EZD', scope: 'pull' },
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.deepEqual(await app.services.listIntegrationTokens('umczestochowa'), [], 'nothing saved');
    });

    test('creating shows id and secret once; the token works; the list shows it without the secret; revoking by id refuses it', async () => {
      const created = await admin.post(
        page,
        { name: 'EZD kancelarii', scope: 'pull', expires: '2099-06-30' },
        page,
      );
      assert.equal(created.statusCode, 201);
      assert.equal(created.headers['cache-control'], 'no-store');
      const secret = /uo_[A-Za-z0-9_-]{43}/.exec(created.body)?.[0];
      assert.ok(secret, 'the secret is shown');
      const [token] = await app.services.listIntegrationTokens('umczestochowa');
      assert.ok(token);
      assert.equal(token.scope, 'pull');
      assert.equal(token.name, 'EZD kancelarii');
      // Valid through 30 June 2099, Polish time (CEST: UTC+2).
      assert.equal(token.expiresAt, '2099-06-30T22:00:00.000Z');
      assert.match(created.body, new RegExp(token.id));

      const bearer = { authorization: `Bearer ${secret}` };
      assert.equal((await app.http.inject({ method: 'GET', url: pending, headers: bearer })).statusCode, 200);

      const list = await admin.get(page);
      assert.doesNotMatch(list.body, /uo_[A-Za-z0-9_-]{43}/, 'the secret is never listed');
      assert.match(list.body, new RegExp(token.id));
      assert.match(list.body, /EZD kancelarii/);
      assert.doesNotMatch(list.body, /nigdy/, 'its last use is shown');
      assert.match((await admin.get(`${page}?lang=en`)).body, /API tokens/);

      // Another office's admin cannot revoke it, not even through their own office's page.
      const foreign = await otherAdmin.post(
        `/urzad/umkrakow/tokeny/${token.id}/uniewaznij`,
        {},
        '/urzad/umkrakow/tokeny',
      );
      assert.equal(foreign.statusCode, 404);
      const direct = await otherAdmin.post(`${page}/${token.id}/uniewaznij`, {}, '/urzad/umkrakow/tokeny');
      assert.equal(direct.statusCode, 403);
      const noCsrf = await app.http.inject({
        method: 'POST',
        url: `${page}/${token.id}/uniewaznij`,
        remoteAddress: admin.ip,
        headers: { cookie: admin.cookies },
        payload: {},
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal((await app.http.inject({ method: 'GET', url: pending, headers: bearer })).statusCode, 200);

      const revoked = await admin.post(`${page}/${token.id}/uniewaznij`, {}, page);
      assert.equal(revoked.statusCode, 303);
      const after = await admin.get(`${String(revoked.headers.location)}&lang=pl`);
      assert.match(after.body, /Token EZD kancelarii został unieważniony/);
      assert.match(after.body, /unieważniony \d/);
      assert.equal((await app.http.inject({ method: 'GET', url: pending, headers: bearer })).statusCode, 401);
      const again = await admin.post(`${page}/${token.id}/uniewaznij`, {}, page);
      assert.equal(again.statusCode, 404);

      const audit = await app.services.listAudit({ action: 'token.revoked' });
      assert.deepEqual(
        audit.entries.map((e) => [e.actorEmail, e.subject]),
        [['admin@example.pl', token.id]],
      );
      const createdAudit = await app.services.listAudit({ action: 'token.created' });
      assert.deepEqual(
        createdAudit.entries.map((e) => e.actorEmail),
        ['admin@example.pl'],
      );
    });
  });
}

describe('API token page: a token valid until a day works through that Warsaw day and is then shown expired', () => {
  let app: TestApp;
  const clock = new ManualClock(new Date());
  const page = '/urzad/umczestochowa/tokeny';
  const pending = '/api/v1/boxes/umczestochowa/skrytka/pending';

  before(async () => {
    app = await startTestApp('sqlite', { demo: true, clock, env: { JOBS_POLL_MS: '0' } });
    await app.services.grantRole({
      actorId: null,
      email: 'admin@example.pl',
      role: 'office-admin',
      officeId: 'umczestochowa',
    });
  });
  after(async () => app?.dispose());

  test('expiry at the end of the chosen day', async () => {
    const tomorrow = addCalendarDays(warsawDay(clock.now()), 1);
    const admin = new WebClient(app.http);
    assert.equal((await admin.logIn('admin@example.pl', PASSWORD)).statusCode, 303);
    const created = await admin.post(
      page,
      { name: 'Portal', scope: 'submit', expires: formatDay(tomorrow) },
      page,
    );
    assert.equal(created.statusCode, 201);
    const secret = /uo_[A-Za-z0-9_-]{43}/.exec(created.body)?.[0];
    const bearer = { authorization: `Bearer ${secret}` };
    const [token] = await app.services.listIntegrationTokens('umczestochowa');
    const end = new Date(token!.expiresAt!);
    assert.deepEqual(warsawDay(new Date(end.getTime() - 1)), tomorrow, 'the last instant is on that day');
    assert.deepEqual(warsawDay(end), addCalendarDays(tomorrow, 1), 'and it ends at the next midnight');

    clock.set(new Date(end.getTime() - 1000));
    // A submit token may file but not read the queue: 403, not 401, while it is valid.
    assert.equal((await app.http.inject({ method: 'GET', url: pending, headers: bearer })).statusCode, 403);
    clock.set(end);
    assert.equal((await app.http.inject({ method: 'GET', url: pending, headers: bearer })).statusCode, 401);

    // The session has lapsed meanwhile: log in again and see the token expired, still revocable.
    const later = new WebClient(app.http);
    assert.equal((await later.logIn('admin@example.pl', PASSWORD)).statusCode, 303);
    const list = await later.get(`${page}?lang=pl`);
    assert.match(list.body, /wygasł/);
    assert.match(list.body, /Unieważnij Portal/);
  });
});
