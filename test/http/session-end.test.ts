import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../src/ports/clock';
import { startTestApp, csrfFrom, cookieHeader, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { samplePdf } from '../helpers/sample-files';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';
const RESIDENT = 'mieszkaniec@example.pl';
const MINUTE = 60 * 1000;

/** The letter form as a browser sends it: multipart, the CSRF token in the query string. */
async function postLetterForm(
  app: TestApp,
  web: WebClient,
  url: string,
  csrf: string,
  fields: Record<string, string>,
  file?: { name: string; bytes: Buffer },
): Promise<LightMyRequestResponse> {
  const boundary = 'uo-session-end-boundary';
  // The token comes first, as the form's hidden field does (src/http/multipart-form.ts).
  const parts: Buffer[] = Object.entries({ _csrf: csrf, ...fields }).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${file.name}"\r\n` +
          'Content-Type: application/pdf\r\n\r\n',
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await app.http.inject({
    method: 'POST',
    url,
    remoteAddress: web.ip,
    headers: {
      cookie: web.cookies,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(fields.zapis === 'auto' ? { accept: 'application/json' } : {}),
    },
    payload: Buffer.concat(parts),
  });
  web.cookies = cookieHeader(res.headers['set-cookie'], web.cookies);
  return res;
}

const secondsLeftOn = (html: string) => Number(/data-seconds-left="(\d+)"/.exec(html)?.[1]);

for (const dialect of testDialects()) {
  describe(`the end of a session: warning, extension, the form kept, drafts (${dialect})`, () => {
    let app: TestApp;
    const clock = new ManualClock('2026-11-26T10:00:00.000Z');
    const drafts = () =>
      app.database.db.selectFrom('letter_drafts').selectAll().orderBy('created_at').execute();

    before(async () => {
      app = await startTestApp(dialect, { demo: true, clock, env: { JOBS_POLL_MS: '0' } });
    });
    after(() => app.dispose());

    test('a page says how long the session has left; "Przedłuż sesję" starts the idle timeout again', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const page = await web.get('/pisma');
      assert.equal(secondsLeftOn(page.body), 30 * 60);
      assert.match(page.body, /<dialog[^>]*id="session-warning"[^>]*aria-labelledby="session-warning-title"/);
      assert.match(page.body, /data-warn-seconds="120"/);
      assert.match(page.body, /Przedłuż sesję/);
      assert.match(page.body, /<script type="module" src="\/assets\/session-warning.js">/);
      // Nobody logged in: no dialog.
      assert.doesNotMatch((await new WebClient(app.http).get('/')).body, /session-warning/);

      clock.advance(10 * MINUTE);
      // The page's own request counts as use; the seconds left are rendered per request.
      assert.equal(secondsLeftOn((await web.get('/pisma')).body), 30 * 60);
      clock.advance(29 * MINUTE);
      const csrf = csrfFrom(web.lastPage);
      const extended = await app.http.inject({
        method: 'POST',
        url: '/sesja/przedluz',
        remoteAddress: web.ip,
        headers: { cookie: web.cookies, accept: 'application/json' },
        payload: { _csrf: csrf, powrot: '/pisma' },
      });
      assert.equal(extended.statusCode, 200, extended.body);
      assert.deepEqual(extended.json(), { secondsLeft: 30 * 60 });
      clock.advance(29 * MINUTE);
      // Without JavaScript the form returns to the page it was on.
      const plain = await web.post('/sesja/przedluz', { powrot: '/pisma' });
      assert.equal(plain.statusCode, 303);
      assert.equal(plain.headers.location, '/pisma');
      assert.equal((await web.get('/pisma')).statusCode, 200, 'still logged in after 68 minutes');
      const refused = await web.post('/sesja/przedluz', { _csrf: 'forged', powrot: '/pisma' });
      assert.equal(refused.statusCode, 403, 'CSRF is checked');
      clock.advance(31 * MINUTE);
      assert.equal((await web.get('/pisma')).statusCode, 303, 'the idle timeout still applies');
    });

    test('without JavaScript: a letter sent after the session ended is kept (text only) and the new login returns to it', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const csrf = csrfFrom((await web.get('/pisma/nowe')).body);
      const before = (await drafts()).length;
      clock.advance(31 * MINUTE);
      const fields = {
        officeId: 'umczestochowa',
        kind: 'podanie',
        title: 'Wniosek o zwrot nadpłaty',
        place: 'Częstochowa',
        body: 'Długi tekst pisma, pisany ponad pół godziny.',
      };
      const sent = await postLetterForm(app, web, '/pisma/nowe', csrf, fields, {
        name: 'zalacznik.pdf',
        bytes: samplePdf('Załącznik'),
      });
      assert.equal(sent.statusCode, 303);
      const location = new URL(String(sent.headers.location), 'http://x');
      assert.equal(location.pathname, '/logowanie');
      assert.equal(location.searchParams.get('komunikat'), 'expired');
      const back = location.searchParams.get('powrot')!;
      const kept = (await drafts()).at(-1)!;
      assert.equal((await drafts()).length, before + 1);
      assert.equal(back, `/pisma/szkic/${kept.id}/edytuj?zachowano=1`);
      assert.doesNotMatch(
        String(sent.headers.location),
        /nadp|Długi/,
        'no text of the letter in the address',
      );
      assert.equal(kept.title, fields.title);
      assert.equal(kept.body, fields.body);
      const account = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', RESIDENT)
        .executeTakeFirstOrThrow();
      assert.equal(kept.account_id, account.id, 'kept for the account whose session it was');
      const files = await app.database.db
        .selectFrom('letter_draft_files')
        .select('name')
        .where('draft_id', '=', kept.id)
        .execute();
      assert.deepEqual(files, [], 'files are not kept');

      const loginPage = await web.get(String(sent.headers.location));
      assert.match(loginPage.body, /Sesja wygasła/);
      const loggedIn = await web.post('/logowanie', { email: RESIDENT, password: PASSWORD, returnTo: back });
      assert.equal(loggedIn.statusCode, 303);
      assert.equal(loggedIn.headers.location, back);
      const form = await web.get(back);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Zachowaliśmy Twoje pismo/);
      assert.match(form.body, /Załączników nie zachowano/);
      assert.match(form.body, /value="Wniosek o zwrot nadpłaty"/);
      assert.match(form.body, /Długi tekst pisma, pisany ponad pół godziny\./);
      assert.match(form.body, new RegExp(`action="/pisma/szkic/${kept.id}"`));
    });

    test('a form sent after the session ended with a bad CSRF token is not kept', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      await web.get('/pisma/nowe');
      const before = (await drafts()).length;
      clock.advance(31 * MINUTE);
      const sent = await postLetterForm(app, web, '/pisma/nowe', 'forged', {
        officeId: 'umczestochowa',
        kind: 'podanie',
        title: 'Podrzucone',
        place: 'X',
        body: 'Y',
      });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, '/logowanie?komunikat=expired');
      assert.equal((await drafts()).length, before);
    });

    test('"Zapisz szkic" keeps an unfinished letter, which is finished on its form before it can be sent', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const csrf = csrfFrom((await web.get('/pisma/nowe')).body);
      assert.match(web.lastPage, /name="zapis" value="szkic"[^>]*>\s*Zapisz szkic/);
      const saved = await postLetterForm(app, web, '/pisma/nowe', csrf, {
        officeId: 'umczestochowa',
        kind: 'podanie',
        title: '',
        place: 'Częstochowa',
        body: 'Początek pisma',
        zapis: 'szkic',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const id = /^\/pisma\/szkic\/([0-9a-f-]{36})\/edytuj\?zapisano=1$/.exec(
        String(saved.headers.location),
      )?.[1];
      assert.ok(id, String(saved.headers.location));
      const form = await web.get(String(saved.headers.location));
      assert.match(form.body, /Szkic zapisano o 1\d:\d\d\./);
      assert.match(form.body, /Początek pisma/);
      assert.equal((await web.get(`/pisma/szkic/${id}`)).headers.location, `/pisma/szkic/${id}/edytuj`);
      assert.match((await web.get('/pisma')).body, /\(bez tytułu\)/);
      const filed = await web.post(`/pisma/szkic/${id}/wyslij`, {}, `/pisma/szkic/${id}/edytuj`);
      assert.equal(filed.statusCode, 400, 'an unfinished draft is not filed');
      // The main button still asks for everything.
      const checked = await postLetterForm(app, web, `/pisma/szkic/${id}`, csrf, {
        officeId: 'umczestochowa',
        kind: 'podanie',
        title: '',
        place: 'Częstochowa',
        body: 'Początek pisma',
      });
      assert.equal(checked.statusCode, 400);
      assert.match(checked.body, /Wpisz tytuł|tytuł/i);
    });

    test('the autosave keeps the text of a new letter in one draft and never touches its files', async () => {
      const web = new WebClient(app.http);
      await web.logIn(RESIDENT, PASSWORD);
      const csrf = csrfFrom((await web.get('/pisma/nowe')).body);
      const fields = { officeId: 'umczestochowa', kind: 'podanie', title: 'Autozapis', place: '', body: 'A' };
      const first = await postLetterForm(
        app,
        web,
        '/pisma/nowe',
        csrf,
        { ...fields, zapis: 'auto' },
        {
          name: 'zalacznik.pdf',
          bytes: samplePdf('Załącznik'),
        },
      );
      assert.equal(first.statusCode, 200, first.body);
      const saved = first.json() as { draftId: string; action: string; editPath: string; message: string };
      assert.equal(saved.action, `/pisma/szkic/${saved.draftId}`);
      assert.equal(saved.editPath, `/pisma/szkic/${saved.draftId}/edytuj`);
      assert.match(saved.message, /^Szkic zapisano o \d\d:\d\d\.$/);
      const second = await postLetterForm(app, web, saved.action, csrf, {
        ...fields,
        body: 'AB',
        zapis: 'auto',
      });
      assert.equal(second.json().draftId, saved.draftId);
      const draft = await app.services.getDraft((await drafts()).at(-1)!.account_id, saved.draftId);
      assert.equal(draft.body, 'AB');
      assert.deepEqual(draft.attachments, []);
      assert.match((await web.get(saved.editPath)).body, />AB<\/textarea>/);
    });
  });
}
