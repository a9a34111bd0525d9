import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { listenLocally, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { png, samplePdf } from '../helpers/sample-files';
import { signLetterWithTrustedProfile } from '../../src/domain/trusted-signature/sign-letter';

const execFileAsync = promisify(execFile);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Part {
  field: string;
  name: string;
  content: Buffer;
  type?: string;
}

function form(parts: Part[], fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  for (const p of parts)
    data.append(
      p.field,
      new Blob([new Uint8Array(p.content)], { type: p.type ?? 'application/octet-stream' }),
      p.name,
    );
  return data;
}

for (const dialect of testDialects()) {
  describe(`filing API (${dialect})`, () => {
    let app: TestApp;
    let base: string;
    let token: string;
    let otherToken: string;
    let pullToken: string;

    const file = (
      parts: Part[],
      options: {
        fields?: Record<string, string>;
        headers?: Record<string, string>;
        bearer?: string;
        box?: string;
      } = {},
    ) =>
      fetch(`${base}/api/v1/boxes/${options.box ?? 'umczestochowa/skrytka'}/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.bearer ?? token}`, ...options.headers },
        body: form(parts, options.fields),
      });

    const stored = async () => ({
      documents: Number(
        (
          await app.database.db
            .selectFrom('documents')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      receipts: Number(
        (
          await app.database.db
            .selectFrom('receipts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      blobs: await (async () => {
        const list: string[] = [];
        for await (const b of app.deps.blobs.list()) list.push(b.sha256);
        return list.sort();
      })(),
      tmp: fs.readdirSync(path.join(app.env.config.dataDir, 'blobs', 'tmp')),
    });

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      base = await listenLocally(app);
      token = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Kancelaria Prawna Nowak',
        })
      ).token;
      pullToken = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
      ).token;
      otherToken = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Inny nadawca',
        })
      ).token;
    });
    after(async () => app.dispose());

    test('files a PDF with two attachments: 201, Location, receipt that xmlsec1 verifies', async () => {
      const pdf = samplePdf();
      const res = await file(
        [
          { field: 'document', name: 'wniosek.pdf', content: pdf, type: 'application/pdf' },
          { field: 'attachment', name: 'skan.png', content: png() },
          { field: 'attachment', name: 'notatka.txt', content: Buffer.from('Zażółć gęślą jaźń\n') },
        ],
        { fields: { title: 'Wniosek o zaświadczenie', kind: 'podanie' } },
      );
      assert.equal(res.status, 201, await res.clone().text());
      const body = (await res.json()) as { documentId: string; receiptId: string; receivedAt: string };
      assert.equal(res.headers.get('location'), `/api/v1/documents/${body.documentId}`);
      assert.ok(body.receiptId && !Number.isNaN(Date.parse(body.receivedAt)));

      const doc = await fetch(`${base}/api/v1/documents/${body.documentId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(doc.status, 200);
      const meta = (await doc.json()) as {
        files: { name: string; sha256: string; mediaType: string; size: number }[];
        receiptId: string;
        status: string;
        title: string;
      };
      assert.equal(meta.receiptId, body.receiptId);
      assert.equal(meta.title, 'Wniosek o zaświadczenie');
      assert.deepEqual(
        meta.files.map((f) => f.name),
        ['wniosek.pdf', 'skan.png', 'notatka.txt'],
      );
      assert.equal(meta.files[0]?.sha256, sha(pdf));
      assert.equal(meta.files[0]?.mediaType, 'application/pdf');
      for (const f of meta.files) assert.ok(await app.deps.blobs.has(f.sha256));

      const receipt = await fetch(`${base}/api/v1/receipts/${body.receiptId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(receipt.status, 200);
      assert.match(receipt.headers.get('content-type') ?? '', /application\/xml/);
      const xml = await receipt.text();
      assert.ok(xml.includes(sha(pdf)), 'the receipt carries the digest of the main document');
      assert.ok(xml.includes('Urząd Miasta Częstochowy'));

      const chain = await (await fetch(`${base}/api/v1/offices/umczestochowa/certificate`)).text();
      const certs = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      assert.ok(certs.length >= 2, 'seal certificate then issuer');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upp-'));
      fs.writeFileSync(path.join(dir, 'ca.pem'), `${certs[certs.length - 1]}\n`);
      fs.writeFileSync(path.join(dir, 'receipt.xml'), xml);
      const verify = spawnSync(
        'xmlsec1',
        [
          '--verify',
          '--trusted-pem',
          path.join(dir, 'ca.pem'),
          '--id-attr:Id',
          'SignedProperties',
          path.join(dir, 'receipt.xml'),
        ],
        { encoding: 'utf8' },
      );
      assert.equal(verify.status, 0, verify.stderr);
      fs.writeFileSync(path.join(dir, 'tampered.xml'), xml.replace(sha(pdf), sha(Buffer.from('x'))));
      const tampered = spawnSync(
        'xmlsec1',
        [
          '--verify',
          '--trusted-pem',
          path.join(dir, 'ca.pem'),
          '--id-attr:Id',
          'SignedProperties',
          path.join(dir, 'tampered.xml'),
        ],
        { encoding: 'utf8' },
      );
      assert.notEqual(tampered.status, 0);

      const pdfReceipt = await fetch(`${base}/api/v1/receipts/${body.receiptId}?format=pdf`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(pdfReceipt.status, 200);
      assert.equal(pdfReceipt.headers.get('content-type'), 'application/pdf');
      assert.equal(
        Buffer.from(await pdfReceipt.arrayBuffer())
          .subarray(0, 5)
          .toString(),
        '%PDF-',
      );
    });

    test('signatures on filed documents are verified and reported, never shown as valid when they are not', async () => {
      const plain = await file([
        { field: 'document', name: 'bez-podpisu.pdf', content: samplePdf('bez podpisu') },
      ]);
      const plainDoc = await (
        await fetch(
          `${base}/api/v1/documents/${((await plain.json()) as { documentId: string }).documentId}`,
          { headers: { authorization: `Bearer ${token}` } },
        )
      ).json();
      assert.equal((plainDoc as { signature: { status: string } }).signature.status, 'none');

      const letter = `<?xml version="1.0" encoding="UTF-8"?>\n<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/"><wnio:TrescDokumentu><wnio:Tytul>Pismo</wnio:Tytul></wnio:TrescDokumentu></wnio:Dokument>`;
      const seal = await app.deps.seals.platform();
      const signed = signLetterWithTrustedProfile(
        letter,
        {
          firstNames: 'Jan',
          surname: 'Kowalski',
          pesel: '44051401359',
          dateOfBirth: '1944-05-14',
          profileId: 'PZ-1',
          issuer: 'Urząd OnLine',
        },
        new Date(),
        seal,
      );
      for (const [xml, want] of [
        [signed, 'valid'],
        [signed.replace('<wnio:Tytul>Pismo', '<wnio:Tytul>Inne pismo'), 'invalid'],
      ] as const) {
        const res = await file([{ field: 'document', name: 'pismo.xml', content: Buffer.from(xml) }]);
        assert.equal(res.status, 201, 'an invalid signature does not stop a filing');
        const { documentId } = (await res.json()) as { documentId: string };
        const doc = (await (
          await fetch(`${base}/api/v1/documents/${documentId}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as {
          signature: {
            status: string;
            report: { kind: string; status: string; signer?: { subject: string } }[];
          };
        };
        assert.equal(doc.signature.status, want);
        assert.equal(doc.signature.report[0]?.kind, 'XAdES');
        assert.match(doc.signature.report[0]?.signer?.subject ?? '', /CN=/);
      }
    });

    test('only the sender and the office read a receipt or a document', async () => {
      const res = await file([{ field: 'document', name: 'a.pdf', content: samplePdf('only mine') }]);
      const { documentId, receiptId } = (await res.json()) as { documentId: string; receiptId: string };
      const asOther = await fetch(`${base}/api/v1/receipts/${receiptId}`, {
        headers: { authorization: `Bearer ${otherToken}` },
      });
      assert.equal(asOther.status, 404);
      const docAsOther = await fetch(`${base}/api/v1/documents/${documentId}`, {
        headers: { authorization: `Bearer ${otherToken}` },
      });
      assert.equal(docAsOther.status, 404);
      const asOffice = await fetch(`${base}/api/v1/receipts/${receiptId}`, {
        headers: { authorization: `Bearer ${pullToken}` },
      });
      assert.equal(asOffice.status, 200);
      const anonymous = await fetch(`${base}/api/v1/receipts/${receiptId}`);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('content-type') ?? '', /application\/problem\+json/);
    });

    test('the same Idempotency-Key and content returns the same document; other content gets 409', async () => {
      const pdf = samplePdf('idempotent');
      const parts = [{ field: 'document', name: 'i.pdf', content: pdf }];
      const first = await file(parts, { headers: { 'idempotency-key': 'key-1' } });
      const second = await file(parts, { headers: { 'idempotency-key': 'key-1' } });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(await second.json(), await first.json());
      const before = await stored();
      const conflict = await file([{ field: 'document', name: 'i.pdf', content: samplePdf('different') }], {
        headers: { 'idempotency-key': 'key-1' },
      });
      assert.equal(conflict.status, 409);
      assert.match(conflict.headers.get('content-type') ?? '', /problem\+json/);
      assert.deepEqual(await stored(), before, 'nothing stored for the conflict');
    });

    test('concurrent retries with one key make one document', async () => {
      const parts = [{ field: 'document', name: 'c.pdf', content: samplePdf('concurrent') }];
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => file(parts, { headers: { 'idempotency-key': 'race-1' } })),
      );
      const bodies = await Promise.all(answers.map((a) => a.json()));
      assert.ok(answers.every((a) => a.status === 201));
      assert.equal(new Set(bodies.map((b) => JSON.stringify(b))).size, 1);
    });

    const rejections: {
      name: string;
      status: number;
      parts: () => Part[];
      rule?: RegExp;
      fields?: Record<string, string>;
    }[] = [
      {
        name: 'an executable named .pdf',
        status: 415,
        parts: () => [
          {
            field: 'document',
            name: 'wniosek.pdf',
            content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]),
          },
        ],
      },
      {
        name: 'a PNG named .jpg',
        status: 415,
        parts: () => [{ field: 'document', name: 'zdjecie.jpg', content: png() }],
      },
      {
        name: 'an extension not on the list',
        status: 415,
        parts: () => [{ field: 'document', name: 'program.exe', content: Buffer.from('MZ') }],
      },
      {
        name: 'an empty file',
        status: 422,
        parts: () => [{ field: 'document', name: 'pusty.pdf', content: Buffer.alloc(0) }],
      },
      {
        name: 'an XXE document',
        status: 422,
        parts: () => [
          {
            field: 'document',
            name: 'xxe.xml',
            content: Buffer.from(
              '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
            ),
          },
        ],
      },
      {
        name: 'a text file that is not UTF-8',
        status: 422,
        parts: () => [
          { field: 'document', name: 'list.txt', content: Buffer.from([0x50, 0xb3, 0xf3, 0x64, 0xbc]) },
        ],
      },
      {
        name: 'no main document',
        status: 422,
        parts: () => [{ field: 'attachment', name: 'a.pdf', content: samplePdf() }],
      },
      {
        name: 'an unknown kind',
        status: 422,
        parts: () => [{ field: 'document', name: 'a.pdf', content: samplePdf() }],
        fields: { kind: 'skarga-nadzwyczajna' },
      },
      {
        name: '5 MB + 1 byte in total',
        status: 413,
        parts: () => [
          { field: 'document', name: 'a.pdf', content: samplePdf() },
          {
            field: 'attachment',
            name: 'b.txt',
            content: Buffer.alloc(5 * 1024 * 1024 + 1 - samplePdf().length, 0x61),
          },
        ],
      },
    ];
    for (const r of rejections) {
      test(`rejects ${r.name} with ${r.status}, names the file, stores nothing`, async () => {
        const before = await stored();
        const res = await file(r.parts(), { ...(r.fields ? { fields: r.fields } : {}) });
        assert.equal(res.status, r.status);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        const problem = (await res.json()) as {
          status: number;
          title: string;
          errors?: { field: string; message: string }[];
        };
        assert.equal(problem.status, r.status);
        assert.ok(problem.errors && problem.errors.length > 0, 'lists the problems');
        assert.deepEqual(await stored(), before);
      });
    }

    test('a wrong content type gets 415; an unknown box 404; another office 403; no token 401', async () => {
      const json = await fetch(`${base}/api/v1/boxes/umczestochowa/skrytka/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(json.status, 415);
      const unknown = await file([{ field: 'document', name: 'a.pdf', content: samplePdf() }], {
        box: 'umczestochowa/nie-ma',
      });
      assert.equal(unknown.status, 404);
      const noToken = await fetch(`${base}/api/v1/boxes/umczestochowa/skrytka/documents`, {
        method: 'POST',
        body: form([]),
      });
      assert.equal(noToken.status, 401);
      const wrongScope = await file([{ field: 'document', name: 'a.pdf', content: samplePdf() }], {
        bearer: pullToken,
      });
      assert.equal(wrongScope.status, 403);
    });

    test('a truncated multipart body gets 400 and leaves nothing', async () => {
      const before = await stored();
      const boundary = 'XyZboundary';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 partial`;
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${base}/api/v1/boxes/umczestochowa/skrytka/documents`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(head);
      });
      assert.equal(status, 400);
      assert.deepEqual(await stored(), before);
    });

    test('tokens: create prints id and secret, list shows state and last use, revoke by id is refused at once, expiry, audit', async () => {
      // Asynchronously: a synchronous child would stop this process's event loop, which also
      // serves the app, so a kept-alive connection could be closed by the server's idle timer
      // at the very moment the next request reuses it.
      const cli = async (...args: string[]) =>
        (
          await execFileAsync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'tokens', ...args], {
            env: { ...process.env, ...envOf(app), LOG_LEVEL: 'silent' },
            encoding: 'utf8',
          })
        ).stdout;
      const out = await cli(
        'create',
        '--office',
        'umczestochowa',
        '--scope',
        'submit',
        '--name',
        'Biuro Rachunkowe',
      );
      const id = /^id: ([0-9a-f-]{36})$/m.exec(out)?.[1];
      const cliToken = /^token: (uo_[A-Za-z0-9_-]{40,})$/m.exec(out)?.[1];
      assert.ok(id && cliToken, out);
      assert.equal(out.split('\n').filter(Boolean).length, 2);
      const row = (listing: string) =>
        listing
          .split('\n')
          .find((line) => line.startsWith(id))
          ?.split('\t');
      assert.deepEqual(row(await cli('list', '--office', 'umczestochowa'))?.slice(1, 3), [
        'submit',
        'Biuro Rachunkowe',
      ]);
      assert.equal(row(await cli('list', '--office', 'umczestochowa'))?.[5], '-', 'never used');
      const ok = await file([{ field: 'document', name: 'a.pdf', content: samplePdf('cli') }], {
        bearer: cliToken,
      });
      assert.equal(ok.status, 201);
      assert.match(
        row(await cli('list', '--office', 'umczestochowa'))?.[5] ?? '',
        /^\d{4}-\d\d-\d\dT/,
        'last use',
      );
      assert.doesNotMatch(await cli('list', '--office', 'umczestochowa'), /uo_/, 'secrets are never listed');

      await cli('revoke', id);
      const refused = await file([{ field: 'document', name: 'a.pdf', content: samplePdf('cli 2') }], {
        bearer: cliToken,
      });
      assert.equal(refused.status, 401);
      assert.notEqual(row(await cli('list', '--office', 'umczestochowa'))?.[6], '-', 'revoked');
      const actions = await app.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject', '=', id)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        actions.map((a) => a.action),
        ['token.created', 'token.revoked'],
      );
    });
  });
}

function envOf(app: TestApp): Record<string, string> {
  const env: Record<string, string> = { DATA_DIR: app.env.config.dataDir };
  if (app.env.config.databaseUrl) env.DATABASE_URL = app.env.config.databaseUrl;
  if (app.env.pgSchema) env.PGOPTIONS = `-c search_path=${app.env.pgSchema}`;
  return env;
}
