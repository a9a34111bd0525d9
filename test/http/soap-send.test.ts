import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { createHash } from 'node:crypto';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { upsertOffice } from '../../src/services/offices';
import {
  addOtherOffice,
  listenLocally,
  markDemoLettersTaken,
  startTestApp,
  type TestApp,
} from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { makeConnectorKey, runEzdClient, type ConnectorKey } from '../helpers/ezd-soap';
import { startMailCatcher, type MailCatcher } from '../helpers/mail';
import { xmlsecVerifies } from '../helpers/receipts';
import { samplePdf } from '../helpers/sample-files';
import { WebClient } from '../helpers/web-client';

const run = promisify(execFile);
const REPLY_BOX = '/umczestochowa/odpowiedzi';
const PASSWORD = 'demo-password-123';
const RUNNER = { runnerId: 'test', limit: 20, lockMs: 60_000 };

for (const dialect of testDialects()) {
  describe(`SOAP skrytka and doreczyciel services with a zeep client (${dialect})`, () => {
    let app: TestApp;
    let mail: MailCatcher;
    let baseUrl: string;
    let dir: string;
    let ezd: { key: string; cert: string };
    let limited: { key: string; cert: string };
    let sealFile: string;
    let caPem: string;
    let residentBox: string;

    /** Runs the independent client against one of the services; returns its JSON answer. */
    const client = (who: ConnectorKey, service: 'pull' | 'skrytka' | 'doreczyciel', ...args: string[]) =>
      runEzdClient(baseUrl, service, who, sealFile, ...args);

    const deliveryCount = async () =>
      Number(
        (
          await app.database.db
            .selectFrom('deliveries')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      mail = await startMailCatcher();
      app = await startTestApp(dialect, { demo: true, env: { JOBS_POLL_MS: '0', SMTP_URL: mail.url } });
      await markDemoLettersTaken(app);
      await addOtherOffice(app);
      baseUrl = await listenLocally(app);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soap-send-'));
      ezd = await makeConnectorKey(dir, 'ezd');
      limited = await makeConnectorKey(dir, 'limited');
      const seal = await app.deps.seals.forOffice('umczestochowa', 'Urząd Miasta Częstochowy');
      const platform = await app.deps.seals.platform();
      fs.writeFileSync(path.join(dir, 'seal.pem'), seal.certificatePem);
      fs.writeFileSync(path.join(dir, 'platform.pem'), platform.certificatePem);
      sealFile = `${path.join(dir, 'seal.pem')},${path.join(dir, 'platform.pem')}`;
      caPem = fs.readFileSync(path.join(app.env.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
      await app.services.addIntegrationSystem({
        officeId: 'umczestochowa',
        name: 'EZD RP',
        certificatePem: fs.readFileSync(ezd.cert, 'utf8'),
      });
      // A system that may use the main box only, not the reply box.
      await app.services.addIntegrationSystem({
        officeId: 'umczestochowa',
        name: 'EZD tylko skrytka',
        certificatePem: fs.readFileSync(limited.cert, 'utf8'),
        boxes: ['skrytka'],
      });
      const resident = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', '=', 'mieszkaniec@example.pl')
        .executeTakeFirstOrThrow();
      residentBox = `/${resident.id}/skrytka`;
      fs.writeFileSync(path.join(dir, 'decyzja.pdf'), samplePdf('Decyzja w sprawie podatku'));
      fs.writeFileSync(path.join(dir, 'zawiadomienie.pdf'), samplePdf('Zawiadomienie'));
    });
    after(async () => {
      await app?.dispose();
      await mail?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('the WSDLs are XML, name our address, and lxml reads their schema', async () => {
      for (const service of ['skrytka', 'doreczyciel', 'pull']) {
        const res = await fetch(`${baseUrl}/pk_external_ws/services/${service}?wsdl`);
        assert.equal(res.status, 200);
        const text = await res.text();
        const file = path.join(dir, `${service}.wsdl`);
        fs.writeFileSync(file, text);
        await run('/usr/bin/python3', [
          '-c',
          'import sys; from lxml import etree; etree.parse(sys.argv[1])',
          file,
        ]);
        const doc = new DOMParser().parseFromString(text, 'text/xml');
        const address = doc.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/soap/', 'address')[0];
        assert.equal(
          address?.getAttribute('location'),
          `${app.env.config.publicUrl}/pk_external_ws/services/${service}`,
        );
      }
      // Both schemas are valid XML Schema documents (lxml compiles them).
      for (const schema of ['obiektypk.xsd', 'obiektyExt.xsd']) {
        const res = await fetch(`${baseUrl}/pk_external_ws/services/${schema}`);
        const file = path.join(dir, schema);
        fs.writeFileSync(file, await res.text());
        await run('/usr/bin/python3', [
          '-c',
          'import sys; from lxml import etree; etree.XMLSchema(etree.parse(sys.argv[1]))',
          file,
        ]);
      }
    });

    test('dorecz: the resident confirms receipt in the browser; the EZD pulls the signed UPD from its reply box', async () => {
      const sent = await client(
        ezd,
        'doreczyciel',
        'dorecz',
        residentBox,
        path.join(dir, 'decyzja.pdf'),
        REPLY_BOX,
        'EZD-2026-17',
        'SPRAWA.3120.5.2026',
      );
      assert.equal(sent.kod, 1, JSON.stringify(sent));
      assert.match(String(sent.identyfikatorDokumentu), /^\d+$/, 'an integer, as connectors parse it');
      assert.equal(sent.identyfikatorZlecenia, sent.identyfikatorDokumentu);
      const delivery = await app.database.db
        .selectFrom('deliveries')
        .selectAll()
        .where('ezd_document_id', '=', 'EZD-2026-17')
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, 'awaiting');
      assert.equal(delivery.reply_box, 'odpowiedzi');
      assert.equal(delivery.title, 'decyzja.pdf');
      await app.services.runDueJobs(RUNNER);
      assert.deepEqual(
        await client(ezd, 'pull', 'count', REPLY_BOX),
        { kod: 1, oczekujace: 0 },
        'nothing before receipt',
      );

      // The resident confirms receipt with the code from the mail.
      const resident = new WebClient(app.http);
      await resident.logIn('mieszkaniec@example.pl', PASSWORD);
      const account = await resident.get('/skrzynka');
      assert.match(account.body, new RegExp(residentBox), 'the resident sees the box address');
      const started = await resident.post(`/skrzynka/${delivery.id}/odbior`, {});
      const codePage = await resident.get(String(started.headers.location));
      const challengeId = /name="challengeId" value="([^"]+)"/.exec(codePage.body)![1]!;
      const codeMail = await mail.waitFor('mieszkaniec@example.pl', (m) => /kod \d{6}/.test(m.subject ?? ''));
      const code = /kod (\d{6})/.exec(codeMail.subject ?? '')![1]!;
      assert.equal(
        (await resident.post(`/skrzynka/${delivery.id}/odbior/kod`, { challengeId, code })).statusCode,
        303,
      );
      await app.services.runDueJobs(RUNNER);
      await app.services.runDueJobs(RUNNER);

      assert.deepEqual(await client(ezd, 'pull', 'count', REPLY_BOX), { kod: 1, oczekujace: 1 });
      const pulled = await client(ezd, 'pull', 'pull', REPLY_BOX);
      assert.equal(pulled.kod, 1);
      assert.equal(pulled.adresSkrytki, REPLY_BOX);
      const upd = Buffer.from(String(pulled.zawartosc), 'base64');
      assert.match(upd.toString('utf8'), /UPD|Doreczenia/);
      const verified = xmlsecVerifies(upd, caPem);
      assert.ok(verified.ok, verified.output);
      const proof = await app.database.db
        .selectFrom('deliveries')
        .select('receipt_proof_id')
        .where('id', '=', delivery.id)
        .executeTakeFirstOrThrow();
      const stored = await app.database.db
        .selectFrom('receipts')
        .select('xml')
        .where('id', '=', proof.receipt_proof_id!)
        .executeTakeFirstOrThrow();
      assert.equal(upd.toString('utf8'), stored.xml, 'the proof of receipt as made');
      const extra = String(pulled.daneDodatkowe);
      assert.match(extra, /<IdentyfikatorDokumentuNadawcy>EZD-2026-17</);
      assert.match(extra, /<IdentyfikatorSprawy>SPRAWA\.3120\.5\.2026</);
      assert.match(extra, new RegExp(`<IdentyfikatorZlecenia>${String(sent.identyfikatorZlecenia)}<`));
      const sha1 = createHash('sha1').update(upd).digest('base64');
      assert.equal((await client(ezd, 'pull', 'ack', REPLY_BOX, sha1)).kod, 1);
      assert.deepEqual(await client(ezd, 'pull', 'count', REPLY_BOX), { kod: 1, oczekujace: 0 });
      await app.services.runDueJobs(RUNNER);
      assert.deepEqual(
        await client(ezd, 'pull', 'count', REPLY_BOX),
        { kod: 1, oczekujace: 0 },
        'filed once',
      );
    });

    test('nadaj: to a box by PESEL; the answer carries the signed proof of sending', async () => {
      const sent = await client(
        ezd,
        'skrytka',
        'nadaj',
        `/${DEMO_RESIDENT_PESEL}/skrytka`,
        path.join(dir, 'zawiadomienie.pdf'),
      );
      assert.equal(sent.kod, 1, JSON.stringify(sent));
      assert.match(String(sent.identyfikatorDokumentu), /^\d+$/);
      assert.equal(sent.identyfikatorUpp, sent.identyfikatorDokumentu);
      const proof = Buffer.from(String(sent.zalacznik), 'base64');
      assert.ok(xmlsecVerifies(proof, caPem).ok);
      const xml = path.join(dir, 'pismo.xml');
      fs.writeFileSync(
        xml,
        '<?xml version="1.0" encoding="UTF-8"?>\n<pismo xmlns="urn:test"><tresc>Wezwanie</tresc></pismo>\n',
      );
      const any = await client(ezd, 'skrytka', 'nadajAny', residentBox, xml);
      assert.equal(any.kod, 1, JSON.stringify(any));
      const delivery = await app.database.db
        .selectFrom('deliveries')
        .innerJoin('receipts', 'receipts.id', 'deliveries.sending_proof_id')
        .select(['deliveries.id', 'deliveries.title'])
        .where('receipts.log_index', '=', Number(any.identyfikatorDokumentu))
        .executeTakeFirstOrThrow();
      assert.equal(delivery.title, 'pismo.xml');
    });

    test('bad input is refused with a signed Polish fault and sends nothing', async () => {
      const before = await deliveryCount();
      const decision = path.join(dir, 'decyzja.pdf');
      const noSuchResident = await client(
        ezd,
        'doreczyciel',
        'dorecz',
        '/00000000-0000-4000-8000-000000000000/skrytka',
        decision,
        REPLY_BOX,
        'X',
        'Y',
      );
      assert.match(String(noSuchResident.fault), /Dokumentu nie nadano/);
      assert.equal(noSuchResident.kod, '422');
      const notABox = await client(
        ezd,
        'doreczyciel',
        'dorecz',
        '/umkrakow/skrytka',
        decision,
        REPLY_BOX,
        'X',
        'Y',
      );
      assert.match(String(notABox.fault), /nie wskazuje konta mieszkańca/);
      const foreignReply = await client(
        ezd,
        'doreczyciel',
        'dorecz',
        residentBox,
        decision,
        '/umkrakow/skrytka',
        'X',
        'Y',
      );
      assert.equal(foreignReply.kod, '403');
      const forbiddenReply = await client(
        limited,
        'doreczyciel',
        'dorecz',
        residentBox,
        decision,
        REPLY_BOX,
        'X',
        'Y',
      );
      assert.match(String(forbiddenReply.fault), /nie ma dostępu do skrytki \/umczestochowa\/odpowiedzi/);
      const exe = path.join(dir, 'wirus.pdf');
      fs.writeFileSync(exe, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]));
      const refusedFile = await client(ezd, 'doreczyciel', 'dorecz', residentBox, exe, REPLY_BOX, 'X', 'Y');
      assert.match(String(refusedFile.fault), /Dokumentu nie nadano: .*wirus\.pdf/);
      const trial = await client(
        ezd,
        'doreczyciel',
        'dorecz',
        residentBox,
        decision,
        REPLY_BOX,
        'X',
        'Y',
        'probne',
      );
      assert.equal(trial.kod, 1, 'a trial sending checks everything');
      assert.equal(trial.identyfikatorDokumentu, null, 'and stores nothing');
      // An office whose size limit the document passes (1,000 bytes here) refuses it by that limit.
      await upsertOffice(app.deps, {
        id: 'umkrakow',
        name: 'Urząd Miasta Krakowa',
        shortCode: 'UMKR',
        address: 'pl. Wszystkich Świętych 3-4, 31-004 Kraków',
        boxes: [
          { name: 'skrytka', title: 'ESP' },
          { name: 'odpowiedzi', title: 'Odpowiedzi' },
        ],
        externalAddresses: [],
        policy: { maxSizeBytes: 1000 },
      });
      const krakow = {
        ...(await makeConnectorKey(dir, 'krakow')),
        seals: path.join(dir, 'krakow-seals.pem'),
      };
      const krakowSeal = await app.deps.seals.forOffice('umkrakow', 'Urząd Miasta Krakowa');
      fs.writeFileSync(krakow.seals, krakowSeal.certificatePem);
      krakow.seals = `${krakow.seals},${path.join(dir, 'platform.pem')}`;
      await app.services.addIntegrationSystem({
        officeId: 'umkrakow',
        name: 'EZD Kraków',
        certificatePem: fs.readFileSync(krakow.cert, 'utf8'),
      });
      const big = path.join(dir, 'duza-decyzja.pdf');
      fs.writeFileSync(big, samplePdf('Decyzja '.repeat(400)));
      assert.ok(fs.statSync(big).size > 1000);
      const tooLarge = await client(
        krakow,
        'doreczyciel',
        'dorecz',
        residentBox,
        big,
        '/umkrakow/odpowiedzi',
        'X',
        'Y',
      );
      assert.equal(tooLarge.kod, '413', JSON.stringify(tooLarge));
      assert.match(String(tooLarge.fault), /najwyżej 1000 B/);
      assert.equal(await deliveryCount(), before);
    });
  });
}
