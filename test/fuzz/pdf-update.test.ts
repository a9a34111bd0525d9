/**
 * What follows a PAdES signature (`checkUpdateAfterSignature`): a valid PAdES-LT store damaged
 * byte by byte, or followed by arbitrary bytes, always gets a structured answer in bounded time,
 * never a crash; and the answer for the undamaged store is "only a store".
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { checkUpdateAfterSignature } from '../../src/domain/signatures/pdf-update';
import { changesAfterSigning, signedPdf, withDss } from '../helpers/pades-lt';
import { issue } from '../helpers/test-pki';
import { fuzzParameters, reportSlowest, timed } from './budget';
import { byteEdits, mutate } from './mutate';

let signed: Buffer;
let lt: Buffer;
before(async () => {
  const ca = await issue(undefined, { subject: 'CN=Test CA', ca: true });
  const key = await issue(ca, { subject: 'CN=Test signer' });
  const { pdf, cms } = await signedPdf(key);
  signed = Buffer.from(pdf, 'latin1');
  lt = Buffer.from(withDss(pdf, cms, { certificates: [ca.der], crls: [Buffer.from('not a CRL')] }), 'latin1');
  assert.equal(checkUpdateAfterSignature(lt, signed.length).ok, true);
  assert.equal(
    checkUpdateAfterSignature(Buffer.from(changesAfterSigning.annotation(pdf), 'latin1'), signed.length).ok,
    false,
  );
});
after(() => reportSlowest('PDF update after a signature'));

const structured = (answer: ReturnType<typeof checkUpdateAfterSignature>) =>
  answer.ok ? Array.isArray(answer.dss.crls) : typeof answer.change === 'string' && answer.change.length > 0;

test('a damaged document security store: a structured answer, in bounded time', async () => {
  await fc.assert(
    fc.asyncProperty(byteEdits(12), async (edits) => {
      const tail = mutate(lt.subarray(signed.length), edits);
      const pdf = Buffer.concat([signed, tail]);
      const { value } = await timed(() => checkUpdateAfterSignature(pdf, signed.length));
      assert.ok(structured(value), JSON.stringify(value));
    }),
    fuzzParameters(300),
  );
});

test('arbitrary bytes after the signature: a structured answer, in bounded time', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
      const pdf = Buffer.concat([signed, Buffer.from(bytes)]);
      const { value } = await timed(() => checkUpdateAfterSignature(pdf, signed.length));
      assert.ok(structured(value), JSON.stringify(value));
    }),
    fuzzParameters(300),
  );
});
