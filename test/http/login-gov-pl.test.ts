import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIMULATOR_PEOPLE, type AssertionOverrides } from '../../src/adapters/login-gov-pl/simulator';
import type { NationalIdentity } from '../../src/ports/national-node';
import { ManualClock } from '../../src/ports/clock';
import { currentTotp } from '../../src/services/second-factor';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const COUNTED = ['accounts', 'national_identities', 'sessions', 'session_authentications'] as const;

for (const dialect of testDialects()) {
  describe(`login.gov.pl over HTTP (${dialect})`, () => {
    let app: TestApp;
    let officeId: string;
    const clock = new ManualClock(new Date());
    before(async () => {
      app = await startTestApp(dialect, { demo: true, clock, env: { LOGIN_GOV_PL_METADATA: 'simulator' } });
      officeId = (await app.services.listOffices())[0]!.id;
    });
    after(async () => app?.dispose());

    /** Starts a login over HTTP, lets the simulator answer for `person`, and returns the ACS post. */
    async function throughTheNode(
      web: WebClient,
      person: NationalIdentity,
      overrides: AssertionOverrides = {},
      options: { level?: string } = {},
    ) {
      const start = await web.post('/login-gov-pl/start', { returnTo: '/konto' }, '/logowanie');
      assert.equal(start.statusCode, 200, start.body);
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`, 'u').exec(start.body)![1]!;
      const simulator = app.nationalLogin!.simulator!;
      const pending = simulator.receiveAuthnRequest(field('SAMLRequest'));
      const artifact = simulator.issueArtifact(pending.id, person, { overrides, ...options });
      const relayState = field('RelayState');
      return {
        artifact,
        relayState,
        acs: () => web.post('/login-gov-pl/acs', { SAMLart: artifact, RelayState: relayState }),
      };
    }

    async function counts(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const table of COUNTED) {
        const { n } = await app.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        out[table] = Number(n);
      }
      return out;
    }

    test('our metadata names the entity, the artifact ACS and two P-256 keys', async () => {
      const res = await app.http.inject({ method: 'GET', url: '/login-gov-pl/metadata' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /application\/samlmetadata\+xml/u);
      assert.match(res.body, /entityID="http:\/\/localhost:3000"/u);
      assert.match(
        res.body,
        /AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Artifact" Location="http:\/\/localhost:3000\/login-gov-pl\/acs"/u,
      );
      const certs = [
        ...res.body.matchAll(
          /<md:KeyDescriptor use="(signing|encryption)">.*?<ds:X509Certificate>([^<]+)</gu,
        ),
      ];
      assert.deepEqual(
        certs.map((m) => m[1]),
        ['signing', 'encryption'],
      );
      for (const [, , b64] of certs) {
        const cert = new X509Certificate(Buffer.from(b64!, 'base64'));
        assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
      }
      assert.notEqual(certs[0]![2], certs[1]![2]);
    });

    test('every bad answer of the node is refused with a clear message and leaves nothing behind', async () => {
      const person = SIMULATOR_PEOPLE[0]!;
      const later = new Date(clock.now().getTime() + 10 * 60_000);
      const earlier = new Date(clock.now().getTime() - 10 * 60_000);
      const cases: [string, AssertionOverrides, { level?: string }, RegExp][] = [
        ['another request', { inResponseTo: 'ID-other' }, {}, /innego logowania/u],
        ['expired', { notOnOrAfter: earlier }, {}, /wygasło/u],
        ['from the future', { notBefore: later }, {}, /nie jest jeszcze ważne/u],
        ['unsigned', { unsigned: true }, {}, /Podpis odpowiedzi/u],
        [
          'tampered cipher text',
          {
            // One character in the middle of the AES-GCM cipher text (not after its padding).
            tamperEncrypted: (x) =>
              x.replace(
                /(<xenc:CipherValue>[^<]{40})([A-Za-z0-9+/])([^<]*<\/xenc:CipherValue><\/xenc:CipherData><\/xenc:EncryptedData>)/u,
                (_, a: string, c: string, b: string) => a + (c === 'A' ? 'B' : 'A') + b,
              ),
          },
          {},
          /odszyfrować/u,
        ],
        ['wrong audience', { audience: 'https://other.example.invalid' }, {}, /innego serwisu/u],
        ['low level of assurance', {}, { level: 'http://eidas.europa.eu/LoA/low' }, /Poziom pewności/u],
        ['no level of assurance', { level: null }, {}, /Poziom pewności/u],
        ['no PESEL', { omitAttributes: ['PersonIdentifier'] }, {}, /numeru PESEL/u],
      ];
      const before = await counts();
      for (const [name, overrides, options, message] of cases) {
        const web = new WebClient(app.http);
        const { acs } = await throughTheNode(web, person, overrides, options);
        const res = await acs();
        assert.equal(res.statusCode, 401, `${name}: ${res.statusCode}`);
        assert.match(res.body, /Nie udało się zalogować przez login\.gov\.pl/u, name);
        assert.match(res.body, message, name);
        assert.doesNotMatch(res.headers['set-cookie']?.toString() ?? '', /session=[^;]/u, name);
      }
      assert.deepEqual(await counts(), before);

      // A good login; its artifact posted again (from another browser) is a replay.
      const web = new WebClient(app.http);
      const good = await throughTheNode(web, person);
      const res = await good.acs();
      assert.equal(res.statusCode, 303);
      const afterGood = await counts();
      // Another browser starts its own login and posts the stolen artifact with its own RelayState.
      const thief = new WebClient(app.http);
      const own = await throughTheNode(thief, person);
      const replayed = await thief.post('/login-gov-pl/acs', {
        SAMLart: good.artifact,
        RelayState: own.relayState,
      });
      assert.equal(replayed.statusCode, 401);
      assert.match(replayed.body, /zostało już użyte/u);
      assert.deepEqual(await counts(), afterGood);
    });

    test('the English page names the reason too', async () => {
      const web = new WebClient(app.http);
      await web.get('/logowanie?lang=en');
      const { acs } = await throughTheNode(web, SIMULATOR_PEOPLE[0]!, { audience: 'https://x.invalid' });
      const res = await acs();
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /another service/u);
    });

    test('a letter filed on the web after a national login records it, and its UPP says so', async () => {
      const web = new WebClient(app.http);
      assert.equal((await (await throughTheNode(web, SIMULATOR_PEOPLE[0]!)).acs()).statusCode, 303);
      const { account_id: accountId } = await app.database.db
        .selectFrom('national_identities')
        .select('account_id')
        .where('pesel', '=', SIMULATOR_PEOPLE[0]!.pesel)
        .executeTakeFirstOrThrow();
      const draftId = await app.services.saveDraft({
        accountId,
        raw: { officeId, kind: 'podanie', title: 'Wniosek', place: 'Częstochowa', body: 'Treść wniosku.' },
        newFiles: [],
        remove: [],
      });
      const check = await web.get(`/pisma/szkic/${draftId}`);
      // No signing step: the letter is authenticated by the login.
      assert.doesNotMatch(check.body, /\/podpis"/u);
      const filed = await web.post(`/pisma/szkic/${draftId}/wyslij`, {});
      assert.equal(filed.statusCode, 303, filed.body);
      const documentId = /\/pisma\/([^/]+)\/potwierdzenie/u.exec(String(filed.headers.location))![1]!;
      const evidence = await app.services.documentAuthentication(documentId);
      assert.equal(evidence?.method, 'login.gov.pl');
      assert.equal(evidence?.authenticatingAuthority, 'pz.gov.pl');
      const { xml } = await app.database.db
        .selectFrom('receipts')
        .innerJoin('documents', 'documents.receipt_id', 'receipts.id')
        .select('receipts.xml')
        .where('documents.id', '=', documentId)
        .executeTakeFirstOrThrow();
      assert.match(xml, /TypInformacjiUzupelniajacej="UwierzytelnienieNadawcy">login\.gov\.pl/u);
      assert.ok(xml.includes(`asercja=${evidence!.assertionId}`));
    });

    test('staff: a national login alone does not open staff pages; with the second factor it does', async () => {
      const person = SIMULATOR_PEOPLE[1]!;
      // The first national login makes the account; the office then gives it the clerk role.
      const first = new WebClient(app.http);
      assert.equal((await (await throughTheNode(first, person)).acs()).statusCode, 303);
      const bound = await app.database.db
        .selectFrom('national_identities')
        .select('account_id')
        .where('pesel', '=', person.pesel)
        .executeTakeFirstOrThrow();
      const email = `${bound.account_id}@login-gov-pl.invalid`;
      await app.services.grantRole({ actorId: null, email, role: 'clerk', officeId });

      const clerk = new WebClient(app.http);
      assert.equal((await (await throughTheNode(clerk, person)).acs()).headers.location, '/konto');
      // What every resident may do still works, and the account page says what is missing…
      const account = await clerk.get('/konto');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /nie otwiera stron pracownika/u);
      // …but the office's box does not open, and the page says why.
      const desk = await clerk.get(`/urzad/${officeId}/skrzynka`);
      assert.equal(desk.statusCode, 403);
      assert.match(desk.body, /nie otwiera stron pracownika/u);
      const deskEn = await clerk.get(`/urzad/${officeId}/skrzynka?lang=en`);
      assert.match(deskEn.body, /does not open staff pages/u);
      // The same session stays without staff rights after the second factor is turned on in it.
      await clerk.post('/konto/2fa/start', {}, '/konto/2fa');
      const secret = /id="totp-secret">([A-Z2-7]+)</u.exec((await clerk.get('/konto/2fa')).body)![1]!;
      const enabled = await clerk.post(
        '/konto/2fa/wlacz',
        { code: currentTotp(app.deps, secret) },
        '/konto/2fa',
      );
      assert.equal(enabled.statusCode, 200);
      assert.equal((await clerk.get(`/urzad/${officeId}/skrzynka`)).statusCode, 403);

      // A new national login now asks for the code before anything opens.
      clock.advance(60_000);
      const next = new WebClient(app.http);
      const arrived = await (await throughTheNode(next, person)).acs();
      assert.equal(arrived.headers.location, '/logowanie/kod');
      assert.equal((await next.get(`/urzad/${officeId}/skrzynka`)).statusCode, 303);
      const wrong = await next.post('/logowanie/kod', { code: '000000' }, '/logowanie/kod');
      assert.equal(wrong.statusCode, 400);
      const done = await next.post(
        '/logowanie/kod',
        { code: currentTotp(app.deps, secret) },
        '/logowanie/kod',
      );
      // With the code the staff roles are in force, so the clerk lands on the office's box.
      assert.equal(done.headers.location, `/urzad/${officeId}/skrzynka`);
      assert.equal((await next.get(`/urzad/${officeId}/skrzynka`)).statusCode, 200);
      // The session still carries the evidence of the national login.
      const token = /session=([^;]+)/u.exec(next.cookies)![1]!;
      assert.equal((await app.services.sessionAuthentication(token))?.method, 'login.gov.pl');
    });
  });

  describe(`without the local trusted-profile register, the default (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, {
        demo: true,
        env: { LOGIN_GOV_PL_METADATA: 'simulator', LOCAL_TRUSTED_PROFILES: 'false' },
      });
    });
    after(async () => app?.dispose());

    test('the trusted-profile page explains the national profile and nothing local can be applied for', async () => {
      const web = new WebClient(app.http);
      const page = await web.get('/profil-zaufany');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /href="https:\/\/pz\.gov\.pl"/u);
      assert.match(page.body, /href="\/punkty-potwierdzajace"/u);
      assert.match(page.body, /Zaloguj się przez login\.gov\.pl/u);
      assert.doesNotMatch(page.body, /action="\/profil-zaufany/u);
      assert.match(
        (await web.get('/profil-zaufany?lang=en')).body,
        /Apply for a trusted profile at pz\.gov\.pl/u,
      );
      assert.match((await web.get('/punkty-potwierdzajace?lang=pl')).body, /Punkty potwierdzające/u);
      await web.logIn('mieszkaniec@example.pl', 'demo-password-123');
      assert.equal((await web.post('/profil-zaufany', { pesel: '90010112318' })).statusCode, 404);
      assert.equal((await web.post('/profil-zaufany/przedluz', {})).statusCode, 404);
      // The officers' desk that confirms local applications is not there either.
      const officer = new WebClient(app.http);
      await officer.logIn('punkt@example.pl', 'demo-password-123');
      assert.equal((await officer.get('/punkt')).statusCode, 404);
      assert.doesNotMatch((await officer.get('/konto')).body, /href="\/punkt"/u);
    });

    test('a local profile left in the database counts for nothing: no signing step', async () => {
      const account = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      const stored = await app.database.db
        .selectFrom('trusted_profiles')
        .select('id')
        .where('account_id', '=', account.id)
        .execute();
      assert.ok(stored.length > 0, 'the demo resident has a local profile');
      assert.equal(await app.services.currentProfile(account.id), undefined);
    });
  });
}
