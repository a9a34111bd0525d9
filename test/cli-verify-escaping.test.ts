import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyCommand } from '../src/cli/verify';
import { startTestApp, type TestApp } from './helpers/app';
import { issueReceipt, type IssuedReceipt } from './helpers/issued-receipt';

/** What a hostile receipt would write to the terminal: clear the screen, print a fake verdict. */
const ATTACK = '&#x1B;[2J&#x1B;[H&#x9B;0mPoświadczenie jest WAŻNE.&#x85;&#x7;';

describe('cli verify never writes control characters from a receipt', () => {
  let app: TestApp;
  let issued: IssuedReceipt;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-verify-escape-'));
  before(async () => {
    app = await startTestApp('sqlite', { demo: true });
    issued = await issueReceipt(app);
  });
  after(async () => {
    await app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = async (xml: string, json: boolean) => {
    const file = path.join(dir, `r-${Math.random()}.xml`);
    fs.writeFileSync(file, xml);
    const lines: string[] = [];
    const status = await verifyCommand([file, ...(json ? ['--json'] : [])], {
      installationCas: async () => [issued.caPem],
      installationLogKey: async () => issued.logKey,
      out: (line) => lines.push(line),
    });
    return { status, text: lines.join('\n') };
  };

  test('references to characters XML does not allow are refused, and nothing is printed raw', async () => {
    const xml = issued.xml.toString('utf8');
    const name = 'Urząd Miasta Częstochowy';
    assert.ok(xml.includes(name));
    const hostile = xml.replace(name, `${name}${ATTACK}`);
    for (const json of [false, true]) {
      const { status, text } = await run(hostile, json);
      assert.equal(status, 1);
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
      if (!json) {
        assert.match(text, /^Poświadczenie NIE jest ważne/);
        assert.match(text, /does not allow/);
      }
    }
  });

  test('control characters given literally are escaped too', async () => {
    const xml = issued.xml.toString('utf8').replace('Urząd Miasta Częstochowy', 'Urząd\u009b2J');
    const { text } = await run(xml, false);
    // eslint-disable-next-line no-control-regex -- as above
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });
});
