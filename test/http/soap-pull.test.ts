import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import {
  addOtherOffice,
  listenLocally,
  markDemoLettersTaken,
  startTestApp,
  type TestApp,
} from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { makeConnectorKey, runEzdClient, type ConnectorKey } from '../helpers/ezd-soap';
import { samplePdf } from '../helpers/sample-files';

const BOX = '/umczestochowa/skrytka';

for (const dialect of testDialects()) {
  describe(`SOAP pull service with a zeep client (${dialect})`, () => {
    let app: TestApp;
    let baseUrl: string;
    let dir: string;
    let ezd: { key: string; cert: string };
    let stranger: { key: string; cert: string; seals?: string };
    let sealFile: string;

    /** Runs the independent client; returns its JSON answer. */
    const client = (who: ConnectorKey, ...args: string[]) =>
      runEzdClient(baseUrl, 'pull', who, sealFile, ...args);

    async function fileWithAttachments(): Promise<{ documentId: string; files: Buffer[] }> {
      const submit = (
        await app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'submit',
          name: 'Jan Kowalski',
        })
      ).token;
      const files = [samplePdf('pismo'), samplePdf('zalacznik 1'), samplePdf('zalacznik 2')];
      const boundary = 'b0undary';
      const part = (field: string, name: string, content: Buffer) =>
        Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`,
          ),
          content,
          Buffer.from('\r\n'),
        ]);
      const payload = Buffer.concat([
        part('document', 'pismo.pdf', files[0]!),
        part('attachment', 'z1.pdf', files[1]!),
        part('attachment', 'z2.pdf', files[2]!),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const res = await app.http.inject({
        method: 'POST',
        url: `/api/v1/boxes${BOX}/documents`,
        headers: {
          authorization: `Bearer ${submit}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      });
      assert.equal(res.statusCode, 201, res.body);
      return { documentId: (res.json() as { documentId: string }).documentId, files };
    }

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      await markDemoLettersTaken(app);
      await addOtherOffice(app);
      baseUrl = await listenLocally(app);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soap-pull-'));
      ezd = await makeConnectorKey(dir, 'ezd');
      stranger = await makeConnectorKey(dir, 'stranger');
      const seal = await app.deps.seals.forOffice('umczestochowa', 'Urząd Miasta Częstochowy');
      const platform = await app.deps.seals.platform();
      fs.writeFileSync(path.join(dir, 'seal.pem'), seal.certificatePem);
      fs.writeFileSync(path.join(dir, 'platform.pem'), platform.certificatePem);
      sealFile = `${path.join(dir, 'seal.pem')},${path.join(dir, 'platform.pem')}`;
      // The other office's system checks answers against its own office's seal.
      const krakow = await app.deps.seals.forOffice('umkrakow', 'Urząd Miasta Krakowa');
      fs.writeFileSync(path.join(dir, 'krakow.pem'), krakow.certificatePem);
      stranger.seals = `${path.join(dir, 'krakow.pem')},${path.join(dir, 'platform.pem')}`;
      await app.services.addIntegrationSystem({
        officeId: 'umczestochowa',
        name: 'EZD RP',
        certificatePem: fs.readFileSync(ezd.cert, 'utf8'),
      });
    });
    after(async () => {
      await app.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('the WSDL is XML and names our address; the schema beside it resolves', async () => {
      const res = await fetch(`${baseUrl}/pk_external_ws/services/pull?wsdl`);
      assert.equal(res.status, 200);
      const text = await res.text();
      const doc = new DOMParser({ onError: (level, msg) => assert.fail(`${level}: ${msg}`) }).parseFromString(
        text,
        'text/xml',
      );
      const address = doc.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/soap/', 'address')[0];
      assert.equal(
        address?.getAttribute('location'),
        `${app.env.config.publicUrl}/pk_external_ws/services/pull`,
      );
      assert.equal(doc.documentElement?.getAttribute('targetNamespace'), 'http://ws.epuap.gov.pl/pull/');
      const schema = await fetch(`${baseUrl}/pk_external_ws/services/obiektypk.xsd`);
      assert.equal(schema.status, 200);
      assert.match(await schema.text(), /targetNamespace="http:\/\/wsdl\.epuap\.gov\.pl\/obiekty\/"/);
    });

    test('count, pull, check against the UPP, acknowledge with SHA-1; again acknowledges nothing', async () => {
      const filed = await fileWithAttachments();
      assert.deepEqual(await client(ezd, 'count', BOX), { kod: 1, oczekujace: 1 });
      const pulled = await client(ezd, 'pull', BOX);
      assert.equal(pulled.kod, 1);
      assert.equal(pulled.adresSkrytki, BOX);
      assert.equal(pulled.nazwaSkrytki, 'skrytka');
      assert.equal(pulled.czyTestowe, false);
      assert.equal(pulled.typPliku, 'text/xml');
      assert.equal(pulled.nazwaPliku, `${filed.documentId}.xml`);
      assert.equal(pulled.typOsoby, 'P');
      assert.equal(pulled.nazwiskoNazwa, 'Jan Kowalski');
      assert.equal(pulled.zgoda, true);
      const extra = String(pulled.daneDodatkowe);
      assert.match(extra, new RegExp(`<IdentyfikatorDokumentu>${filed.documentId}</IdentyfikatorDokumentu>`));
      const document = await app.services.getDocument(
        { kind: 'account', accountId: '-', clerkOfOffices: ['umczestochowa'] },
        filed.documentId,
      );
      assert.match(extra, new RegExp(`<IdentyfikatorUpp>${document.receiptId}</IdentyfikatorUpp>`));
      // The signature verdicts travel too (these PDFs carry none).
      assert.match(extra, /<Podpisy wynik="none"><\/Podpisy><\/DaneDodatkowe>/);

      // Every embedded file decodes to what was filed, and its digest is the one in the UPP.
      const content = Buffer.from(String(pulled.zawartosc), 'base64');
      const envelope = new DOMParser().parseFromString(content.toString('utf8'), 'text/xml');
      const embedded = Array.from(
        envelope.getElementsByTagNameNS('http://crd.gov.pl/xml/schematy/struktura/2009/11/16/', 'Zalacznik'),
      );
      assert.equal(embedded.length, 3);
      const upp = (
        await app.services.getReceipt(
          { kind: 'account', accountId: '-', clerkOfOffices: ['umczestochowa'] },
          document.receiptId,
        )
      ).xml;
      embedded.forEach((element, i) => {
        assert.equal(element.getAttribute('kodowanie'), 'base64');
        const data = element.getElementsByTagNameNS(
          'http://crd.gov.pl/xml/schematy/struktura/2009/11/16/',
          'DaneZalacznika',
        )[0];
        const bytes = Buffer.from(data?.textContent ?? '', 'base64');
        assert.deepEqual(bytes, filed.files[i]);
        const sha256 = createHash('sha256').update(bytes).digest();
        assert.ok(
          upp.includes(sha256.toString('base64')) || upp.includes(sha256.toString('hex')),
          `the UPP names the digest of file ${i + 1}`,
        );
      });

      const wrong = createHash('sha1').update('something else').digest('base64');
      assert.equal((await client(ezd, 'ack', BOX, wrong)).kod, 0, 'a wrong digest acknowledges nothing');
      assert.deepEqual(await client(ezd, 'count', BOX), { kod: 1, oczekujace: 1 });
      const sha1 = createHash('sha1').update(content).digest('base64');
      assert.equal((await client(ezd, 'ack', BOX, sha1)).kod, 1);
      assert.deepEqual(await client(ezd, 'count', BOX), { kod: 1, oczekujace: 0 });
      assert.notEqual((await client(ezd, 'ack', BOX, sha1)).kod, 1, 'acknowledging again does not answer 1');
      const empty = await client(ezd, 'pull', BOX);
      assert.equal(empty.kod, 0);
    });

    test('a SHA-256 skrot is accepted too', async () => {
      await fileWithAttachments();
      const pulled = await client(ezd, 'pull', BOX);
      const content = Buffer.from(String(pulled.zawartosc), 'base64');
      assert.equal(
        (await client(ezd, 'ack', BOX, createHash('sha256').update(content).digest('base64'))).kod,
        1,
      );
      assert.equal((await client(ezd, 'count', BOX)).oczekujace, 0);
    });

    test('bad input is refused with a signed fault and changes nothing', async () => {
      await fileWithAttachments();
      const countBefore = await app.services.countPending('umczestochowa', 'skrytka');
      const raw = async (xml: string) => {
        const file = path.join(dir, 'raw.xml');
        fs.writeFileSync(file, xml);
        return client(ezd, 'raw', file);
      };
      const unsigned = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ob:ZapytaniePullPobierz xmlns:ob="http://wsdl.epuap.gov.pl/obiekty/"><podmiot>umczestochowa</podmiot><nazwaSkrytki>skrytka</nazwaSkrytki><adresSkrytki>${BOX}</adresSkrytki></ob:ZapytaniePullPobierz></s:Body></s:Envelope>`;
      const refusedUnsigned = await raw(unsigned);
      assert.equal(refusedUnsigned.http, 500);
      assert.equal(refusedUnsigned.kod, '401');
      assert.equal(refusedUnsigned.signedBy, 'platform', 'before the office is known, by the platform seal');
      assert.match(String(refusedUnsigned.komunikat), /nie jest podpisane/);

      const dtd = await raw(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]>${unsigned}`);
      assert.match(String(dtd.komunikat), /DTD/);
      const malformed = await raw('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>');
      assert.match(String(malformed.komunikat), /SOAP 1\.1/);
      const oversized = await raw(`${unsigned}<!--${'x'.repeat(300 * 1024)}-->`);
      assert.equal(oversized.kod, '413');

      // A certificate nobody registered, and one of a revoked system.
      assert.match(
        String((await client(stranger, 'count', BOX)).fault),
        /nie należy do żadnego aktywnego systemu/,
      );
      const other = await app.services.addIntegrationSystem({
        officeId: 'umkrakow',
        name: 'EZD Kraków',
        certificatePem: fs.readFileSync(stranger.cert, 'utf8'),
      });
      assert.match(
        String((await client(stranger, 'count', BOX)).fault),
        /nie ma dostępu do skrytki/,
        'another office',
      );
      assert.equal((await client(stranger, 'count', '/umkrakow/skrytka')).oczekujace, 0);
      await app.services.revokeIntegrationSystem({ systemId: other.id });
      assert.match(String((await client(stranger, 'count', '/umkrakow/skrytka')).fault), /nie należy/);

      // A replayed request, and a tampered Body.
      const saved = path.join(dir, 'sent.xml');
      await client(ezd, 'count', BOX, saved);
      const sent = fs.readFileSync(saved, 'utf8');
      const replayed = await raw(sent);
      assert.match(String(replayed.komunikat), /zostało już przyjęte/);
      assert.equal(replayed.signedBy, 'office', 'faults are signed by the office seal');
      const tampered = await raw(sent.replace('<nazwaSkrytki>skrytka<', '<nazwaSkrytki>skrytkA<'));
      assert.match(String(tampered.komunikat), /Podpis żądania jest nieprawidłowy/);

      assert.equal(await app.services.countPending('umczestochowa', 'skrytka'), countBefore);
    });
  });
}
