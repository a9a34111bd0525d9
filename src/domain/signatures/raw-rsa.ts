import { constants, publicDecrypt, type KeyObject } from 'node:crypto';

/** DER of the AlgorithmIdentifier OIDs of the digests a PKCS#1 v1.5 signature may name. */
const DIGEST_OIDS: Record<string, Buffer> = {
  sha1: Buffer.from('06052b0e03021a', 'hex'),
  sha256: Buffer.from('0609608648016503040201', 'hex'),
  sha384: Buffer.from('0609608648016503040202', 'hex'),
  sha512: Buffer.from('0609608648016503040203', 'hex'),
};

function der(tag: number, body: Buffer): Buffer {
  if (body.length > 127) throw new Error('DigestInfo too long');
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
}

/**
 * The two DigestInfo encodings found in the wild: with the NULL parameters RFC 8017 prescribes,
 * and without them (RFC 8017 §9.2 note 2 allows verifiers to accept it; the trusted-profile seal
 * produces it). Nothing else is accepted.
 */
export function digestInfos(hash: string, digest: Buffer): Buffer[] {
  const oid = DIGEST_OIDS[hash];
  if (!oid) return [];
  const octets = der(0x04, digest);
  return [
    der(0x30, Buffer.concat([der(0x30, Buffer.concat([oid, Buffer.from([0x05, 0x00])])), octets])),
    der(0x30, Buffer.concat([der(0x30, oid), octets])),
  ];
}

/**
 * Verifies an RSA PKCS#1 v1.5 signature by the raw RSA operation: EMSA-PKCS1-v1_5 block type 1,
 * at least eight 0xFF, then exactly one of the two DigestInfo encodings of `digest`.
 */
export function verifyRsaPkcs1(
  publicKey: KeyObject,
  hash: string,
  digest: Buffer,
  signature: Buffer,
): boolean {
  if (publicKey.asymmetricKeyType !== 'rsa') return false;
  const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (modulusBytes === 0 || signature.length !== modulusBytes) return false;
  let block: Buffer;
  try {
    block = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  return digestInfos(hash, digest).some((info) => {
    const padLength = block.length - info.length - 3;
    if (padLength < 8) return false;
    const expected = Buffer.concat([
      Buffer.from([0x00, 0x01]),
      Buffer.alloc(padLength, 0xff),
      Buffer.from([0x00]),
      info,
    ]);
    return expected.equals(block);
  });
}

/** Hash names of the XML-DSig and CMS RSA PKCS#1 v1.5 algorithms this check handles. */
export const RSA_PKCS1_XML: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};
export const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
