import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
