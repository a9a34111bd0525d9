import crypto from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml, type SignatureAlgorithm } from 'xml-crypto';
import { NS, XmlShapeError, childElements, requiredAttr } from './xml';

export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** ECDSA over P-256 as XML-DSig writes it: r and s side by side (IEEE P1363), not DER. */
class EcdsaSha256 {
  getSignature(signedInfo: crypto.BinaryLike, privateKey: crypto.KeyLike): string {
    return crypto
      .sign('sha256', Buffer.from(signedInfo as string), {
        key: privateKey as string,
        dsaEncoding: 'ieee-p1363',
      })
      .toString('base64');
  }
  verifySignature(material: string, key: crypto.KeyLike, signatureValue: string): boolean {
    return crypto.verify(
      'sha256',
      Buffer.from(material),
      { key: key as string, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signatureValue, 'base64'),
    );
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

function withEcdsa(sig: SignedXml): SignedXml {
  sig.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256 as unknown as new () => SignatureAlgorithm;
  return sig;
}

/**
 * Signs the root element (which must carry an ID and an Issuer) with an enveloped exc-c14n
 * ECDSA-SHA256 signature placed right after the Issuer, as SAML requires.
 */
export function signRoot(xml: string, key: { privateKeyPem: string; certificatePem: string }): string {
  const sig = withEcdsa(
    new SignedXml({
      privateKey: key.privateKeyPem,
      publicCert: key.certificatePem,
      canonicalizationAlgorithm: EXC_C14N,
      signatureAlgorithm: ECDSA_SHA256,
    }),
  );
  sig.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256 });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: "/*/*[local-name()='Issuer']", action: 'after' },
  });
  return sig.getSignedXml();
}

/**
 * Verifies the signature that is a direct child of `signed` against the pinned certificate only
 * (a certificate in KeyInfo is ignored), and checks that it covers exactly that element: one
 * reference, to its own ID, so a signature elsewhere in the document cannot vouch for it.
 */
export function verifyEnvelopedSignature(
  document: string,
  signed: Element,
  pinnedCertificatePem: string,
): boolean {
  const signatures = childElements(signed, NS.ds, 'Signature');
  if (signatures.length !== 1) return false;
  const id = requiredAttr(signed, 'ID');
  if (signed.ownerDocument) {
    // Duplicate IDs would let a wrapped copy be the one that is verified.
    let count = 0;
    const all = signed.ownerDocument.getElementsByTagName('*');
    for (let i = 0; i < all.length; i++) if (all[i]!.getAttribute('ID') === id) count++;
    if (count !== 1) return false;
  }
  const sig = withEcdsa(new SignedXml({ publicCert: pinnedCertificatePem, getCertFromKeyInfo: () => null }));
  try {
    sig.loadSignature(signatures[0] as unknown as Node);
    if (sig.signatureAlgorithm !== ECDSA_SHA256) return false;
    const refs = sig.getReferences();
    if (refs.length !== 1 || refs[0]!.uri !== `#${id}`) return false;
    return sig.checkSignature(document);
  } catch (err) {
    if (err instanceof XmlShapeError) throw err;
    return false;
  }
}
