import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROBLEM_CODES } from '../../src/http/problem';
import { addOtherOffice, startTestApp, type TestApp } from '../helpers/app';

const SRC = path.join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.tsx?$/.test(f));
}

describe('API problems and their catalogue', () => {
  let app: TestApp;
  let pull: string;
  let otherOffice: string;

  before(async () => {
    app = await startTestApp('sqlite', { demo: true, env: { JOBS_POLL_MS: '0' } });
    await addOtherOffice(app);
    pull = (
      await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
    ).token;
    otherOffice = (
      await app.services.createIntegrationToken({ officeId: 'umkrakow', scope: 'pull', name: 'EZD Kraków' })
    ).token;
  });
  after(() => app.dispose());

  test('every code the source raises is in the catalogue', () => {
    const raised = new Set<string>();
    for (const file of sourceFiles(SRC))
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z_]+)'/g))
        raised.add(match[1]!);
    assert.ok(raised.size > 20);
    const missing = [...raised].filter((code) => !PROBLEM_CODES.includes(code));
    assert.deepEqual(missing, [], 'codes raised without a catalogue entry');
  });

  test('a refusal: type points into the catalogue, title is the status phrase, detail follows Accept-Language, errors is present', async () => {
    const pl = await app.http.inject({ method: 'GET', url: '/api/v1/boxes/umczestochowa/skrytka/pending' });
    assert.equal(pl.statusCode, 401);
    assert.equal(pl.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.deepEqual(pl.json(), {
      type: '/api/errors#unauthorized',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthorized',
      detail: 'Brak tokenu: podaj nagłówek Authorization: Bearer <token>.',
      errors: [],
    });
    const en = await app.http.inject({
      method: 'GET',
      url: '/api/v1/boxes/umczestochowa/skrytka/pending',
      headers: { 'accept-language': 'de;q=1, en-GB;q=0.8, pl;q=0.5' },
    });
    assert.equal(en.json().detail, 'No token: send the header Authorization: Bearer <token>.');

    const other = await app.http.inject({
      method: 'GET',
      url: '/api/v1/boxes/umczestochowa/skrytka/pending',
      headers: { authorization: `Bearer ${otherOffice}`, 'accept-language': 'en' },
    });
    assert.equal(other.statusCode, 403);
    assert.deepEqual(
      { ...(other.json() as object), detail: undefined },
      {
        type: '/api/errors#other_office',
        title: 'Forbidden',
        status: 403,
        code: 'other_office',
        detail: undefined,
        errors: [],
      },
    );
    const missing = await app.http.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(missing.json().type, '/api/errors#not_found');
    assert.deepEqual(missing.json().errors, []);

    const fields = await app.http.inject({
      method: 'POST',
      url: '/api/v1/documents/x/ack',
      headers: { authorization: `Bearer ${pull}`, 'accept-language': 'en' },
      payload: { sha256: 'a'.repeat(64), extra: 1 },
    });
    assert.equal(fields.statusCode, 400);
    assert.equal(fields.json().code, 'unknown_fields');
    assert.match(fields.json().detail, /extra/);
  });

  test('the catalogue explains every code at its fragment, as a page and as JSON, in both languages', async () => {
    const page = await app.http.inject({ method: 'GET', url: '/api/errors' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    for (const code of PROBLEM_CODES) assert.match(page.body, new RegExp(`id="${code}"`), code);
    assert.match(page.body, /Token należy do innego urzędu/);
    const json = await app.http.inject({
      method: 'GET',
      url: '/api/errors',
      headers: { accept: 'application/json', 'accept-language': 'en' },
    });
    const codes = (json.json() as { codes: { code: string; meaning: string }[] }).codes;
    assert.equal(codes.length, PROBLEM_CODES.length);
    assert.match(codes.find((c) => c.code === 'other_office')!.meaning, /belongs to another office/);
  });
});
