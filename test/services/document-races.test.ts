import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/domain/errors';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

const OFFICE = 'umczestochowa';
const ROUNDS = 5;

// Two clerks act on one document at the same moment: each change of state is one conditional
// update inside its transaction, so exactly one of two identical changes wins, the other gets
// 409 with the reason, and a closed document is never reopened by an assignment.
for (const dialect of testDialects()) {
  describe(`document state changes by two clerks at once (${dialect})`, () => {
    let app: TestApp;
    let clerks: string[];
    let filer: string;
    let departmentId: string;

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      const clerkRows = await app.database.db
        .selectFrom('accounts')
        .select('id')
        .where('email', 'in', ['urzednik@example.pl', 'mieszkaniec@example.pl'])
        .orderBy('email')
        .execute();
      clerks = clerkRows.map((r) => r.id);
      assert.equal(clerks.length, 2);
      // The letter comes from a third account: nobody acts on a letter he filed himself.
      filer = (
        await app.database.db
          .selectFrom('accounts')
          .select('id')
          .where('email', '=', 'punkt@example.pl')
          .executeTakeFirstOrThrow()
      ).id;
      departmentId = (await app.services.listDepartments(OFFICE))[0]!.id;
    });
    after(() => app.dispose());

    const newDocument = async () =>
      (
        await app.services.submitDocument({
          officeId: OFFICE,
          boxName: 'skrytka',
          sender: { type: 'account', ref: filer, name: 'Jan Kowalski' },
          files: [
            { field: 'document', name: 'wniosek.txt', staged: await app.deps.blobs.stage(Buffer.from('x')) },
          ],
          title: 'Wniosek',
        })
      ).documentId;
    const actions = async (documentId: string, action: string) =>
      (
        await app.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('subject', '=', documentId)
          .where('action', '=', action)
          .execute()
      ).length;
    const statusOf = async (documentId: string) =>
      (
        await app.database.db
          .selectFrom('documents')
          .select(['status', 'closed_at'])
          .where('id', '=', documentId)
          .executeTakeFirstOrThrow()
      ).status;
    /** Runs both at once; returns the fulfilled values and the conflict keys. */
    const race = async (a: () => Promise<unknown>, b: () => Promise<unknown>) => {
      const results = await Promise.allSettled([a(), b()]);
      const won = results.filter((r) => r.status === 'fulfilled').length;
      const lost = results.flatMap((r) => {
        if (r.status === 'fulfilled') return [];
        assert.ok(r.reason instanceof AppError && r.reason.status === 409, String(r.reason));
        return [r.reason.key];
      });
      return { won, lost };
    };
    const register = (documentId: string, actorId: string) => () =>
      app.services.registerDocument({ officeId: OFFICE, documentId, actorId });
    const close = (documentId: string, actorId: string) => () =>
      app.services.closeDocument({ officeId: OFFICE, documentId, actorId });
    const assign = (documentId: string, actorId: string) => () =>
      app.services.assignDocument({ officeId: OFFICE, documentId, actorId, departmentId, assigneeId: '' });

    test('register: one number, one winner', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const id = await newDocument();
        const { won, lost } = await race(register(id, clerks[0]!), register(id, clerks[1]!));
        assert.equal(won, 1);
        assert.deepEqual(lost, ['box.error.alreadyRegistered']);
        assert.equal(await actions(id, 'document.registered'), 1);
      }
    });

    test('close: one winner, the other told the document is closed', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const id = await newDocument();
        await register(id, clerks[0]!)();
        const { won, lost } = await race(close(id, clerks[0]!), close(id, clerks[1]!));
        assert.equal(won, 1);
        assert.deepEqual(lost, ['box.error.closed']);
        assert.equal(await actions(id, 'document.closed'), 1);
        assert.equal(await statusOf(id), 'closed');
      }
    });

    test('assign against close: the document ends closed, never reopened', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const id = await newDocument();
        await register(id, clerks[0]!)();
        const { won, lost } = await race(assign(id, clerks[0]!), close(id, clerks[1]!));
        assert.equal(await statusOf(id), 'closed');
        assert.equal(await actions(id, 'document.closed'), 1);
        // Either the assignment came first and both won, or the close did and the assignment was refused.
        assert.equal(won + lost.length, 2);
        assert.deepEqual(lost, won === 2 ? [] : ['box.error.closed']);
      }
    });

    test('a change before registration is refused as such', async () => {
      const id = await newDocument();
      const { won, lost } = await race(close(id, clerks[0]!), assign(id, clerks[1]!));
      assert.equal(won, 0);
      assert.deepEqual(lost, ['box.error.notRegistered', 'box.error.notRegistered']);
      assert.equal(await statusOf(id), 'received');
    });
  });
}
