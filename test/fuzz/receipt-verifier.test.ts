/**
 * The receipt verifier on damaged genuine receipts (UPP, proof of sending, UPD). Whatever the
 * damage, `verifyReceipt` answers (it never throws) within a time bound. A damaged receipt it
 * still calls valid must be the same receipt in everything that is signed — the exclusive
 * canonical form of the document without the signature, of SignedInfo and of SignedProperties
 * are unchanged — the report must read the same, and xmlsec1, the independent reference, must
 * verify it too. So what may pass is only what canonicalisation erases (white space inside tags,
 * the spelling of the XML declaration, line breaks outside the root) or what no signature covers
 * (an attribute of SignatureValue); a changed character of content, a reordered, duplicated or
 * removed element, or a swapped signature value never passes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import { exclusiveC14n } from '../../src/domain/receipts/exclusive-c14n';
import {
  signReceipt,
  verifyReceipt,
  RECEIPT_KINDS,
  type ReceiptKind,
  type ReceiptReport,
} from '../../src/domain/receipts/index';
import { hasMessage } from '../../src/i18n/index';
import type { Seal } from '../../src/ports/seals';
import { receiptInput, temporarySeals, xmlsecVerifies, OFFICE } from '../helpers/receipts';
import { fuzzParameters, reportSlowest, timed } from './budget';

const keys = temporarySeals();
const foreignKeys = temporarySeals();
let seal: Seal;
const genuine = new Map<ReceiptKind, { xml: string; report: ReceiptReport; signed: string }>();
/** Base64 values of other genuine receipts: same key (another receipt id) and another key. */
const alienValues: string[] = [];

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const XADES = 'http://uri.etsi.org/01903/v1.3.2#';

/**
 * What the signature covers, in exclusive canonical form: the document without the signature
 * (the enveloped-signature transform), SignedInfo and SignedProperties. Nothing else of the
 * file is signed (the Id of SignatureValue, for one, is not).
 */
const signedPartsOf = (file: string): string | undefined => {
  // A UTF-8 byte order mark is not part of the document.
  const xml = file.replace(/^\uFEFF/, '');
  try {
    let failed = false;
    const doc = new DOMParser({ onError: (level) => (failed ||= level !== 'warning') }).parseFromString(
      xml,
      'text/xml',
    );
    const root = doc.documentElement;
    const signedInfo = doc.getElementsByTagNameNS(DS, 'SignedInfo')[0];
    const signedProperties = doc.getElementsByTagNameNS(XADES, 'SignedProperties')[0];
    if (failed || !root || !signedInfo || !signedProperties) return undefined;
    const document = root.cloneNode(true) as Element;
    for (const signature of Array.from(document.childNodes)) {
      if (signature.nodeType === 1 && (signature as Element).namespaceURI === DS)
        document.removeChild(signature);
    }
    return [document, signedInfo, signedProperties].map((el) => exclusiveC14n(el as Element)).join('\n');
  } catch {
    return undefined;
  }
};

/** The whole document in exclusive canonical form: equal when only canonicalisation tells them apart. */
const canonicalOf = (xml: string): string | undefined => {
  try {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
    return doc.documentElement ? exclusiveC14n(doc.documentElement) : undefined;
  } catch {
    return undefined;
  }
};

const BASE64_ELEMENTS = /<(ds:SignatureValue|ds:DigestValue|ds:X509Certificate)([^>]*)>([^<]*)</g;
const base64Values = (xml: string) => [...xml.matchAll(BASE64_ELEMENTS)].map((m) => m[3]!);

before(async () => {
  seal = await keys.seals.forOffice(OFFICE.id, OFFICE.name);
  for (const kind of RECEIPT_KINDS) {
    const xml = signReceipt(receiptInput(kind), seal);
    const report = await verify(xml);
    assert.equal(report.valid, true, `the genuine ${kind} verifies`);
    genuine.set(kind, { xml, report, signed: signedPartsOf(xml)! });
  }
  const foreign = await foreignKeys.seals.forOffice(OFFICE.id, OFFICE.name);
  alienValues.push(...base64Values(signReceipt(receiptInput('UPP', { receiptId: 'UPP-2026-000043' }), seal)));
  alienValues.push(...base64Values(signReceipt(receiptInput('UPP'), foreign)));
});
after(() => {
  keys.cleanup();
  foreignKeys.cleanup();
  reportSlowest('receipt verifier');
  console.log(`# receipt verifier: ${xmlsecRuns} damaged receipts still valid, each confirmed by xmlsec1`);
});

async function verify(xml: string | Buffer): Promise<ReceiptReport> {
  const { value } = await timed(() =>
    verifyReceipt(Buffer.isBuffer(xml) ? xml : Buffer.from(xml), { trustedCaPems: [seal.caPem] }),
  );
  for (const reason of value.reasons) assert.ok(hasMessage(reason.key), reason.key);
  assert.equal(value.valid, value.reasons.length === 0 && value.chainTrusted);
  return value;
}

let xmlsecRuns = 0;

/** A damaged receipt that still verifies must be, in everything the signature covers and the report says, the genuine one. */
async function assertValidOnlyIfUnchanged(
  kind: ReceiptKind,
  damaged: string | Buffer,
): Promise<ReceiptReport> {
  const report = await verify(damaged);
  if (!report.valid) return report;
  const original = genuine.get(kind)!;
  const text = Buffer.isBuffer(damaged) ? damaged.toString('utf8') : damaged;
  assert.equal(signedPartsOf(text), original.signed, 'accepted although a signed part changed');
  assert.deepEqual(
    { ...report, entryHash: '' },
    { ...original.report, entryHash: '' },
    'accepted, but reads differently',
  );
  xmlsecRuns++;
  const reference = xmlsecVerifies(damaged, seal.caPem);
  assert.ok(reference.ok, `accepted, but xmlsec1 refuses it: ${reference.output.slice(0, 300)}`);
  return report;
}

const kinds = fc.constantFrom(...RECEIPT_KINDS);
/** Bytes that matter to XML: markup, quotes, white space, and ordinary letters and digits. */
const interesting = fc.constantFrom(
  ...' \t\n\r"\'<>&=/:;#?!-_.0179aAzZ\u0000\u00a0'.split(''),
  'ą',
  '\uFEFF',
  '\u200b',
);

test('one character replaced, inserted or deleted anywhere (the prolog included): never throws; valid only if nothing signed changed', async () => {
  await fc.assert(
    fc.asyncProperty(
      kinds,
      fc.oneof(fc.nat({ max: 60 }), fc.nat()),
      fc.constantFrom('replace', 'insert', 'delete'),
      fc.oneof(interesting, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      async (kind, at, edit, char) => {
        const xml = genuine.get(kind)!.xml;
        const i = at % xml.length;
        const damaged =
          edit === 'delete'
            ? xml.slice(0, i) + xml.slice(i + 1)
            : xml.slice(0, i) + char + xml.slice(edit === 'replace' ? i + 1 : i);
        fc.pre(damaged !== xml);
        await assertValidOnlyIfUnchanged(kind, damaged);
      },
    ),
    fuzzParameters(250),
  );
});

test('one byte of the file changed (invalid UTF-8 included): never throws; valid only if nothing signed changed', async () => {
  await fc.assert(
    fc.asyncProperty(kinds, fc.nat(), fc.integer({ min: 0, max: 255 }), async (kind, at, value) => {
      const bytes = Buffer.from(genuine.get(kind)!.xml);
      const i = at % bytes.length;
      fc.pre(bytes[i] !== value);
      bytes[i] = value;
      await assertValidOnlyIfUnchanged(kind, bytes);
    }),
    fuzzParameters(150),
  );
});

function allElements(root: Element): Element[] {
  const out: Element[] = [];
  const visit = (el: Element) => {
    out.push(el);
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) visit(n as Element);
  };
  visit(root);
  return out;
}

test('an element duplicated, removed, moved, swapped with a sibling or wrapped: never valid', async () => {
  await fc.assert(
    fc.asyncProperty(
      kinds,
      fc.nat(),
      fc.nat(),
      fc.constantFrom('duplicate', 'remove', 'to-end', 'swap', 'wrap', 'into-sibling'),
      async (kind, pick, pick2, operation) => {
        const original = genuine.get(kind)!;
        const doc: Document = new DOMParser().parseFromString(original.xml, 'text/xml');
        const elements = allElements(doc.documentElement!).slice(1); // the root stays
        const el = elements[pick % elements.length]!;
        const parent = el.parentNode!;
        const siblings = elements.filter((e) => e.parentNode === parent && e !== el);
        const other = siblings[pick2 % Math.max(1, siblings.length)];
        switch (operation) {
          case 'duplicate':
            parent.insertBefore(el.cloneNode(true), el.nextSibling);
            break;
          case 'remove':
            parent.removeChild(el);
            break;
          case 'to-end':
            parent.appendChild(el);
            break;
          case 'swap': {
            if (!other) return;
            const marker = doc.createTextNode('');
            parent.replaceChild(marker, el);
            parent.replaceChild(el, other);
            parent.replaceChild(other, marker);
            break;
          }
          case 'wrap': {
            const wrapper = doc.createElementNS(el.namespaceURI, el.nodeName);
            parent.replaceChild(wrapper, el);
            wrapper.appendChild(el);
            break;
          }
          case 'into-sibling':
            if (!other) return;
            other.appendChild(el);
            break;
        }
        const damaged = new XMLSerializer().serializeToString(doc);
        fc.pre(canonicalOf(damaged) !== canonicalOf(original.xml));
        const report = await verify(damaged);
        assert.equal(report.valid, false, `${operation} of ${el.nodeName} accepted`);
      },
    ),
    fuzzParameters(200),
  );
});

test('signature values swapped with each other or taken from another receipt: never valid', async () => {
  await fc.assert(
    fc.asyncProperty(kinds, fc.nat(), fc.nat(), fc.boolean(), async (kind, a, b, fromElsewhere) => {
      const xml = genuine.get(kind)!.xml;
      const slots = [...xml.matchAll(BASE64_ELEMENTS)];
      const first = slots[a % slots.length]!;
      const replacement = fromElsewhere ? alienValues[b % alienValues.length]! : slots[b % slots.length]![3]!;
      const second = fromElsewhere ? undefined : slots[b % slots.length]!;
      fc.pre(replacement !== first[3]);
      let damaged =
        xml.slice(0, first.index! + first[0].length - first[3]!.length - 1) +
        replacement +
        xml.slice(first.index! + first[0].length - 1);
      if (second) {
        // The swap's other half: the second slot gets the first value (offsets shift after the first edit).
        const shift = second.index! > first.index! ? replacement.length - first[3]!.length : 0;
        const start = second.index! + shift + second[0].length - second[3]!.length - 1;
        damaged = damaged.slice(0, start) + first[3]! + damaged.slice(start + second[3]!.length);
      }
      const report = await verify(damaged);
      assert.equal(report.valid, false, 'accepted with a swapped signature value');
    }),
    fuzzParameters(150),
  );
});

test('the signer certificate damaged byte by byte: never throws, never valid', async () => {
  await fc.assert(
    fc.asyncProperty(
      kinds,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
      async (kind, edits) => {
        const xml = genuine.get(kind)!.xml;
        const certificate = /<ds:X509Certificate>([^<]+)</.exec(xml)![1]!;
        const der = Buffer.from(certificate, 'base64');
        for (const [at, value] of edits) der[at % der.length] = value;
        fc.pre(der.toString('base64') !== certificate);
        const report = await verify(xml.replace(certificate, der.toString('base64')));
        assert.equal(report.valid, false);
      },
    ),
    fuzzParameters(150),
  );
});

test('arbitrary bytes and XML-looking text: never throws, never valid', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
        fc.string({ unit: 'binary', maxLength: 500 }).map((s) => Buffer.from(s)),
        fc.tuple(kinds, fc.nat(), fc.nat()).map(([kind, a, b]) => {
          // A slice of a genuine receipt: cut anywhere.
          const xml = genuine.get(kind)!.xml;
          return Buffer.from(xml.slice(Math.min(a, b) % xml.length, Math.max(a, b) % xml.length));
        }),
      ),
      async (bytes) => {
        const report = await verify(bytes);
        assert.equal(report.valid, false);
      },
    ),
    fuzzParameters(300),
  );
});
