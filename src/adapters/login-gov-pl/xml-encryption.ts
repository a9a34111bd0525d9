import crypto from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { NS, XmlShapeError, onlyChild, requiredAttr, text } from './xml';

const AES_GCM: Record<string, number> = {
  'http://www.w3.org/2009/xmlenc11#aes128-gcm': 16,
  'http://www.w3.org/2009/xmlenc11#aes192-gcm': 24,
  'http://www.w3.org/2009/xmlenc11#aes256-gcm': 32,
};
const KEY_WRAP: Record<string, number> = {
  'http://www.w3.org/2001/04/xmlenc#kw-aes128': 16,
  'http://www.w3.org/2001/04/xmlenc#kw-aes192': 24,
  'http://www.w3.org/2001/04/xmlenc#kw-aes256': 32,
};
const ECDH_ES = 'http://www.w3.org/2009/xmlenc11#ECDH-ES';
const CONCAT_KDF = 'http://www.w3.org/2009/xmlenc11#ConcatKDF';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const P256 = 'urn:oid:1.2.840.10045.3.1.7';
const WRAP_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

export class DecryptionError extends Error {}

/**
 * ConcatKDF (NIST SP 800-56A) with SHA-256. The national node and its known clients put
 * AlgorithmID, PartyUInfo and PartyVInfo into OtherInfo as the bytes their hex spells, the
 * 4-byte length prefix included, rather than the padded bit strings of XML Encryption 1.1;
 * we do the same, or no key would match.
 */
export function concatKdf(z: Buffer, otherInfoHex: string[], keyLength: number): Buffer {
  const otherInfo = Buffer.concat(otherInfoHex.map((h) => hexBytes(h)));
  const out: Buffer[] = [];
  for (let counter = 1; out.length * 32 < keyLength; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(crypto.createHash('sha256').update(c).update(z).update(otherInfo).digest());
  }
  return Buffer.concat(out).subarray(0, keyLength);
}

function hexBytes(h: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})*$/u.test(h)) throw new DecryptionError('ConcatKDF parameter is not hex');
  return Buffer.from(h, 'hex');
}

function p256PublicKey(point: Buffer): crypto.KeyObject {
  if (point.length !== 65 || point[0] !== 4)
    throw new DecryptionError('originator key is not an uncompressed P-256 point');
  return crypto.createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
}

/** The party info the node writes: a 4-byte big-endian length, then the text. */
export function partyInfoHex(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]).toString('hex').toUpperCase();
}

/**
 * Decrypts an EncryptedData element (ECDH-ES on P-256, ConcatKDF SHA-256, AES key wrap,
 * AES-GCM with a 12-byte IV and 16-byte tag) with our private key; returns the plaintext XML.
 */
export function decryptEncryptedData(encryptedData: Element, privateKey: crypto.KeyObject): string {
  try {
    const method = requiredAttr(onlyChild(encryptedData, NS.xenc, 'EncryptionMethod'), 'Algorithm');
    const contentKeyLength = AES_GCM[method];
    if (contentKeyLength === undefined)
      throw new DecryptionError(`content encryption ${method} is not accepted`);
    const encryptedKey = onlyChild(onlyChild(encryptedData, NS.ds, 'KeyInfo'), NS.xenc, 'EncryptedKey');
    const wrapAlg = requiredAttr(onlyChild(encryptedKey, NS.xenc, 'EncryptionMethod'), 'Algorithm');
    const kekLength = KEY_WRAP[wrapAlg];
    if (kekLength === undefined) throw new DecryptionError(`key wrap ${wrapAlg} is not accepted`);
    const agreement = onlyChild(onlyChild(encryptedKey, NS.ds, 'KeyInfo'), NS.xenc, 'AgreementMethod');
    if (requiredAttr(agreement, 'Algorithm') !== ECDH_ES)
      throw new DecryptionError('key agreement is not ECDH-ES');
    const kdf = onlyChild(agreement, NS.xenc11, 'KeyDerivationMethod');
    if (requiredAttr(kdf, 'Algorithm') !== CONCAT_KDF)
      throw new DecryptionError('key derivation is not ConcatKDF');
    const params = onlyChild(kdf, NS.xenc11, 'ConcatKDFParams');
    if (requiredAttr(onlyChild(params, NS.ds, 'DigestMethod'), 'Algorithm') !== SHA256)
      throw new DecryptionError('ConcatKDF digest is not SHA-256');
    const ecKey = onlyChild(
      onlyChild(onlyChild(agreement, NS.xenc, 'OriginatorKeyInfo'), NS.ds, 'KeyValue'),
      NS.dsig11,
      'ECKeyValue',
    );
    if (requiredAttr(onlyChild(ecKey, NS.dsig11, 'NamedCurve'), 'URI') !== P256)
      throw new DecryptionError('originator key is not on P-256');
    const originator = p256PublicKey(Buffer.from(text(onlyChild(ecKey, NS.dsig11, 'PublicKey')), 'base64'));
    const z = crypto.diffieHellman({ privateKey, publicKey: originator });
    const kek = concatKdf(
      z,
      [
        params.getAttribute('AlgorithmID') ?? '',
        params.getAttribute('PartyUInfo') ?? '',
        params.getAttribute('PartyVInfo') ?? '',
      ],
      kekLength,
    );
    const wrapped = Buffer.from(
      text(onlyChild(onlyChild(encryptedKey, NS.xenc, 'CipherData'), NS.xenc, 'CipherValue')),
      'base64',
    );
    const unwrap = crypto.createDecipheriv(`id-aes${kekLength * 8}-wrap`, kek, WRAP_IV);
    const contentKey = Buffer.concat([unwrap.update(wrapped), unwrap.final()]);
    // The key size comes from the unwrapped key, and must agree with the declared algorithm.
    if (contentKey.length !== contentKeyLength)
      throw new DecryptionError('content key length does not match the algorithm');
    const data = Buffer.from(
      text(onlyChild(onlyChild(encryptedData, NS.xenc, 'CipherData'), NS.xenc, 'CipherValue')),
      'base64',
    );
    if (data.length < 12 + 16) throw new DecryptionError('cipher text is too short');
    const decipher = crypto.createDecipheriv(
      `aes-${contentKey.length * 8}-gcm` as crypto.CipherGCMTypes,
      contentKey,
      data.subarray(0, 12),
    );
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch (err) {
    if (err instanceof DecryptionError) throw err;
    if (err instanceof XmlShapeError) throw new DecryptionError(err.message);
    throw new DecryptionError(err instanceof Error ? err.message : 'decryption failed');
  }
}

/**
 * Encrypts XML for a recipient's P-256 key the way the node does; used by the simulator and by
 * tests that build synthetic responses.
 */
export function encryptForRecipient(
  plaintextXml: string,
  recipientPublicKey: crypto.KeyObject,
  party: { u: string; v: string },
): string {
  const eph = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const z = crypto.diffieHellman({ privateKey: eph.privateKey, publicKey: recipientPublicKey });
  const algorithmId = partyInfoHex('http://www.w3.org/2001/04/xmlenc#kw-aes256');
  const u = partyInfoHex(party.u);
  const v = partyInfoHex(party.v);
  const kek = concatKdf(z, [algorithmId, u, v], 32);
  const contentKey = crypto.randomBytes(32);
  const wrap = crypto.createCipheriv('id-aes256-wrap', kek, WRAP_IV);
  const wrapped = Buffer.concat([wrap.update(contentKey), wrap.final()]);
  const iv = crypto.randomBytes(12);
  const gcm = crypto.createCipheriv('aes-256-gcm', contentKey, iv);
  const ct = Buffer.concat([gcm.update(plaintextXml, 'utf8'), gcm.final()]);
  const cipher = Buffer.concat([iv, ct, gcm.getAuthTag()]).toString('base64');
  const jwk = eph.publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]).toString('base64');
  const id = () => `_${crypto.randomBytes(16).toString('hex')}`;
  return (
    `<xenc:EncryptedData xmlns:xenc="${NS.xenc}" xmlns:ds="${NS.ds}" xmlns:xenc11="${NS.xenc11}" xmlns:dsig11="${NS.dsig11}" Id="${id()}" Type="http://www.w3.org/2001/04/xmlenc#Element">` +
    `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"><ds:DigestMethod Algorithm="${SHA256}"/></xenc:EncryptionMethod>` +
    `<ds:KeyInfo><xenc:EncryptedKey Id="${id()}"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#kw-aes256"/>` +
    `<ds:KeyInfo><xenc:AgreementMethod Algorithm="${ECDH_ES}"><xenc11:KeyDerivationMethod Algorithm="${CONCAT_KDF}">` +
    `<xenc11:ConcatKDFParams AlgorithmID="${algorithmId}" PartyUInfo="${u}" PartyVInfo="${v}"><ds:DigestMethod Algorithm="${SHA256}"/></xenc11:ConcatKDFParams>` +
    `</xenc11:KeyDerivationMethod><xenc:OriginatorKeyInfo><ds:KeyValue><dsig11:ECKeyValue><dsig11:NamedCurve URI="${P256}"/>` +
    `<dsig11:PublicKey>${point}</dsig11:PublicKey></dsig11:ECKeyValue></ds:KeyValue></xenc:OriginatorKeyInfo></xenc:AgreementMethod></ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${wrapped.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${cipher}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>`
  );
}
