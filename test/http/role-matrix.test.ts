import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTokenAccess, type Access } from '../../src/http/access';
import type { TokenScope } from '../../src/ports/database';
import type { RoleName } from '../../src/domain/roles';
import { addOtherOffice, csrfFrom, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

/** POSTs that come from the national node's site, not from our forms. */
const CROSS_SITE_POSTS = ['/login-gov-pl/acs', '/login-gov-pl/symulator/sso'];

const PASSWORD = 'demo-password-123';

type Who = 'anonymous' | 'resident' | 'clerk' | 'otherClerk' | 'officeAdmin' | 'officer' | 'platformAdmin';
const GRANTS: Record<Who, { role: RoleName; officeId?: string }[]> = {
  anonymous: [],
  resident: [],
  clerk: [{ role: 'clerk', officeId: 'umczestochowa' }],
  otherClerk: [{ role: 'clerk', officeId: 'umkrakow' }],
  officeAdmin: [{ role: 'office-admin', officeId: 'umczestochowa' }],
  officer: [],
  platformAdmin: [],
};

/** What the access rule says about one principal on a route whose scope parameters name umczestochowa. */
function expected(access: Access, who: Who): 'allowed' | 'login' | 'forbidden' {
  if (access === 'public') return 'allowed';
  // API routes for office systems take integration tokens only: a session never opens them.
  if (isTokenAccess(access)) return 'login';
  if (who === 'anonymous') return 'login';
  if (access === 'authenticated') return 'allowed';
  const roles = [access.role].flat();
  const held: { role: RoleName; officeId?: string }[] =
    who === 'officer'
      ? [{ role: 'confirmation-officer' }]
      : who === 'platformAdmin'
        ? [{ role: 'platform-admin' }]
        : GRANTS[who];
  return held.some((g) => roles.includes(g.role) && (!access.office || g.officeId === 'umczestochowa'))
    ? 'allowed'
    : 'forbidden';
}

for (const dialect of testDialects()) {
  describe(`role matrix (${dialect})`, () => {
    let app: TestApp;
    const clients = {} as Record<Who, WebClient>;
    let pendingNumber = '';
    let otherNumber = '';

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      await addOtherOffice(app);
      const make = async (email: string, name: string) => {
        const web = new WebClient(app.http);
        await web.post(
          '/rejestracja',
          { displayName: name, email, password: PASSWORD, passwordConfirm: PASSWORD, terms: 'yes' },
          '/rejestracja',
        );
        await app.database.db
          .updateTable('accounts')
          .set({ email_verified_at: new Date().toISOString() })
          .where('email', '=', email)
          .execute();
      };
      await make('krakow@example.pl', 'Urzędnik Krakowa');
      await make('admin-urzedu@example.pl', 'Administrator Urzędu');
      await make('drugi@example.pl', 'Drugi Mieszkaniec');
      await app.services.grantRole({
        actorId: null,
        email: 'krakow@example.pl',
        role: 'clerk',
        officeId: 'umkrakow',
      });
      await app.services.grantRole({
        actorId: null,
        email: 'admin-urzedu@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });

      const emails: Record<Who, string | undefined> = {
        anonymous: undefined,
        resident: 'drugi@example.pl',
        clerk: 'urzednik@example.pl',
        otherClerk: 'krakow@example.pl',
        officeAdmin: 'admin-urzedu@example.pl',
        officer: 'punkt@example.pl',
        platformAdmin: 'admin@example.pl',
      };
      for (const [who, email] of Object.entries(emails) as [Who, string | undefined][]) {
        const web = new WebClient(app.http);
        if (email) assert.equal((await web.logIn(email, PASSWORD)).statusCode, 303, `${who} logs in`);
        await web.get('/');
        clients[who] = web;
      }
      // A pending application of the second resident, for the officer's routes.
      const other = await clients.resident.post(
        '/profil-zaufany',
        {
          firstNames: 'Drugi',
          surname: 'Mieszkaniec',
          pesel: '02270803624',
          birthDate: '2002-07-08',
          email: 'drugi@example.pl',
          phone: '600100200',
        },
        '/profil-zaufany',
      );
      assert.equal(other.statusCode, 303, other.body);
      pendingNumber = (
        await app.database.db
          .selectFrom('trusted_profiles')
          .select('id')
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow()
      ).id;
      otherNumber = 'PZ-DEMO-0001';
      await clients.resident.get('/');
    });
    after(async () => app?.dispose());

    const concrete = (url: string): string =>
      url
        .replace(':officeId', 'umczestochowa')
        .replace('/punkt/wnioski/:id', `/punkt/wnioski/${pendingNumber}`)
        .replace('/admin/punkty/:id', '/admin/punkty/umcz-kancelaria')
        .replace('/admin/urzedy/:id', '/admin/urzedy/umczestochowa')
        .replace('/admin/profile/:id', '/admin/profile/PZ-DEMO-0001')
        .replace(':roleId', '00000000-0000-0000-0000-000000000000')
        .replace(':boxName', 'skrytka')
        .replace(
          /:(documentId|receiptId|draftId|endpointId|proofId|systemId|tokenId)/,
          '00000000-0000-0000-0000-000000000000',
        )
        .replace(':deliveryId', 'msg_00000000-0000-0000-0000-000000000000')
        .replace(':position', '0')
        .replace(':format', 'xml');

    test('every route declares access, and each refuses exactly the principals it must', async () => {
      const registry = app.http.accessRegistry;
      assert.ok(registry.length >= 40, `routes registered: ${registry.length}`);
      const failures: string[] = [];
      for (const route of registry) {
        const url = concrete(route.url);
        assert.doesNotMatch(url, /:/, `unhandled parameter in ${route.url}`);
        for (const who of Object.keys(clients) as Who[]) {
          const web = clients[who];
          const want = expected(route.access, who);
          // Refusals are checked with a valid CSRF token, so only the access rule can refuse.
          // Every form, public ones too, must then refuse a post without a token.
          // Allowed principals post without one: a CSRF refusal then proves access let them through,
          // and nothing is changed by the walk.
          const token = csrfFrom(web.lastPage);
          const res = await app.http.inject({
            method: route.method as 'GET' | 'POST',
            url,
            remoteAddress: web.ip,
            headers: { cookie: web.cookies },
            ...(route.method === 'POST'
              ? { payload: want === 'allowed' ? { probe: '1' } : { _csrf: token, probe: '1' } }
              : {}),
          });
          const location = String(res.headers.location ?? '');
          const got =
            res.statusCode === 303 &&
            location.startsWith('/logowanie') &&
            route.url !== '/logowanie' &&
            route.url !== '/logowanie/kod'
              ? 'login'
              : res.statusCode === 403 && /Nie masz uprawnień/.test(res.body)
                ? 'forbidden'
                : res.statusCode === 401 && route.url.startsWith('/api/')
                  ? 'login'
                  : 'allowed';
          if (got !== want)
            failures.push(
              `${route.method} ${url} as ${who}: expected ${want}, got ${got} (${res.statusCode})`,
            );
          // The national node (or its simulator) posts these from its own site, so no form
          // token can come along; the signed request and the one-time artifact are the check.
          if (want === 'allowed' && route.method === 'POST' && CROSS_SITE_POSTS.includes(route.url)) {
            if (res.statusCode !== 400)
              failures.push(`${route.method} ${url} as ${who}: a probe was not refused (${res.statusCode})`);
          } else if (
            want === 'allowed' &&
            route.method === 'POST' &&
            // The SOAP services take no forms: each request is authenticated by its own WS-Security signature.
            !route.url.startsWith('/pk_external_ws/')
          ) {
            if (res.statusCode !== 403 || !/Formularz wygasł/.test(res.body))
              failures.push(`${route.method} ${url} as ${who}: CSRF not enforced (${res.statusCode})`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test('every API route refuses tokens of other scopes and other offices, and revoked tokens', async () => {
      const tokens = {} as Record<TokenScope | 'otherOffice' | 'revoked', string>;
      for (const scope of ['submit', 'pull', 'deliver', 'admin'] as const) {
        tokens[scope] = (
          await app.services.createIntegrationToken({
            officeId: 'umczestochowa',
            scope,
            name: `Matrix ${scope}`,
          })
        ).token;
      }
      tokens.otherOffice = (
        await app.services.createIntegrationToken({
          officeId: 'umkrakow',
          scope: 'pull',
          name: 'Matrix Kraków',
        })
      ).token;
      tokens.revoked = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'pull',
          name: 'Matrix revoked',
        })
      ).token;
      await app.services.revokeIntegrationToken(
        (await app.services.authenticateToken(`Bearer ${tokens.revoked}`)).tokenId,
      );
      const failures: string[] = [];
      const routes = app.http.accessRegistry.filter((r) => isTokenAccess(r.access));
      assert.ok(routes.length >= 6, `token routes: ${routes.length}`);
      for (const route of routes) {
        const scopes = isTokenAccess(route.access) ? route.access.token : [];
        const url = concrete(route.url);
        for (const [name, token] of Object.entries(tokens)) {
          const res = await app.http.inject({
            method: route.method as 'GET' | 'POST' | 'DELETE',
            url,
            headers: { authorization: `Bearer ${token}` },
            ...(route.method === 'POST' ? { payload: { sha256: '0'.repeat(64) } } : {}),
          });
          const want =
            name === 'revoked'
              ? 401
              : name === 'otherOffice'
                ? scopes.includes('pull')
                  ? 'not-ours'
                  : 403
                : scopes.includes(name as TokenScope)
                  ? 'through'
                  : 403;
          const ok =
            want === 'through'
              ? res.statusCode !== 401 &&
                !(res.statusCode === 403 && /tokens\.error\.scope|zakres/.test(res.body))
              : want === 'not-ours'
                ? [403, 404].includes(res.statusCode)
                : res.statusCode === want;
          if (!ok)
            failures.push(
              `${route.method} ${url} with a ${name} token: expected ${want}, got ${res.statusCode}`,
            );
        }
        const none = await app.http.inject({ method: route.method as 'GET' | 'POST' | 'DELETE', url });
        if (none.statusCode !== 401)
          failures.push(`${route.method} ${url} without a token: expected 401, got ${none.statusCode}`);
      }
      assert.deepEqual(failures, []);
    });

    test('no clerk sees another office; no resident sees another resident’s application', async () => {
      assert.equal((await clients.otherClerk.get('/urzad/umczestochowa')).statusCode, 403);
      assert.equal((await clients.otherClerk.get('/urzad/umkrakow')).statusCode, 200);
      assert.equal((await clients.clerk.get('/urzad/umkrakow')).statusCode, 403);
      // The second resident sees only their own application, never the demo resident's profile.
      const own = await clients.resident.get('/profil-zaufany');
      assert.match(own.body, new RegExp(pendingNumber));
      assert.doesNotMatch(own.body, new RegExp(otherNumber));
      assert.doesNotMatch(own.body, /Kowalski/);
      // Looking an application up is the officers' business only.
      assert.equal((await clients.resident.get(`/punkt/wnioski/${otherNumber}`)).statusCode, 403);
      assert.equal(
        (await clients.resident.post('/punkt', { q: '44051401359' }, '/profil-zaufany')).statusCode,
        403,
      );
    });
  });
}
