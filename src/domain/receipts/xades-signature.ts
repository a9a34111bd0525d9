import { createHash, sign, type KeyObject } from 'node:crypto';
import { element } from './canonical-xml';
import { ALGORITHM, IDS, NS, type SigningKey } from './model';

/** What depends only on the seal: computed once per seal, not once per receipt. */
interface PreparedKey {
  certificateBase64: string;
  certificateDigest: string;
  signatureAlgorithm: string;
  dsaEncoding: 'ieee-p1363' | undefined;
  templates?: Templates;
}

// Weak on both levels: a caller that makes a fresh certificate buffer per call leaks nothing.
const prepared = new WeakMap<KeyObject, WeakMap<Buffer, PreparedKey>>();

function prepare(key: SigningKey): PreparedKey {
  let byCertificate = prepared.get(key.privateKey);
  if (!byCertificate) prepared.set(key.privateKey, (byCertificate = new WeakMap()));
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
  return element(ds('DigestMethod'), {
    ...(withNs ? { ns: dsNs } : {}),
    attrs: { Algorithm: ALGORITHM.sha256 },
  });
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

/** Stand-ins for the values that change per signature; never produced by escaping. */
const SLOT = {
  signingTime: '\u0001signingTime\u0001',
  documentDigest: '\u0001documentDigest\u0001',
  propertiesDigest: '\u0001propertiesDigest\u0001',
  signedInfo: '\u0001signedInfo\u0001',
  signatureValue: '\u0001signatureValue\u0001',
  signedProperties: '\u0001signedProperties\u0001',
} as const;

interface Templates {
  signedProperties: [string, string];
  signedInfo: [string, string, string];
  signature: [string, string, string, string];
}

function split<N extends number>(text: string, slots: string[], count: N): string[] & { length: N } {
  const parts: string[] = [];
  let rest = text;
  for (const slot of slots) {
    const at = rest.indexOf(slot);
    if (at < 0) throw new Error(`template slot ${slot} missing`);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + slot.length);
  }
  parts.push(rest);
  if (parts.length !== count) throw new Error('template mismatch');
  return parts as string[] & { length: N };
}

/**
 * The signature written once with stand-ins, then cut into constant parts: the same element()
 * writes it as for any other XML, so the parts are canonical, and a signature only fills in
 * the signing time, two digests and the signature value.
 */
function buildTemplates(
  prepared: PreparedKey,
  mimeType: string,
  extraSignedSignatureProperties: string,
): Templates {
  const signedProperties = element(
    'xades:SignedProperties',
    { ns: { xades: NS.xades }, attrs: { Id: IDS.signedProperties } },
    element(
      'xades:SignedSignatureProperties',
      {},
      `<xades:SigningTime>${SLOT.signingTime}</xades:SigningTime>`,
      element(
        'xades:SigningCertificateV2',
        {},
        element(
          'xades:Cert',
          {},
          element(
            'xades:CertDigest',
            {},
            digestMethod(true),
            element(ds('DigestValue'), { ns: dsNs, text: prepared.certificateDigest }),
          ),
        ),
      ),
      extraSignedSignatureProperties,
    ),
    element(
      'xades:SignedDataObjectProperties',
      {},
      element(
        'xades:DataObjectFormat',
        { attrs: { ObjectReference: `#${IDS.documentReference}` } },
        element('xades:MimeType', { text: mimeType }),
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
      `<ds:DigestValue>${SLOT.documentDigest}</ds:DigestValue>`,
    ),
    element(
      ds('Reference'),
      { attrs: { Type: ALGORITHM.signedPropertiesType, URI: `#${IDS.signedProperties}` } },
      element(ds('Transforms'), {}, transform(ALGORITHM.excC14n)),
      digestMethod(false),
      `<ds:DigestValue>${SLOT.propertiesDigest}</ds:DigestValue>`,
    ),
  );

  const signature = element(
    ds('Signature'),
    { ns: dsNs, attrs: { Id: IDS.signature } },
    SLOT.signedInfo,
    `<ds:SignatureValue Id="${IDS.signatureValue}">${SLOT.signatureValue}</ds:SignatureValue>`,
    element(
      ds('KeyInfo'),
      {},
      element(ds('X509Data'), {}, element(ds('X509Certificate'), { text: prepared.certificateBase64 })),
    ),
    element(
      ds('Object'),
      {},
      element(
        'xades:QualifyingProperties',
        { ns: { xades: NS.xades }, attrs: { Target: `#${IDS.signature}` } },
        SLOT.signedProperties,
      ),
    ),
  );

  return {
    signedProperties: split(signedProperties, [SLOT.signingTime], 2) as [string, string],
    signedInfo: split(signedInfo, [SLOT.documentDigest, SLOT.propertiesDigest], 3) as [
      string,
      string,
      string,
    ],
    signature: split(signature, [SLOT.signedInfo, SLOT.signatureValue, SLOT.signedProperties], 4) as [
      string,
      string,
      string,
      string,
    ],
  };
}

/**
 * An enveloped XAdES-BES signature (ds:Signature element) over a document given in canonical
 * form. Every signed part is written in canonical form, so the digests are taken over the very
 * bytes written, and the only private-key operation is the one signature of SignedInfo.
 */
export function envelopedSignature(options: EnvelopedSignatureOptions, key: SigningKey): string {
  const prepared = prepare(key);
  const custom = options.mimeType !== undefined || options.extraSignedSignatureProperties !== undefined;
  const t = custom
    ? buildTemplates(prepared, options.mimeType ?? 'text/xml', options.extraSignedSignatureProperties ?? '')
    : (prepared.templates ??= buildTemplates(prepared, 'text/xml', ''));

  const signedProperties = t.signedProperties[0] + options.signingTime.toISOString() + t.signedProperties[1];
  const signedInfo =
    t.signedInfo[0] +
    sha256Base64(options.canonicalDocument) +
    t.signedInfo[1] +
    sha256Base64(signedProperties) +
    t.signedInfo[2];
  const signatureValue = sign('sha256', Buffer.from(signedInfo, 'utf8'), {
    key: key.privateKey,
    ...(prepared.dsaEncoding ? { dsaEncoding: prepared.dsaEncoding } : {}),
  }).toString('base64');
  return (
    t.signature[0] +
    signedInfo +
    t.signature[1] +
    signatureValue +
    t.signature[2] +
    signedProperties +
    t.signature[3]
  );
}

/** Puts the signature in as the last child of the root element of a canonical document. */
export function envelop(canonicalDocument: string, signature: string): string {
  const end = canonicalDocument.lastIndexOf('</');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${canonicalDocument.slice(0, end)}${signature}${canonicalDocument.slice(end)}\n`;
}
