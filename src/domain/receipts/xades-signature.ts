import { createHash, sign, type KeyObject } from 'node:crypto';
import { element } from './canonical-xml';
import { ALGORITHM, IDS, NS, type SigningKey } from './model';

/** What depends only on the seal: computed once per seal, not once per receipt. */
interface PreparedKey {
  certificateBase64: string;
  certificateDigest: string;
  signatureAlgorithm: string;
  dsaEncoding: 'ieee-p1363' | undefined;
}

const prepared = new WeakMap<KeyObject, Map<Buffer, PreparedKey>>();

function prepare(key: SigningKey): PreparedKey {
  let byCertificate = prepared.get(key.privateKey);
  if (!byCertificate) prepared.set(key.privateKey, (byCertificate = new Map()));
  let found = byCertificate.get(key.certificateDer);
  if (!found) {
    const type = key.privateKey.asymmetricKeyType;
    if (type !== 'ec' && type !== 'rsa') throw new Error(`seal keys must be EC or RSA, not ${String(type)}`);
    found = {
      certificateBase64: key.certificateDer.toString('base64'),
      certificateDigest: sha256Base64(key.certificateDer),
      signatureAlgorithm: type === 'ec' ? ALGORITHM.ecdsaSha256 : ALGORITHM.rsaSha256,
      // XML-DSig carries ECDSA signatures as r‖s, not DER.
      dsaEncoding: type === 'ec' ? 'ieee-p1363' : undefined,
    };
    byCertificate.set(key.certificateDer, found);
  }
  return found;
}

export function sha256Base64(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

const ds = (name: string) => `ds:${name}`;
const dsNs = { ds: NS.ds };

function digestMethod(withNs: boolean): string {
  return element(ds('DigestMethod'), { ...(withNs ? { ns: dsNs } : {}), attrs: { Algorithm: ALGORITHM.sha256 } });
}

export interface EnvelopedSignatureOptions {
  /** The whole document without its signature, in canonical form. */
  canonicalDocument: string;
  signingTime: Date;
  /**
   * Extra children of xades:SignedSignatureProperties after SigningCertificateV2, canonical as a
   * subtree of their own (each declaring the namespaces it uses, as exclusive c14n renders them).
   */
  extraSignedSignatureProperties?: string;
  /** MIME type of the signed document (xades:DataObjectFormat). */
  mimeType?: string;
}

/**
 * An enveloped XAdES-BES signature (ds:Signature element) over a document given in canonical
 * form. Every signed part is written in canonical form, so the digests are taken over the very
 * bytes written, and the only private-key operation is the one signature of SignedInfo.
 */
export function envelopedSignature(options: EnvelopedSignatureOptions, key: SigningKey): string {
  const prepared = prepare(key);
  const signedProperties = element(
    'xades:SignedProperties',
    { ns: { xades: NS.xades }, attrs: { Id: IDS.signedProperties } },
    element(
      'xades:SignedSignatureProperties',
      {},
      element('xades:SigningTime', { text: options.signingTime.toISOString() }),
      element(
        'xades:SigningCertificateV2',
        {},
        element(
          'xades:Cert',
          {},
          element('xades:CertDigest', {}, digestMethod(true), element(ds('DigestValue'), { ns: dsNs, text: prepared.certificateDigest })),
        ),
      ),
      options.extraSignedSignatureProperties ?? '',
    ),
    element(
      'xades:SignedDataObjectProperties',
      {},
      element(
        'xades:DataObjectFormat',
        { attrs: { ObjectReference: `#${IDS.documentReference}` } },
        element('xades:MimeType', { text: options.mimeType ?? 'text/xml' }),
      ),
    ),
  );

  const transform = (algorithm: string) => element(ds('Transform'), { attrs: { Algorithm: algorithm } });
  const signedInfo = element(
    ds('SignedInfo'),
    { ns: dsNs },
    element(ds('CanonicalizationMethod'), { attrs: { Algorithm: ALGORITHM.excC14n } }),
    element(ds('SignatureMethod'), { attrs: { Algorithm: prepared.signatureAlgorithm } }),
    element(
      ds('Reference'),
      { attrs: { Id: IDS.documentReference, URI: '' } },
      element(ds('Transforms'), {}, transform(ALGORITHM.enveloped), transform(ALGORITHM.excC14n)),
      digestMethod(false),
      element(ds('DigestValue'), { text: sha256Base64(options.canonicalDocument) }),
    ),
    element(
      ds('Reference'),
      { attrs: { Type: ALGORITHM.signedPropertiesType, URI: `#${IDS.signedProperties}` } },
      element(ds('Transforms'), {}, transform(ALGORITHM.excC14n)),
      digestMethod(false),
      element(ds('DigestValue'), { text: sha256Base64(signedProperties) }),
    ),
  );

  const signatureValue = sign('sha256', Buffer.from(signedInfo, 'utf8'), {
    key: key.privateKey,
    ...(prepared.dsaEncoding ? { dsaEncoding: prepared.dsaEncoding } : {}),
  }).toString('base64');

  return element(
    ds('Signature'),
    { ns: dsNs, attrs: { Id: IDS.signature } },
    signedInfo,
    element(ds('SignatureValue'), { attrs: { Id: IDS.signatureValue }, text: signatureValue }),
    element(ds('KeyInfo'), {}, element(ds('X509Data'), {}, element(ds('X509Certificate'), { text: prepared.certificateBase64 }))),
    element(
      ds('Object'),
      {},
      element('xades:QualifyingProperties', { ns: { xades: NS.xades }, attrs: { Target: `#${IDS.signature}` } }, signedProperties),
    ),
  );
}

/** Puts the signature in as the last child of the root element of a canonical document. */
export function envelop(canonicalDocument: string, signature: string): string {
  const end = canonicalDocument.lastIndexOf('</');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${canonicalDocument.slice(0, end)}${signature}${canonicalDocument.slice(end)}\n`;
}
