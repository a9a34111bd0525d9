import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Seal } from '../../ports/seals';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END \1-----/g;

/** The PEM blocks of a text, each with its label ("CERTIFICATE", "PRIVATE KEY", ...). */
export function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({
    label: m[1] ?? '',
    pem: `${m[0].replace(/\r\n/g, '\n')}\n`,
  }));
}

/**
 * A seal from its private key and chain (seal certificate first, then its issuers). Refuses a
 * chain whose first certificate does not belong to the key, so a wrong file fails at start.
 */
export function sealFromPem(keyPem: string, chainText: string, source: string): Seal {
  const certificates = pemBlocks(chainText).filter((b) => b.label === 'CERTIFICATE');
  const first = certificates[0];
  const last = certificates[certificates.length - 1];
  if (!first || !last) throw new Error(`${source}: no certificate in the chain`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    throw new Error(
      `${source}: the private key cannot be read (PEM, unencrypted PKCS#8 or SEC1/PKCS#1 expected)`,
    );
  }
  const certificate = new X509Certificate(first.pem);
  const spki = (key: KeyObject) => key.export({ format: 'der', type: 'spki' });
  if (!spki(createPublicKey(privateKey)).equals(spki(certificate.publicKey))) {
    throw new Error(`${source}: the first certificate of the chain does not match the private key`);
  }
  return {
    privateKey,
    certificatePem: first.pem,
    chainPem: certificates.map((c) => c.pem).join(''),
    certificateDer: certificate.raw,
    caPem: last.pem,
  };
}
