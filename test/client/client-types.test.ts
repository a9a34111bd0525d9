import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../../scripts/client-types';
import { WEBHOOK_EVENTS } from '../../src/domain/webhooks/events';

/**
 * The client's types are generated from docs/openapi.json (itself generated from the API's zod
 * schemas and checked by test/http/openapi.test.ts): the file in the tree is what the generator
 * makes of the document now.
 */
describe('the client types (src/client/api-types.ts)', () => {
  test('are what openapi-typescript makes of docs/openapi.json (npm run openapi writes them)', async () => {
    const doc = JSON.parse(fs.readFileSync('docs/openapi.json', 'utf8')) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const written = fs.readFileSync(CLIENT_TYPES_FILE, 'utf8');
    assert.equal(
      written,
      await renderClientTypes(doc, CLIENT_TYPES_FILE),
      'out of date: run npm run openapi',
    );
    // A change of a schema changes the types: the comparison above can fail.
    const changed = structuredClone(doc);
    changed.components.schemas.Filed!.properties!.documentNumber = { type: 'string' };
    assert.notEqual(await renderClientTypes(changed, CLIENT_TYPES_FILE), written);
  });

  test('name every webhook event, with its payload', () => {
    const written = fs.readFileSync(CLIENT_TYPES_FILE, 'utf8');
    const section = written.slice(written.indexOf('export interface webhooks'));
    for (const event of WEBHOOK_EVENTS)
      assert.match(section, new RegExp(`'${event.replace('.', '\\.')}': \\{`));
  });
});
