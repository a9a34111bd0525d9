import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AppError } from '../../src/domain/errors';
import { ManualClock } from '../../src/ports/clock';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

for (const dialect of testDialects()) {
  describe(`integration token lifecycle (${dialect})`, () => {
    let app: TestApp;
    const clock = new ManualClock('2026-03-01T08:00:00.000Z');
    before(async () => {
      app = await startTestApp(dialect, { demo: true, clock });
    });
    after(() => app.dispose());

    test('a token works until its expiry and is refused from that instant; an expiry in the past is refused', async () => {
      const expiresAt = new Date('2026-03-01T09:00:00.000Z');
      const { id, token } = await app.services.createIntegrationToken({
        officeId: 'umczestochowa',
        scope: 'pull',
        name: 'Na godzinę',
        expiresAt,
      });
      const listed = (await app.services.listIntegrationTokens('umczestochowa')).find((t) => t.id === id);
      assert.equal(listed?.expiresAt, expiresAt.toISOString());
      assert.equal(listed?.lastUsedAt, null);

      assert.equal((await app.services.authenticateToken(`Bearer ${token}`)).tokenId, id);
      const used = (await app.services.listIntegrationTokens('umczestochowa')).find((t) => t.id === id);
      assert.equal(used?.lastUsedAt, '2026-03-01T08:00:00.000Z');

      clock.set('2026-03-01T08:59:59.999Z');
      await app.services.authenticateToken(`Bearer ${token}`);
      clock.set(expiresAt);
      await assert.rejects(app.services.authenticateToken(`Bearer ${token}`), /unauthorized/);

      await assert.rejects(
        app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'pull',
          name: 'Przeszły',
          expiresAt: new Date('2026-03-01T08:00:00.000Z'),
        }),
        /bad_request/,
      );
    });

    test('an expiry day runs to the next Warsaw midnight; impossible days and every bad field are named at once', async () => {
      clock.set('2026-03-01T08:00:00.000Z');
      const summer = await app.services.createIntegrationToken({
        officeId: 'umczestochowa',
        scope: 'submit',
        name: 'Do końca dnia',
        expiresOn: '2026-07-31',
      });
      const winter = await app.services.createIntegrationToken({
        officeId: 'umczestochowa',
        scope: 'submit',
        name: 'Do końca dnia zimą',
        expiresOn: '2026-03-01',
      });
      const listed = await app.services.listIntegrationTokens('umczestochowa');
      assert.equal(listed.find((t) => t.id === summer.id)?.expiresAt, '2026-07-31T22:00:00.000Z');
      assert.equal(listed.find((t) => t.id === winter.id)?.expiresAt, '2026-03-01T23:00:00.000Z');

      for (const expiresOn of ['2026-02-29', '2026-13-01', '31.07.2026', '1900-01-01', '2026-07-31T00:00'])
        await assert.rejects(
          app.services.createIntegrationToken({
            officeId: 'umczestochowa',
            scope: 'pull',
            name: 'X',
            expiresOn,
          }),
          (error: AppError) => {
            assert.deepEqual(
              error.fieldErrors,
              [{ field: 'expires', key: 'tokens.error.expiryFormat' }],
              expiresOn,
            );
            return true;
          },
        );
      await assert.rejects(
        app.services.createIntegrationToken({
          officeId: 'umczestochowa',
          scope: 'all',
          name: ' ',
          expiresOn: '2026-02-28',
        }),
        (error: AppError) => {
          assert.equal(error.code, 'bad_scope');
          assert.deepEqual(
            error.fieldErrors.map((f) => f.field),
            ['scope', 'name', 'expires'],
          );
          return true;
        },
      );
    });

    test('revoking by id is scoped to the office when one is given, and happens once', async () => {
      const { id } = await app.services.createIntegrationToken({
        officeId: 'umczestochowa',
        scope: 'admin',
        name: 'EZD',
      });
      assert.equal(await app.services.revokeIntegrationToken(id, { officeId: 'umkrakow' }), false);
      assert.equal(await app.services.revokeIntegrationToken(id, { officeId: 'umczestochowa' }), true);
      assert.equal(await app.services.revokeIntegrationToken(id), false);
      const listed = (await app.services.listIntegrationTokens('umczestochowa')).find((t) => t.id === id);
      assert.ok(listed?.revokedAt);
    });
  });
}
