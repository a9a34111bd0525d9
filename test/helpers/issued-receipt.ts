import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app';
import { signReceipt } from '../../src/domain/receipts/index';
import { ManualClock } from '../../src/ports/clock';
import type { Seals } from '../../src/ports/seals';
import { receiptInput, temporarySeals, OFFICE } from './receipts';
import { png, samplePdf } from './sample-files';

export interface IssuedReceipt {
  receiptId: string;
  xml: Buffer;
  files: { name: string; content: Buffer }[];
  /** The installation's CA certificate (what a resident trusts). */
  caPem: string;
  /** Log evidence as a resident fetches it: GET /api/v1/log/checkpoint, /key and /proof/inclusion. */
  checkpoint: string;
  logKey: string;
  proof: string;
}

/**
 * Files a document through the API (a real filing: validator, blob store, one transaction with
 * the receipt and its log entry), signs a checkpoint and fetches what a resident would keep.
 */
export async function issueReceipt(
  app: App,
  options: { title?: string; senderName?: string } = {},
): Promise<IssuedReceipt> {
  const { token } = await app.services.createIntegrationToken({
    officeId: 'umczestochowa',
    scope: 'submit',
    name: options.senderName ?? 'Kancelaria Nowak',
  });
  const files = [
    {
      field: 'document',
      name: 'wniosek.pdf',
      content: samplePdf(options.title ?? 'Wniosek o zaswiadczenie'),
    },
    { field: 'attachment', name: 'skan.png', content: png() },
  ];
  const form = new FormData();
  form.append('title', options.title ?? 'Wniosek o zaświadczenie');
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.content)]), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const filed = await app.http.inject({
    method: 'POST',
    url: '/api/v1/boxes/umczestochowa/skrytka/documents',
    headers: { authorization: `Bearer ${token}`, 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  });
  if (filed.statusCode !== 201) throw new Error(`filing failed: ${filed.statusCode} ${filed.body}`);
  const { receiptId } = filed.json<{ receiptId: string }>();
  const receipt = await app.http.inject({
    url: `/api/v1/receipts/${receiptId}`,
    headers: { authorization: `Bearer ${token}` },
  });
  const xml = receipt.rawPayload;
  const index = Number(
    /TypInformacjiUzupelniajacej="PozycjaWRejestrze">(\d+)</.exec(xml.toString('utf8'))?.[1],
  );
  await app.services.signCheckpointIfGrown();
  const checkpoint = (await app.http.inject({ url: '/api/v1/log/checkpoint' })).body;
  const size = Number(checkpoint.split('\n')[1]);
  const proof = (await app.http.inject({ url: `/api/v1/log/proof/inclusion?index=${index}&size=${size}` }))
    .body;
  const logKey = (await app.http.inject({ url: '/api/v1/log/key' })).body;
  const caPem = fs.readFileSync(path.join(app.deps.config.dataDir, 'keys', 'ca.cert.pem'), 'utf8');
  return {
    receiptId,
    xml,
    files: files.map(({ name, content }) => ({ name, content })),
    caPem,
    checkpoint,
    logKey,
    proof,
  };
}

export interface BadReceipt {
  name: string;
  xml: Buffer;
  /** What the report must say (English). */
  reason: RegExp;
  /** A CA to trust instead of the installation's (the expired seal's own CA, so only the date fails). */
  caPem?: string;
}

/**
 * The bad inputs of the issue, made from a real receipt and the installation's own seals (a seal
 * of another office, the platform seal: trusted certificates on the wrong receipt, row 4 of
 * docs/security.md). `cleanup` removes the foreign keys.
 */
export async function badReceipts(
  xml: Buffer,
  installationSeals: Seals,
): Promise<{ list: BadReceipt[]; cleanup(): void }> {
  const text = xml.toString('utf8');
  const foreign = temporarySeals();
  const expired = temporarySeals(new ManualClock('2020-01-01T00:00:00Z'));
  const foreignXml = signReceipt(receiptInput('UPP'), await foreign.seals.forOffice(OFFICE.id, OFFICE.name));
  const expiredSeal = await expired.seals.forOffice(OFFICE.id, OFFICE.name);
  const signatureValue = (x: string) => /<ds:SignatureValue[^>]*>([^<]+)</.exec(x)![1]!;
  const swap = (x: string, a: RegExp, b: RegExp) => {
    const first = a.exec(x)![0];
    const second = b.exec(x)![0];
    return x.replace(first, '\u0000').replace(second, first).replace('\u0000', second);
  };
  const list: BadReceipt[] = [
    {
      name: 'a changed digit',
      xml: Buffer.from(
        text.replace(
          /Rozmiar="(\d+)"/,
          (_m, n: string) => `Rozmiar="${n.slice(0, -1)}${(Number(n.at(-1)) + 1) % 10}"`,
        ),
      ),
      reason: /changed after signing/,
    },
    {
      name: 'a re-ordered element',
      xml: Buffer.from(
        swap(text, /<pos:Adresat>[\s\S]*?<\/pos:Adresat>/, /<pos:Nadawca>[\s\S]*?<\/pos:Nadawca>/),
      ),
      reason: /not built as expected/,
    },
    {
      name: 'an extra element',
      xml: Buffer.from(text.replace('</pos:UPP>', '<pos:Uwagi>dopisek</pos:Uwagi></pos:UPP>')),
      reason: /not built as expected: at \/Dokument\/UPP\/pos:Uwagi/,
    },
    {
      name: 'a signature from another key',
      xml: Buffer.from(text.replace(signatureValue(text), signatureValue(foreignXml))),
      reason: /signature of the receipt is invalid/,
    },
    {
      name: 'a foreign certificate',
      xml: Buffer.from(foreignXml),
      reason: /was not issued by a trusted certification authority/,
    },
    {
      name: 'an expired certificate',
      xml: Buffer.from(signReceipt(receiptInput('UPP'), expiredSeal)),
      reason: /was not valid at the signing time/,
      caPem: expiredSeal.caPem,
    },
    {
      name: 'a UPP naming one office sealed by another office of this installation',
      xml: Buffer.from(
        signReceipt(
          receiptInput('UPP'),
          await installationSeals.forOffice('ugdobrzyn', 'Urząd Gminy Dobrzyń'),
        ),
      ),
      reason:
        /The seal belongs to another office \(urzad-online:office:ugdobrzyn\) than the office the receipt names \(id umczestochowa\)/,
    },
    {
      name: 'a UPP sealed by the platform seal of this installation',
      xml: Buffer.from(signReceipt(receiptInput('UPP'), await installationSeals.platform())),
      reason: /The receipt carries the platform seal, not an office seal/,
    },
    {
      name: 'a truncated receipt',
      xml: xml.subarray(0, Math.floor(xml.length / 2)),
      reason: /not well-formed XML/,
    },
    {
      name: 'an XML bomb',
      xml: Buffer.from(
        text.replace(
          '<pos:Dokument',
          '<!DOCTYPE pos:Dokument [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><pos:Dokument',
        ),
      ),
      reason: /DOCTYPE declaration/,
    },
  ];
  return {
    list,
    cleanup() {
      foreign.cleanup();
      expired.cleanup();
    },
  };
}
