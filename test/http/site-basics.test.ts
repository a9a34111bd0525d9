import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

/** What libmagic (the `file` command), not our code, makes of some bytes. */
function fileType(data: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'favicon-'));
  try {
    const file = path.join(dir, 'icon');
    fs.writeFileSync(file, data);
    return execFileSync('file', ['-b', file], { encoding: 'utf8' }).trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const dialect of testDialects()) {
  describe(`site basics (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    test('/favicon.ico is an icon with 16 and 32 pixel images; /favicon.svg an SVG; pages link them', async () => {
      const ico = await app.http.inject({ url: '/favicon.ico' });
      assert.equal(ico.statusCode, 200);
      assert.equal(ico.headers['content-type'], 'image/x-icon');
      assert.equal(
        fileType(ico.rawPayload),
        'MS Windows icon resource - 2 icons, 16x16, 32 bits/pixel, 32x32, 32 bits/pixel',
      );
      const svg = await app.http.inject({ url: '/favicon.svg' });
      assert.equal(svg.statusCode, 200);
      assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
      assert.match(fileType(svg.rawPayload), /SVG Scalable Vector Graphics image/);
      const home = await app.http.inject({ url: '/' });
      assert.match(home.body, /<link rel="icon" href="\/favicon\.ico" sizes="32x32"\/?>/);
      assert.match(home.body, /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml"\/?>/);
    });

    test('titles: "Page — Office — Urząd OnLine", each part once; the home page just the name', async () => {
      const home = await app.http.inject({ url: '/' });
      assert.equal(titleOf(home.body), 'Urząd OnLine');
      const box = await app.http.inject({ url: '/esp/umczestochowa' });
      const office = await app.services.getOffice('umczestochowa');
      const title = titleOf(box.body) ?? '';
      assert.match(title, new RegExp(`^[^—]+ — ${office.name} — Urząd OnLine$`));
      const cookies = await app.http.inject({ url: '/cookies' });
      assert.equal(titleOf(cookies.body), 'Pliki cookies — Urząd OnLine');
    });

    test('"Błąd:" / "Error:" opens the title of a page whose form has errors, only then', async () => {
      const web = new WebClient(app.http);
      const blank = await web.get('/rejestracja');
      assert.doesNotMatch(titleOf(blank.body) ?? '', /Błąd/);
      const refused = await web.post('/rejestracja', { displayName: '', email: 'x' }, '/rejestracja');
      assert.equal(refused.statusCode, 400);
      assert.equal(titleOf(refused.body), `Błąd: ${titleOf(blank.body)}`);
      const en = await web.post('/rejestracja?lang=en', { displayName: '' }, '/rejestracja?lang=en');
      assert.equal(en.statusCode, 400);
      assert.match(titleOf(en.body) ?? '', /^Error: \S/);
      const cookies = await web.post('/cookies?lang=pl', { consent: 'maybe' }, '/cookies?lang=pl');
      assert.equal(cookies.statusCode, 400);
      assert.equal(titleOf(cookies.body), 'Błąd: Pliki cookies — Urząd OnLine');
    });
  });
}
