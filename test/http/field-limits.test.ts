import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DELIVERY_TITLE_MAX } from '../../src/services/deliver-letter';
import { ACCOUNT_LIMITS } from '../../src/services/account-fields';
import { POINT_LIMITS } from '../../src/services/confirmation-points';
import { LETTER_LIMITS } from '../../src/services/letter-drafts';
import { OFFICE_LIMITS } from '../../src/services/offices';
import { PROFILE_LIMITS } from '../../src/services/trusted-profiles';
import { answeredLetter } from '../helpers/answered-letter';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

/**
 * Every text field whose server-side rule has a length limit says so before it is hit: the
 * control carries maxlength with the server's own limit, and its hint (aria-describedby) says it.
 */
for (const dialect of testDialects()) {
  describe(`limited fields carry maxlength and a hint (${dialect})`, () => {
    let app: TestApp;
    let mail: MailCatcher;
    let documentId: string;

    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url } });
      ({ documentId } = await answeredLetter(app, mail));
    });
    after(async () => {
      await app.dispose();
      await mail.close();
    });

    /** Checks one field of a page: its control's maxlength and the hint it is described by. */
    const checkField = (html: string, name: string, max: number, words: RegExp) => {
      const control = new RegExp(`<(input|textarea)[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0];
      assert.ok(control, `a control named ${name}`);
      assert.match(control, new RegExp(`maxlength="${max}"`, 'i'), `${name}: maxlength ${max}`);
      const hintId = /aria-describedby="([^"]*)"/
        .exec(control)?.[1]
        ?.split(' ')
        .find((id) => id.endsWith('-hint'));
      assert.ok(hintId, `${name} is described by a hint`);
      const hint = new RegExp(`<div id="${hintId}" class="govuk-hint">([^<]*)</div>`).exec(html)?.[1] ?? '';
      assert.match(hint, words, `${name}: the hint says the limit`);
    };

    test('the resident’s letter forms: title, place, text', async () => {
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const letter = await resident.get('/pisma/nowe');
      checkField(letter.body, 'title', LETTER_LIMITS.title, /Najwyżej 200 znaków\./);
      checkField(letter.body, 'place', LETTER_LIMITS.place, /Najwyżej 100 znaków\./);
      checkField(letter.body, 'body', LETTER_LIMITS.body, /Najwyżej 20000 znaków\./);
      const english = await resident.get('/pisma/nowe?lang=en');
      checkField(english.body, 'title', LETTER_LIMITS.title, /At most 200 characters\./);
      await resident.get('/pisma/nowe?lang=pl');
      const ready = await resident.get('/pisma/dokument');
      checkField(ready.body, 'title', LETTER_LIMITS.title, /Najwyżej 200 znaków\./);
    });

    test('the clerk’s answer form: title', async () => {
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', PASSWORD);
      const form = await clerk.get(`/urzad/umczestochowa/dokumenty/${documentId}/odpowiedz`);
      assert.equal(form.statusCode, 200);
      checkField(form.body, 'title', DELIVERY_TITLE_MAX, /Najwyżej 300 znaków\./);
    });

    test('registration, the trusted-profile application and the admin’s office and point forms', async () => {
      const anonymous = new WebClient(app.http);
      const register = await anonymous.get('/rejestracja');
      checkField(register.body, 'displayName', ACCOUNT_LIMITS.displayName, /Najwyżej 200 znaków\./);
      checkField(register.body, 'email', ACCOUNT_LIMITS.email, /Najwyżej 320 znaków\./);

      const registered = new WebClient(app.http);
      await registered.post(
        '/rejestracja',
        {
          displayName: 'Anna Limit',
          email: 'anna.limit@example.pl',
          password: 'a long enough password 1',
          passwordConfirm: 'a long enough password 1',
          terms: 'yes',
        },
        '/rejestracja',
      );
      await app.database.db
        .updateTable('accounts')
        .set({ email_verified_at: new Date().toISOString() })
        .where('email', '=', 'anna.limit@example.pl')
        .execute();
      await registered.logIn('anna.limit@example.pl', 'a long enough password 1');
      const apply = await registered.get('/profil-zaufany');
      checkField(apply.body, 'firstNames', PROFILE_LIMITS.firstNames, /Najwyżej 100 znaków\./);
      checkField(apply.body, 'surname', PROFILE_LIMITS.surname, /Najwyżej 100 znaków\./);
      checkField(apply.body, 'phone', PROFILE_LIMITS.phone, /Najwyżej 30 znaków\./);

      const admin = new WebClient(app.http);
      await admin.logIn('admin@example.pl', PASSWORD);
      const office = await admin.get('/admin/urzedy/nowy');
      checkField(office.body, 'name', OFFICE_LIMITS.name, /Najwyżej 200 znaków\./);
      checkField(office.body, 'shortCode', OFFICE_LIMITS.shortCode, /Najwyżej 16 znaków\./);
      checkField(office.body, 'address', OFFICE_LIMITS.address, /Najwyżej 300 znaków\./);
      const point = await admin.get('/admin/punkty/nowy');
      checkField(point.body, 'name', POINT_LIMITS.name, /Najwyżej 200 znaków\./);
      checkField(point.body, 'openingHours', POINT_LIMITS.openingHours, /Najwyżej 300 znaków\./);
      checkField(point.body, 'phone', POINT_LIMITS.phone, /Najwyżej 30 znaków\./);
    });
  });
}
