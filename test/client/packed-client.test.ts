import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { listenLocally, startTestApp, type TestApp } from '../helpers/app';
import { samplePdf } from '../helpers/sample-files';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGE_DIR = path.join(ROOT, 'clients/typescript');

/** What an integrator writes after `npm install` of the tarball: plain ESM JavaScript. */
const FILE_SCRIPT = `
import fs from 'node:fs';
import { UrzadClient, ApiError } from '@urzad-online/client';

const [baseUrl, token, pdfPath] = process.argv.slice(2);
const client = new UrzadClient({ baseUrl, token });
const filed = await client.fileDocument({
  officeId: 'umczestochowa',
  boxName: 'skrytka',
  document: { name: 'wniosek.pdf', data: fs.readFileSync(pdfPath), type: 'application/pdf' },
  title: 'Wniosek z pakietu',
  idempotencyKey: 'packed-client-1',
});
fs.writeFileSync('receipt.xml', await client.receipt(filed.receiptId));
let refused;
try {
  await new UrzadClient({ baseUrl, token: 'uo_not-a-real-token' }).pendingCount('umczestochowa', 'skrytka');
} catch (error) {
  refused = error instanceof ApiError ? { status: error.status, code: error.problem?.code } : String(error);
}
console.log(JSON.stringify({ filed, refused }));
`;

/** And in TypeScript: the declarations in the tarball must type-check a consumer. */
const TYPED_CONSUMER = `
import { UrzadClient, verifyWebhook, type FiledDocument } from '@urzad-online/client';

const client = new UrzadClient({ baseUrl: 'https://urzad.example.gov.pl', token: 'uo_x', lang: 'en' });
export async function file(data: Uint8Array): Promise<[FiledDocument, Uint8Array]> {
  const filed = await client.fileDocument({ officeId: 'o', boxName: 'b', document: { name: 'a.pdf', data } });
  return [filed, await client.receipt(filed.receiptId, 'pdf')];
}
export const check = verifyWebhook('whsec_MDEyMzQ1Njc4OWFiY2RlZg==', {}, '{}').ok;
`;

describe('the packed TypeScript client, installed from its tarball', () => {
  let app: TestApp;
  let base = '';
  let token = '';
  let scratch = '';

  before(async () => {
    app = await startTestApp('sqlite', { demo: true, env: { JOBS_POLL_MS: '0' } });
    base = await listenLocally(app);
    token = (
      await app.services.createIntegrationToken({
        officeId: 'umczestochowa',
        scope: 'submit',
        name: 'Packed client',
      })
    ).token;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-packed-client-'));
  });
  after(async () => {
    await app?.dispose();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('npm pack builds a tarball that installs offline and files a letter, getting its receipt', async () => {
    // npm pack runs the package's prepack script: tsc builds dist/ from src/client.
    const packed = await run('npm', ['pack', '--json', '--pack-destination', scratch], {
      cwd: PACKAGE_DIR,
      maxBuffer: 10 * 1024 * 1024,
    });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    assert.ok(info);
    const files = info.files.map((f) => f.path).sort();
    assert.ok(files.includes('dist/client/index.js'), files.join(', '));
    assert.ok(files.includes('dist/client/index.d.ts'));
    assert.ok(files.includes('LICENSE'));
    assert.ok(
      files.every((f) => ['LICENSE', 'README.md', 'package.json'].includes(f) || f.startsWith('dist/')),
      `only compiled code, declarations and the licence: ${files.join(', ')}`,
    );
    const tarball = path.join(scratch, info.filename);
    assert.ok(fs.existsSync(tarball));

    const project = path.join(scratch, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    // No registry: the package has no dependencies, so it must install from the tarball alone.
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project });
    const installed = JSON.parse(
      fs.readFileSync(path.join(project, 'node_modules/@urzad-online/client/package.json'), 'utf8'),
    ) as { license: string; dependencies?: object };
    assert.equal(installed.license, 'EUPL-1.2');
    assert.equal(installed.dependencies, undefined);

    fs.writeFileSync(path.join(project, 'file.mjs'), FILE_SCRIPT);
    fs.writeFileSync(path.join(project, 'letter.pdf'), samplePdf('Wniosek z pakietu klienta'));
    const out = await run(process.execPath, ['file.mjs', base, token, 'letter.pdf'], { cwd: project });
    const result = JSON.parse(out.stdout) as {
      filed: { documentId: string; receiptId: string; receivedAt: string };
      refused: { status: number; code: string };
    };
    assert.match(result.filed.documentId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(result.refused, { status: 401, code: 'unauthorized' });

    const receipt = fs.readFileSync(path.join(project, 'receipt.xml'));
    const report = await app.services.checkReceipt(receipt);
    assert.equal(report.valid, true, JSON.stringify(report.reasons));
    assert.match(receipt.toString('utf8'), new RegExp(result.filed.receiptId));

    fs.writeFileSync(path.join(project, 'consumer.ts'), TYPED_CONSUMER);
    await run(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        path.join(ROOT, 'node_modules/@types'),
        'consumer.ts',
      ],
      { cwd: project },
    ).catch((error: { stdout?: string }) =>
      assert.fail(`the declarations do not type-check:\n${error.stdout}`),
    );
  });
});
