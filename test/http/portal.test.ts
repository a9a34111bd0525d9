import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { cookieHeader, csrfFrom, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`portal (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    test('the home page lists the offices, in Polish by default', async () => {
      const res = await app.http.inject({ url: '/' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.match(res.body, /<html lang="pl"/);
      assert.match(res.body, /Urząd Miasta Częstochowy/);
      assert.match(res.body, /href="\/esp\/umczestochowa"/);
      assert.match(res.body, /Czy jesteś przedsiębiorcą\?/);
    });

    test('/esp/{officeId} shows the box address, 5 MB and the formats of the policy', async () => {
      const res = await app.http.inject({ url: '/esp/umczestochowa' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /\/umczestochowa\/skrytka/);
      assert.match(res.body, /to 5 MB\./);
      assert.match(res.body, /art\. 63 § 1 Kodeksu postępowania administracyjnego/);
      assert.match(res.body, /17 lutego 2005/);
      assert.match(res.body, /ePUAP/);
      const office = await app.services.getOffice('umczestochowa');
      const ids = /data-policy-formats="([^"]+)"/.exec(res.body)?.[1]?.split(' ');
      assert.deepEqual(
        ids,
        office.policy.formats.map((f) => f.id),
      );
      assert.match(res.body, /\.pdf/);
      assert.doesNotMatch(res.body, /\.gif/, 'local formats are off by default');
    });

    test('English with ?lang=en, remembered for the visit', async () => {
      const first = await app.http.inject({ url: '/esp/umczestochowa?lang=en' });
      assert.match(first.body, /<html lang="en"/);
      assert.match(first.body, /is 5 MB\./);
      const setCookie = [first.headers['set-cookie'] ?? []].flat();
      assert.ok(
        setCookie.some((c) => /^lang=en;/.test(c) && !/Max-Age/.test(c)),
        'session cookie, not persistent',
      );
      const next = await app.http.inject({
        url: '/punkty-potwierdzajace',
        headers: { cookie: cookieHeader(first.headers['set-cookie']) },
      });
      assert.match(next.body, /<html lang="en"/);
      assert.match(next.body, /Trusted profile confirmation points/);
    });

    test('unknown office: 404 page in the visitor language', async () => {
      const pl = await app.http.inject({ url: '/esp/nie-ma-takiego' });
      assert.equal(pl.statusCode, 404);
      assert.match(pl.body, /Nie znaleziono/);
      const en = await app.http.inject({ url: '/esp/nie-ma-takiego?lang=en' });
      assert.equal(en.statusCode, 404);
      assert.match(en.body, /There is no office/);
      const weird = await app.http.inject({ url: '/esp/..%2F..%2Fetc' });
      assert.equal(weird.statusCode, 404);
    });

    test('malformed query string: 400, no stack trace', async () => {
      const res = await app.http.inject({ url: '/?x=%E0%A4%A' });
      assert.equal(res.statusCode, 400);
      assert.doesNotMatch(res.body, /at .*\.ts:\d+/);
      assert.match(res.body, /nieprawidłowo zakodowane/);
    });

    test('confirmation points and instructions pages', async () => {
      const points = await app.http.inject({ url: '/punkty-potwierdzajace' });
      assert.equal(points.statusCode, 200);
      assert.match(points.body, /Biuro Obsługi Mieszkańców/);
      assert.match(points.body, /ul\. Śląska 11\/13/);
      for (const url of [
        '/instrukcje',
        '/instrukcje/zakladanie-konta',
        '/instrukcje/profil-zaufany',
        '/instrukcje/podpisywanie',
        '/cookies',
      ]) {
        const res = await app.http.inject({ url });
        assert.equal(res.statusCode, 200, url);
      }
    });

    test('security headers: strict CSP without inline scripts, no framing', async () => {
      const res = await app.http.inject({ url: '/' });
      const csp = res.headers['content-security-policy'] as string;
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.doesNotMatch(res.body, /<script(?![^>]*src=)[^>]*>/, 'no inline script');
    });

    test('the poll counts one answer per browser and refuses other answers', async () => {
      const before = await app.services.pollTotals();
      const home = await app.http.inject({ url: '/' });
      let cookies = cookieHeader(home.headers['set-cookie']);
      const token = csrfFrom(home.body);

      const bad = await app.http.inject({
        method: 'POST',
        url: '/ankieta',
        headers: { cookie: cookies },
        payload: { _csrf: token, answer: 'MOŻE' },
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Wybierz TAK albo NIE/);
      assert.deepEqual(await app.services.pollTotals(), before);

      const noCsrf = await app.http.inject({
        method: 'POST',
        url: '/ankieta',
        headers: { cookie: cookies },
        payload: { answer: 'TAK' },
      });
      assert.equal(noCsrf.statusCode, 403);
      assert.deepEqual(await app.services.pollTotals(), before);

      const ok = await app.http.inject({
        method: 'POST',
        url: '/ankieta',
        headers: { cookie: cookies },
        payload: { _csrf: token, answer: 'TAK' },
      });
      assert.equal(ok.statusCode, 303);
      assert.match(ok.headers.location as string, /ankieta=thanks/);
      cookies = cookieHeader(ok.headers['set-cookie'], cookies);
      assert.equal((await app.services.pollTotals()).TAK, before.TAK + 1);

      const again = await app.http.inject({
        method: 'POST',
        url: '/ankieta',
        headers: { cookie: cookies },
        payload: { _csrf: token, answer: 'NIE' },
      });
      assert.equal(again.statusCode, 303);
      assert.match(again.headers.location as string, /ankieta=already/);
      assert.deepEqual(await app.services.pollTotals(), { TAK: before.TAK + 1, NIE: before.NIE });

      const tailored = await app.http.inject({ url: '/', headers: { cookie: cookies } });
      assert.match(tailored.body, /id="highlight"/);
      assert.ok(
        tailored.body.indexOf('id="for-business"') < tailored.body.indexOf('id="for-residents"'),
        'business first',
      );
    });

    test('cookie consent: accept and decline are remembered; an invalid choice is refused', async () => {
      const home = await app.http.inject({ url: '/' });
      assert.match(home.body, /govuk-cookie-banner/);
      const setCookies = [home.headers['set-cookie'] ?? []].flat().map((c) => c.split('=')[0]);
      for (const name of setCookies)
        assert.ok(['_csrf'].includes(name!), `only strictly necessary cookies before consent, got ${name}`);
      const cookies = cookieHeader(home.headers['set-cookie']);
      const token = csrfFrom(home.body);

      const invalid = await app.http.inject({
        method: 'POST',
        url: '/cookies',
        headers: { cookie: cookies },
        payload: { _csrf: token, consent: 'maybe' },
      });
      assert.equal(invalid.statusCode, 400);

      const accepted = await app.http.inject({
        method: 'POST',
        url: '/cookies',
        headers: { cookie: cookies },
        payload: { _csrf: token, consent: 'accepted', returnTo: '//evil.example/' },
      });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, '/', 'never redirects to another origin');
      const after = cookieHeader(accepted.headers['set-cookie'], cookies);
      assert.match(after, /cookie_consent=accepted/);
      assert.match(after, /lang_pref=pl/);
      const next = await app.http.inject({ url: '/', headers: { cookie: after } });
      assert.doesNotMatch(next.body, /govuk-cookie-banner/);

      const declined = await app.http.inject({
        method: 'POST',
        url: '/cookies',
        headers: { cookie: after },
        payload: { _csrf: token, consent: 'declined', returnTo: '/cookies?saved=1' },
      });
      assert.equal(declined.headers.location, '/cookies?saved=1');
      const afterDecline = cookieHeader(declined.headers['set-cookie'], after);
      assert.match(afterDecline, /cookie_consent=declined/);
      assert.doesNotMatch(afterDecline, /lang_pref/);
    });

    test('cookie banner as GOV.UK: accept or reject additional cookies, then a confirmation on the same page', async () => {
      const home = await app.http.inject({ url: '/instrukcje?lang=pl' });
      assert.match(home.body, />Akceptuję dodatkowe pliki cookies</);
      assert.match(home.body, />Odrzucam dodatkowe pliki cookies</);
      assert.doesNotMatch(home.body, />Zamknij</);
      const cookies = cookieHeader(home.headers['set-cookie']);
      const token = csrfFrom(home.body);
      for (const consent of ['accepted', 'declined'] as const) {
        const chosen = await app.http.inject({
          method: 'POST',
          url: '/cookies',
          headers: { cookie: cookies },
          payload: { _csrf: token, consent, returnTo: '/instrukcje?lang=pl', banner: '1' },
        });
        assert.equal(chosen.headers.location, `/instrukcje?lang=pl&cookies=${consent}`);
        const back = await app.http.inject({
          url: String(chosen.headers.location),
          headers: { cookie: cookieHeader(chosen.headers['set-cookie'], cookies) },
        });
        assert.match(
          back.body,
          consent === 'accepted'
            ? /id="cookie-confirmation">Dodatkowe pliki cookies zostały zaakceptowane\./
            : /id="cookie-confirmation">Dodatkowe pliki cookies zostały odrzucone\./,
        );
        assert.doesNotMatch(back.body, /<form[^>]*govuk-cookie-banner/, 'the question is not asked again');
      }
      // The parameter alone (a shared link) confirms nothing.
      const forged = await app.http.inject({ url: '/instrukcje?cookies=accepted' });
      assert.doesNotMatch(forged.body, /cookie-confirmation/);
    });

    test('the poll cookie lasts beyond the visit only with consent; the cookie page lists it with the additional cookies', async () => {
      const answer = async (consent?: 'accepted' | 'declined') => {
        const home = await app.http.inject({
          url: '/',
          headers: consent ? { cookie: `cookie_consent=${consent}` } : {},
        });
        const cookies = cookieHeader(home.headers['set-cookie'], consent ? `cookie_consent=${consent}` : '');
        const res = await app.http.inject({
          method: 'POST',
          url: '/ankieta',
          remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`,
          headers: { cookie: cookies },
          payload: { _csrf: csrfFrom(home.body), answer: 'TAK' },
        });
        assert.equal(res.statusCode, 303, res.body);
        return [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('poll='))!;
      };
      assert.doesNotMatch(await answer(), /Max-Age/i, 'without a choice: until the browser closes');
      assert.doesNotMatch(await answer('declined'), /Max-Age/i, 'rejected: until the browser closes');
      assert.match(await answer('accepted'), /Max-Age=31536000/i, 'accepted: a year');
      const page = await app.http.inject({ url: '/cookies?lang=pl' });
      const optional = page.body.slice(page.body.indexOf('Dodatkowe pliki cookies (za zgodą)'));
      assert.match(optional, />poll</);
      assert.match(optional, /1 rok za zgodą; bez zgody do zamknięcia przeglądarki/);
      assert.match(page.body, />login_gov_pl</);
    });

    test('oversized headers: 400 with a plain message, never a stack trace', async () => {
      await app.http.listen({ port: 0, host: '127.0.0.1' });
      const address = app.http.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 400 /);
      assert.match(answer, /Bad Request \/ Nieprawidłowe żądanie/);
      assert.doesNotMatch(answer, /\.ts:\d+/);
    });

    test('/healthz and /readyz', async () => {
      assert.equal((await app.http.inject({ url: '/healthz' })).statusCode, 200);
      const ready = await app.http.inject({ url: '/readyz' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json().checks, { database: true, blobs: true });
    });
  });
}
