import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { upsertOffice } from '../../src/services/offices';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

/**
 * Pages read offices through a per-process cache (src/services/offices.ts): a change made
 * through the services is on the next page, not after the cache's lifetime.
 */
for (const dialect of testDialects()) {
  describe(`page caches (${dialect})`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
    });
    after(async () => app.dispose());

    test('an office renamed: its ESP page and its box show the new name at once', async () => {
      const clerk = new WebClient(app.http);
      await clerk.logIn('urzednik@example.pl', 'demo-password-123');
      const pages = async () => [
        (await app.http.inject({ url: '/esp/umczestochowa' })).body,
        (await clerk.get('/urzad/umczestochowa/skrzynka')).body,
      ];
      // Both pages read the office once, so it is in the cache.
      for (const body of await pages()) assert.match(body, /Urząd Miasta Częstochowy/);

      const office = await app.services.getOffice('umczestochowa');
      await upsertOffice(app.deps, {
        id: office.id,
        name: 'Urząd Miasta Częstochowy & <Okolic>',
        shortCode: office.shortCode,
        address: office.address,
        boxes: office.boxes.map(({ name, title }) => ({ name, title })),
      });
      for (const body of await pages()) {
        assert.match(body, /Urząd Miasta Częstochowy &amp; &lt;Okolic>/);
        assert.doesNotMatch(body, /<Okolic>/);
      }
    });
  });
}
