import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { markDemoLettersTaken, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { x509 } from '../../src/domain/receipts/crypto-engine';
import { opensslCa, type OpensslCa } from '../helpers/openssl-revocation';
import { cmsSignatureValue, opensslTsa, withSignatureTimestamp } from '../helpers/openssl-tsa';
import { cmsSign, issue, type TestKey } from '../helpers/test-pki';
import { WebClient } from '../helpers/web-client';

const PASSWORD = 'demo-password-123';

for (const dialect of testDialects()) {
  describe(`signature results on the clerk's page, in the pull metadata and the webhook (${dialect})`, () => {
    let app: TestApp;
    let personal: TestKey;
    let authorization: TestKey;
    let revocation: OpensslCa;
    let root: TestKey;
    before(async () => {
      // The anchors are in place before the first filing (the demo's letters): the server reads
      // the trust store at most every 2 s.
      app = await startTestApp(dialect);
      root = await issue(undefined, { subject: 'C=PL, O=Test MSWiA, CN=Test pl.ID Root CA', ca: true });
      authorization = await issue(root, {
        subject: 'C=PL, O=Test MSWiA, CN=Test pl.ID Authorization CA',
        ca: true,
      });
      personal = await issue(authorization, {
        subject: `C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-${DEMO_RESIDENT_PESEL}, CN=Jan Kowalski`,
      });
      const dir = path.join(app.env.config.dataDir, 'trust-lists', 'personal');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'pl-id-root.pem'), root.pem);
      await app.services.createDemoData({ password: PASSWORD });
      await markDemoLettersTaken(app);
      revocation = opensslCa(authorization);
      revocation.record(personal);
    });
    after(async () => {
      revocation.cleanup();
      await app.dispose();
    });

    test('a personal signature: category, signer and PESEL match shown to the clerk and carried to the office system', async () => {
      const residentId = (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', 'mieszkaniec@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
      const p7m = await cmsSign(personal, Buffer.from('Wniosek o zaświadczenie\n'), {
        detached: false,
        chain: [authorization],
        signingTime: new Date(Date.now() - 60_000),
        crls: [revocation.crl()],
      });
      await app.services.createWebhookEndpoint({
        actor: { accountId: residentId },
        officeId: 'umczestochowa',
        url: 'https://ezd.example.gov.pl/hooks/esp',
        events: ['document.received'],
      });
      const filed = await app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: { type: 'account', ref: residentId, name: 'Jan Kowalski' },
        files: [{ field: 'document', name: 'wniosek.txt.p7m', staged: await app.deps.blobs.stage(p7m) }],
        title: 'Wniosek podpisany podpisem osobistym',
      });

      const clerk = new WebClient(app.http);
      assert.equal((await clerk.logIn('urzednik@example.pl', PASSWORD)).statusCode, 303);
      const page = await clerk.get(`/urzad/umczestochowa/dokumenty/${filed.documentId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="signature-status">ważny</);
      assert.match(page.body, /Plik wniosek\.txt\.p7m: podpis CAdES/);
      assert.match(page.body, /podpis osobisty/);
      assert.match(page.body, /Jan Kowalski/);
      assert.match(page.body, /zgodny z PESEL konta nadawcy/);
      assert.match(page.body, /nieunieważniony \(sprawdzono: CRL/);

      const pull = (
        await app.services.createIntegrationToken({ officeId: 'umczestochowa', scope: 'pull', name: 'EZD' })
      ).token;
      const next = await app.http.inject({
        url: '/api/v1/boxes/umczestochowa/skrytka/pending/next',
        method: 'POST',
        headers: { authorization: `Bearer ${pull}` },
      });
      assert.equal(next.statusCode, 200, next.body);
      const document = next.json() as {
        documentId: string;
        signature: {
          status: string;
          report: {
            category: string;
            peselMatch: boolean;
            person: { familyName: string };
            revocation: { status: string };
          }[];
        };
      };
      assert.equal(document.documentId, filed.documentId);
      assert.equal(document.signature.status, 'valid');
      assert.equal(document.signature.report[0]?.category, 'personal');
      assert.equal(document.signature.report[0]?.peselMatch, true);
      assert.equal(document.signature.report[0]?.person.familyName, 'Kowalski');
      assert.equal(document.signature.report[0]?.revocation.status, 'good');

      const delivery = await app.database.db
        .selectFrom('webhook_deliveries')
        .select('body')
        .where('event_type', '=', 'document.received')
        .executeTakeFirstOrThrow();
      const body = JSON.parse(delivery.body) as { data: Record<string, unknown> };
      assert.equal(body.data.documentId, filed.documentId);
      assert.equal(body.data.signatureStatus, 'valid');
      assert.equal(body.data.signatureCategories, 'personal');
      assert.equal(body.data.signaturePeselMatch, 'match');
    });

    test('a certificate revoked before the signing time: invalid, with the revocation shown to the clerk', async () => {
      const revoked = await issue(authorization, {
        subject: `C=PL, 2.5.4.42=Jan, 2.5.4.4=Kowalski, 2.5.4.5=PNOPL-${DEMO_RESIDENT_PESEL}, CN=Jan Kowalski`,
      });
      revocation.record(revoked, new Date(Date.now() - 24 * 3600_000));
      const p7m = await cmsSign(revoked, Buffer.from('Wniosek\n'), {
        detached: false,
        chain: [authorization],
        signingTime: new Date(Date.now() - 60_000),
        ocspResponses: [revocation.ocspResponse(revoked)],
      });
      const filed = await app.services.submitDocument({
        officeId: 'umczestochowa',
        boxName: 'skrytka',
        sender: {
          type: 'account',
          ref: (
            await app.database.db
              .selectFrom('accounts')
              .select('id')
              .where('email', '=', 'mieszkaniec@example.pl')
              .executeTakeFirstOrThrow()
          ).id,
          name: 'Jan Kowalski',
        },
        files: [{ field: 'document', name: 'wniosek.txt.p7m', staged: await app.deps.blobs.stage(p7m) }],
        title: 'Wniosek z unieważnionym certyfikatem',
      });
      const clerk = new WebClient(app.http);
      assert.equal((await clerk.logIn('urzednik@example.pl', PASSWORD)).statusCode, 303);
      const page = await clerk.get(`/urzad/umczestochowa/dokumenty/${filed.documentId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="signature-status">nieważny</);
      assert.match(page.body, /UNIEWAŻNIONY .*\(OCSP\)/);
      assert.match(page.body, /unieważniono .*przed chwilą podpisu/);
    });

    test('a signature time-stamp: its time and authority shown to the clerk and carried in the pull metadata', async () => {
      const tsa = opensslTsa(
        await issue(root, {
          subject: 'C=PL, O=Test MSWiA, CN=Test TSA',
          extensions: [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.8'], true)],
        }),
      );
      try {
        const cms = await cmsSign(personal, Buffer.from('Wniosek\n'), {
          detached: false,
          chain: [authorization],
          signingTime: new Date(Date.now() - 60_000),
        });
        const token = tsa.token(cmsSignatureValue(cms));
        const filed = await app.services.submitDocument({
          officeId: 'umczestochowa',
          boxName: 'skrytka',
          sender: {
            type: 'account',
            ref: (
              await app.database.db
                .selectFrom('accounts')
                .select('id')
                .where('email', '=', 'mieszkaniec@example.pl')
                .executeTakeFirstOrThrow()
            ).id,
            name: 'Jan Kowalski',
          },
          files: [
            {
              field: 'document',
              name: 'wniosek.txt.p7m',
              staged: await app.deps.blobs.stage(withSignatureTimestamp(cms, token)),
            },
          ],
          title: 'Wniosek ze znacznikiem czasu',
        });
        const clerk = new WebClient(app.http);
        assert.equal((await clerk.logIn('urzednik@example.pl', PASSWORD)).statusCode, 303);
        const page = await clerk.get(`/urzad/umczestochowa/dokumenty/${filed.documentId}`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /id="signature-status">ważny</);
        assert.match(page.body, /Znacznik czasu podpisu/);
        assert.match(page.body, /\(znacznik czasu: C=PL, O=Test MSWiA, CN=Test TSA\)/);

        // What the pull API and the SOAP pull carry: the stored report.
        const stored = await app.database.db
          .selectFrom('documents')
          .select('signature_report')
          .where('id', '=', filed.documentId)
          .executeTakeFirstOrThrow();
        const report = JSON.parse(stored.signature_report ?? '[]') as {
          timestamp?: { status: string; time: string };
        }[];
        assert.equal(report[0]?.timestamp?.status, 'valid');
        assert.equal(report[0]?.timestamp?.time, tsa.printedTime(token).toISOString());
      } finally {
        tsa.cleanup();
      }
    });
  });
}
