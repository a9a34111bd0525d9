import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp, type App } from '../../src/app';
import { createLogger } from '../../src/adapters/logger';
import { ManualClock } from '../../src/ports/clock';
import { currentTotp } from '../../src/services/second-factor';
import { testEnvironment, type TestEnvironment } from '../helpers/databases';
import { registerTestApp } from '../helpers/staff-second-factor';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

describe('personal data, secrets and cookies', () => {
  let env: TestEnvironment;
  let app: App;
  const lines: string[] = [];
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  before(async () => {
    env = await testEnvironment('sqlite', { PUBLIC_URL: 'https://urzad.example.pl', LOG_LEVEL: 'debug' });
    app = await createApp({
      config: env.config,
      clock,
      logger: createLogger('debug', { write: (line: string) => void lines.push(line) }),
    });
    await app.services.createDemoData({ password: PASSWORD });
    registerTestApp(app);
  });
  after(async () => {
    await app.close();
    await env.cleanup();
  });

  test('behind TLS the session cookie is Secure, HttpOnly and SameSite=Lax', async () => {
    const web = new WebClient(app.http);
    const res = await web.logIn('mieszkaniec@example.pl', PASSWORD);
    const cookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('session='))!;
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
  });

  test('no e-mail address, password, PESEL, token or code reaches the logs', async () => {
    const web = new WebClient(app.http);
    await web.post(
      '/rejestracja',
      {
        displayName: 'Log Test',
        email: 'logtest@example.pl',
        password: 'secret phrase for logs',
        passwordConfirm: 'secret phrase for logs',
        terms: 'yes',
      },
      '/rejestracja',
    );
    await web.logIn('logtest@example.pl', 'wrong phrase for logs');
    const officer = new WebClient(app.http);
    await officer.logIn('punkt@example.pl', PASSWORD);
    await officer.post('/punkt', { q: '44051401359' }, '/punkt');
    const resident = new WebClient(app.http);
    await resident.logIn('mieszkaniec@example.pl', PASSWORD);
    await resident.post('/profil-zaufany/przedluz', {}, '/profil-zaufany');
    const log = lines.join('\n');
    assert.ok(lines.length > 10, 'requests were logged');
    for (const secret of [
      'logtest@example.pl',
      'mieszkaniec@example.pl',
      'punkt@example.pl',
      'secret phrase for logs',
      'wrong phrase for logs',
      PASSWORD,
      '44051401359',
      'token=',
    ]) {
      assert.ok(!log.includes(secret), `${secret} appears in the logs`);
    }
  });

  test('fresh confirmation uses the authenticator app when the second factor is on', async () => {
    // A resident who turns the app on (the demo's staff have it on already).
    const account = await app.database.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'mieszkaniec@example.pl')
      .executeTakeFirstOrThrow();
    const setup = await app.services.startTotpSetup(account.id);
    await app.services.enableTotp({
      accountId: account.id,
      code: currentTotp(app.deps, setup.secret),
    });
    const challenge = await app.services.startFreshConfirmation({
      accountId: account.id,
      purpose: 'signature',
    });
    assert.equal(challenge.method, 'totp');
    await assert.rejects(
      app.services.confirmFresh({
        accountId: account.id,
        challengeId: challenge.id,
        code: '000000',
        purpose: 'signature',
      }),
    );
    clock.advance(60_000);
    await app.services.confirmFresh({
      accountId: account.id,
      challengeId: challenge.id,
      code: currentTotp(app.deps, setup.secret),
      purpose: 'signature',
    });
  });
});
