import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyReceipt } from '../../src/domain/receipts/verify-receipt';
import { SIMULATOR_PEOPLE } from '../../src/adapters/login-gov-pl/simulator';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { xmlsecVerifies } from '../helpers/receipts';
import { pdf } from '../helpers/sample-files';

for (const dialect of testDialects()) {
  describe(`a filing after a login through login.gov.pl (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true, env: { LOGIN_GOV_PL_METADATA: 'simulator' } });
    });
    after(async () => app?.dispose());

    async function nationalLogin(person = SIMULATOR_PEOPLE[1]!) {
      const national = app.nationalLogin!;
      const start = national.node.startLogin('relay');
      const pending = national.simulator!.receiveAuthnRequest(start.fields.SAMLRequest!);
      const artifact = national.simulator!.issueArtifact(pending.id, person, { authority: 'pz.gov.pl' });
      const login = await national.node.completeLogin({ artifact, expectedRequestId: start.requestId });
      return app.services.logInNationally({ login });
    }

    test('the filing records the evidence and its UPP states how the sender was authenticated', async () => {
      const { token, accountId, created } = await nationalLogin();
      assert.equal(created, true);
      const evidence = await app.services.sessionAuthentication(token);
      assert.ok(evidence);
      const office = (await app.services.listOffices())[0]!;
      const box = (await app.services.getOffice(office.id)).boxes[0]!;
      const result = await app.services.submitDocument({
        officeId: office.id,
        boxName: box.name,
        sender: { type: 'account', ref: accountId, name: 'Anna Próbna' },
        files: [
          {
            field: 'document',
            name: 'pismo.txt',
            staged: await app.deps.blobs.stage(Buffer.from('Wniosek')),
          },
        ],
        authentication: evidence,
      });
      assert.deepEqual(await app.services.documentAuthentication(result.documentId), evidence);
      const { xml } = await app.database.db
        .selectFrom('receipts')
        .select('xml')
        .where('id', '=', result.receiptId)
        .executeTakeFirstOrThrow();
      assert.match(xml, /TypInformacjiUzupelniajacej="UwierzytelnienieNadawcy">login\.gov\.pl \(art\. 20a/u);
      assert.match(xml, /LoA=substantial; uwierzytelnil=pz\.gov\.pl/u);
      assert.ok(xml.includes(`asercja=${evidence.assertionId}`));
      const caPems = await app.deps.seals.trustedCaPems();
      const report = await verifyReceipt(Buffer.from(xml), { trustedCaPems: caPems });
      assert.equal(report.valid, true, JSON.stringify(report.reasons));
      assert.equal(xmlsecVerifies(xml, caPems[0]!).ok, true);
      // The PESEL is bound to the account, not written into the receipt.
      assert.equal(xml.includes(SIMULATOR_PEOPLE[1]!.pesel), false);
    });

    test('a filing without a national login has no such statement', async () => {
      const office = (await app.services.listOffices())[0]!;
      const box = (await app.services.getOffice(office.id)).boxes[0]!;
      const result = await app.services.submitDocument({
        officeId: office.id,
        boxName: box.name,
        sender: { type: 'token', ref: 'test', name: 'System' },
        files: [
          {
            field: 'document',
            name: 'pismo.txt',
            staged: await app.deps.blobs.stage(Buffer.from('Inne')),
          },
        ],
      });
      assert.equal(await app.services.documentAuthentication(result.documentId), undefined);
      const { xml } = await app.database.db
        .selectFrom('receipts')
        .select('xml')
        .where('id', '=', result.receiptId)
        .executeTakeFirstOrThrow();
      assert.equal(xml.includes('UwierzytelnienieNadawcy'), false);
    });

    test('an office delivers to the PESEL a national login bound', async () => {
      const { accountId } = await nationalLogin(SIMULATOR_PEOPLE[1]);
      const clerk = await app.database.db
        .selectFrom('accounts')
        .select(['id', 'display_name'])
        .where('email', '=', 'urzednik@example.pl')
        .executeTakeFirstOrThrow();
      const office = (await app.services.listOffices())[0]!;
      const sent = await app.services.deliverLetter({
        officeId: office.id,
        sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
        recipientPesel: SIMULATOR_PEOPLE[1]!.pesel,
        title: 'Odpowiedź',
        files: [
          { field: 'document', name: 'odpowiedz.pdf', staged: await app.deps.blobs.stage(await pdf('Odp.')) },
        ],
      });
      const row = await app.database.db
        .selectFrom('deliveries')
        .select('recipient_account_id')
        .where('id', '=', sent.deliveryId)
        .executeTakeFirstOrThrow();
      assert.equal(row.recipient_account_id, accountId);
    });

    test('the same PESEL logs into the same account; a new PESEL gets a new one', async () => {
      const first = await nationalLogin(SIMULATOR_PEOPLE[0]);
      const again = await nationalLogin(SIMULATOR_PEOPLE[0]);
      assert.equal(again.accountId, first.accountId);
      assert.equal(again.created, false);
      const other = await nationalLogin(SIMULATOR_PEOPLE[1]);
      assert.notEqual(other.accountId, first.accountId);
    });
  });
}
