import crypto from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { validatePesel } from '../../domain/pesel';
import {
  LEVELS_OF_ASSURANCE,
  NationalLoginRefused,
  type LevelOfAssurance,
  type NationalLogin,
} from '../../ports/national-node';
import type { SamlKey } from './key-pair';
import {
  NS,
  XmlShapeError,
  childElements,
  escapeXml,
  onlyChild,
  optionalChild,
  parseXml,
  requiredAttr,
  text,
} from './xml';
import { decryptEncryptedData } from './xml-encryption';
import { signRoot, verifyEnvelopedSignature } from './xml-signature';

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const ARTIFACT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact';
const SOAP_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP';
const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const ATTR = 'http://eidas.europa.eu/attributes/naturalperson/';

/** What the node publishes about itself in its metadata. */
export interface NodeDescription {
  entityId: string;
  ssoUrl: string;
  artifactResolveUrl: string;
  logoutUrl: string;
  signingCertificatePem: string;
}

/** Our side of the exchange. */
export interface ServiceProvider {
  entityId: string;
  providerName: string;
  acsUrl: string;
  logoutReturnUrl: string;
  signing: SamlKey;
  encryption: SamlKey;
  minimumLevel: LevelOfAssurance;
  clockSkewMs: number;
}

export const newId = (): string => `ID-${crypto.randomUUID()}`;

function pemOf(base64: string): string {
  const b = base64.replace(/\s+/gu, '');
  return `-----BEGIN CERTIFICATE-----\n${(b.match(/.{1,64}/gu) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Reads the node's metadata (EntityDescriptor with an IDPSSODescriptor). */
export function parseNodeMetadata(xml: string): NodeDescription {
  const doc = parseXml(xml);
  const root = doc.documentElement!;
  if (root.namespaceURI !== NS.md || root.localName !== 'EntityDescriptor')
    throw new XmlShapeError('node metadata is not an EntityDescriptor');
  const idp = onlyChild(root, NS.md, 'IDPSSODescriptor');
  const location = (local: string, binding: string): string => {
    const el = childElements(idp, NS.md, local).find((e) => e.getAttribute('Binding') === binding);
    if (!el) throw new XmlShapeError(`node metadata has no ${local} with binding ${binding}`);
    return requiredAttr(el, 'Location');
  };
  const signing = childElements(idp, NS.md, 'KeyDescriptor').find(
    (k) => (k.getAttribute('use') ?? 'signing') === 'signing',
  );
  if (!signing) throw new XmlShapeError('node metadata has no signing key');
  const cert = signing.getElementsByTagNameNS(NS.ds, 'X509Certificate')[0];
  if (!cert) throw new XmlShapeError('node metadata signing key has no certificate');
  return {
    entityId: requiredAttr(root, 'entityID'),
    ssoUrl: location('SingleSignOnService', POST_BINDING),
    artifactResolveUrl: location('ArtifactResolutionService', SOAP_BINDING),
    logoutUrl: location('SingleLogoutService', SOAP_BINDING),
    signingCertificatePem: pemOf(text(cert)),
  };
}

/** Our metadata: entity id, ACS (artifact binding), signing and encryption keys on P-256. */
export function serviceProviderMetadata(sp: ServiceProvider): string {
  const key = (use: string, k: SamlKey) =>
    `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${k.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${escapeXml(sp.entityId)}">` +
    `<md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    key('signing', sp.signing) +
    key('encryption', sp.encryption) +
    `<md:SingleLogoutService Binding="${SOAP_BINDING}" Location="${escapeXml(sp.logoutReturnUrl)}"/>` +
    `<md:AssertionConsumerService Binding="${ARTIFACT_BINDING}" Location="${escapeXml(sp.acsUrl)}" index="1" isDefault="true"/>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>\n`
  );
}

/** A signed AuthnRequest for the HTTP-POST binding, asking for the eIDAS minimum data set. */
export function buildAuthnRequest(sp: ServiceProvider, node: NodeDescription, id: string, now: Date): string {
  const attr = (name: string) =>
    `<eidas:RequestedAttribute Name="${ATTR}${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" isRequired="true"/>`;
  const xml =
    `<saml2p:AuthnRequest xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" xmlns:eidas="${NS.eidas}" ` +
    `ID="${id}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${escapeXml(node.ssoUrl)}" ` +
    `ForceAuthn="true" ProviderName="${escapeXml(sp.providerName)}" ProtocolBinding="${ARTIFACT_BINDING}" ` +
    `AssertionConsumerServiceURL="${escapeXml(sp.acsUrl)}">` +
    `<saml2:Issuer>${escapeXml(sp.entityId)}</saml2:Issuer>` +
    `<saml2p:Extensions><eidas:SPType>public</eidas:SPType><eidas:RequestedAttributes>` +
    attr('CurrentGivenName') +
    attr('CurrentFamilyName') +
    attr('DateOfBirth') +
    attr('PersonIdentifier') +
    `</eidas:RequestedAttributes></saml2p:Extensions>` +
    `<saml2p:NameIDPolicy AllowCreate="true" Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"/>` +
    `<saml2p:RequestedAuthnContext Comparison="minimum"><saml2:AuthnContextClassRef>${sp.minimumLevel}</saml2:AuthnContextClassRef></saml2p:RequestedAuthnContext>` +
    `</saml2p:AuthnRequest>`;
  return signRoot(xml, sp.signing);
}

function soap(body: string): string {
  return `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Header/><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

export function buildArtifactResolve(
  sp: ServiceProvider,
  node: NodeDescription,
  id: string,
  artifact: string,
  now: Date,
): string {
  const xml =
    `<saml2p:ArtifactResolve xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${id}" Version="2.0" ` +
    `IssueInstant="${now.toISOString()}" Destination="${escapeXml(node.artifactResolveUrl)}">` +
    `<saml2:Issuer>${escapeXml(sp.entityId)}</saml2:Issuer><saml2p:Artifact>${escapeXml(artifact)}</saml2p:Artifact></saml2p:ArtifactResolve>`;
  return soap(signRoot(xml, sp.signing));
}

export function buildLogoutRequest(
  sp: ServiceProvider,
  node: NodeDescription,
  id: string,
  who: { nameId: string; sessionIndex: string },
  now: Date,
): string {
  const xml =
    `<saml2p:LogoutRequest xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${id}" Version="2.0" ` +
    `IssueInstant="${now.toISOString()}" Destination="${escapeXml(node.logoutUrl)}">` +
    `<saml2:Issuer>${escapeXml(sp.entityId)}</saml2:Issuer>` +
    `<saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeXml(who.nameId)}</saml2:NameID>` +
    `<saml2p:SessionIndex>${escapeXml(who.sessionIndex)}</saml2p:SessionIndex></saml2p:LogoutRequest>`;
  return soap(signRoot(xml, sp.signing));
}

/** The protocol message inside a SOAP envelope. */
export function soapBody(xml: string, local: string): { document: string; element: Element } {
  const doc = parseXml(xml);
  const env = doc.documentElement!;
  if (env.namespaceURI !== NS.soap || env.localName !== 'Envelope')
    throw new XmlShapeError('not a SOAP envelope');
  const element = onlyChild(onlyChild(env, NS.soap, 'Body'), NS.samlp, local);
  return { document: xml, element };
}

function statusCode(el: Element): string {
  return requiredAttr(onlyChild(onlyChild(el, NS.samlp, 'Status'), NS.samlp, 'StatusCode'), 'Value');
}

const refuse = (reason: ConstructorParameters<typeof NationalLoginRefused>[0], detail: string) =>
  new NationalLoginRefused(reason, detail);

/** The identifiers a caller must claim as used once, with how long to remember them. */
export interface VerifiedArtifactResponse extends NationalLogin {
  assertionExpiresAt: Date;
}

/**
 * Checks an ArtifactResponse end to end: both signatures against the pinned node certificate,
 * issuers, status, InResponseTo of both layers, then decrypts the assertion and checks its
 * subject confirmation, time window, audience, level of assurance and the person's data.
 */
export function verifyArtifactResponse(
  xml: string,
  expect: { artifactResolveId: string; authnRequestId: string },
  sp: ServiceProvider,
  node: NodeDescription,
  now: Date,
): VerifiedArtifactResponse {
  try {
    const { element: ar } = soapBody(xml, 'ArtifactResponse');
    if (!verifyEnvelopedSignature(xml, ar, node.signingCertificatePem))
      throw refuse(
        'signature',
        'the ArtifactResponse signature does not verify against the node certificate',
      );
    if (text(onlyChild(ar, NS.saml, 'Issuer')) !== node.entityId)
      throw refuse('issuer', 'ArtifactResponse from another issuer');
    if (ar.getAttribute('InResponseTo') !== expect.artifactResolveId)
      throw refuse('inResponseTo', 'ArtifactResponse answers another ArtifactResolve');
    if (statusCode(ar) !== STATUS_SUCCESS)
      throw refuse('status', `ArtifactResponse status ${statusCode(ar)}`);
    const response = onlyChild(ar, NS.samlp, 'Response');
    if (!verifyEnvelopedSignature(xml, response, node.signingCertificatePem))
      throw refuse('signature', 'the Response signature does not verify against the node certificate');
    if (text(onlyChild(response, NS.saml, 'Issuer')) !== node.entityId)
      throw refuse('issuer', 'Response from another issuer');
    if (response.getAttribute('InResponseTo') !== expect.authnRequestId)
      throw refuse('inResponseTo', 'Response answers another AuthnRequest');
    const status = statusCode(response);
    if (status !== STATUS_SUCCESS) {
      const nested = onlyChild(onlyChild(response, NS.samlp, 'Status'), NS.samlp, 'StatusCode');
      const second = optionalChild(nested, NS.samlp, 'StatusCode')?.getAttribute('Value') ?? status;
      throw refuse(
        /AuthnFailed|RequestDenied|NoPassive/u.test(second) ? 'cancelled' : 'status',
        `Response status ${second}`,
      );
    }
    const encrypted = onlyChild(onlyChild(response, NS.saml, 'EncryptedAssertion'), NS.xenc, 'EncryptedData');
    if (childElements(response, NS.saml, 'Assertion').length > 0)
      throw refuse('malformed', 'an unencrypted assertion is not accepted');
    let plain: string;
    try {
      plain = decryptEncryptedData(encrypted, sp.encryption.privateKey);
    } catch (err) {
      throw refuse('decryption', err instanceof Error ? err.message : 'decryption failed');
    }
    return checkAssertion(plain, expect.authnRequestId, sp, node, now);
  } catch (err) {
    if (err instanceof NationalLoginRefused) throw err;
    if (err instanceof XmlShapeError) throw refuse('malformed', err.message);
    throw err;
  }
}

function checkAssertion(
  xml: string,
  requestId: string,
  sp: ServiceProvider,
  node: NodeDescription,
  now: Date,
): VerifiedArtifactResponse {
  const assertion = parseXml(xml).documentElement!;
  if (assertion.namespaceURI !== NS.saml || assertion.localName !== 'Assertion')
    throw new XmlShapeError('the decrypted content is not an Assertion');
  const assertionId = requiredAttr(assertion, 'ID');
  if (text(onlyChild(assertion, NS.saml, 'Issuer')) !== node.entityId)
    throw refuse('issuer', 'assertion from another issuer');
  const t = now.getTime();
  const time = (el: Element, name: string): number | undefined => {
    const v = el.getAttribute(name);
    if (!v) return undefined;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new XmlShapeError(`${el.localName}@${name} is not a time`);
    return ms;
  };
  const subject = onlyChild(assertion, NS.saml, 'Subject');
  const nameId = text(onlyChild(subject, NS.saml, 'NameID'));
  const confirmation = childElements(subject, NS.saml, 'SubjectConfirmation').find(
    (c) => c.getAttribute('Method') === BEARER,
  );
  if (!confirmation) throw new XmlShapeError('no bearer SubjectConfirmation');
  const data = onlyChild(confirmation, NS.saml, 'SubjectConfirmationData');
  if (data.getAttribute('InResponseTo') !== requestId)
    throw refuse('inResponseTo', 'assertion answers another request');
  if (data.getAttribute('Recipient') !== sp.acsUrl)
    throw refuse('recipient', 'assertion is meant for another recipient');
  const confirmUntil = time(data, 'NotOnOrAfter');
  if (confirmUntil === undefined) throw new XmlShapeError('SubjectConfirmationData has no NotOnOrAfter');
  if (t >= confirmUntil + sp.clockSkewMs) throw refuse('expired', 'the subject confirmation has expired');
  const conditions = onlyChild(assertion, NS.saml, 'Conditions');
  const notBefore = time(conditions, 'NotBefore');
  const notOnOrAfter = time(conditions, 'NotOnOrAfter');
  if (notOnOrAfter === undefined) throw new XmlShapeError('Conditions have no NotOnOrAfter');
  if (notBefore !== undefined && t + sp.clockSkewMs < notBefore)
    throw refuse('notYetValid', 'the assertion is not valid yet');
  if (t >= notOnOrAfter + sp.clockSkewMs) throw refuse('expired', 'the assertion has expired');
  const audiences = childElements(conditions, NS.saml, 'AudienceRestriction');
  if (
    audiences.length === 0 ||
    !audiences.every((r) => childElements(r, NS.saml, 'Audience').some((a) => text(a) === sp.entityId))
  )
    throw refuse('audience', 'the assertion is meant for another service');
  const statement = onlyChild(assertion, NS.saml, 'AuthnStatement');
  const context = onlyChild(statement, NS.saml, 'AuthnContext');
  const classRef = optionalChild(context, NS.saml, 'AuthnContextClassRef');
  const level = classRef ? text(classRef) : '';
  const rank = LEVELS_OF_ASSURANCE.indexOf(level as LevelOfAssurance);
  if (rank < 0 || rank < LEVELS_OF_ASSURANCE.indexOf(sp.minimumLevel))
    throw refuse('levelOfAssurance', `level of assurance "${level || 'none'}" is below ${sp.minimumLevel}`);
  const authorities = childElements(context, NS.saml, 'AuthenticatingAuthority').map(text);
  const attrs = new Map<string, string>();
  for (const st of childElements(assertion, NS.saml, 'AttributeStatement'))
    for (const a of childElements(st, NS.saml, 'Attribute')) {
      const values = childElements(a, NS.saml, 'AttributeValue');
      if (values.length === 1) attrs.set(requiredAttr(a, 'Name'), text(values[0]!));
    }
  const get = (n: string): string => {
    const v = attrs.get(ATTR + n);
    if (!v) throw refuse('identity', `attribute ${n} is missing`);
    return v;
  };
  const pesel = get('PersonIdentifier');
  const dateOfBirth = get('DateOfBirth').replace(/Z$/u, '');
  const checked = validatePesel(pesel, dateOfBirth);
  if (!checked.ok)
    throw refuse('identity', 'PersonIdentifier is not a valid PESEL matching the date of birth');
  return {
    identity: {
      pesel,
      givenName: get('CurrentGivenName'),
      familyName: get('CurrentFamilyName'),
      dateOfBirth,
    },
    evidence: {
      method: 'login.gov.pl',
      issuer: node.entityId,
      assertionId,
      levelOfAssurance: level as LevelOfAssurance,
      authenticatingAuthority: authorities[0] ?? node.entityId,
      authnInstant: new Date(time(statement, 'AuthnInstant') ?? t).toISOString(),
      nameId,
      sessionIndex: requiredAttr(statement, 'SessionIndex'),
    },
    assertionExpiresAt: new Date(Math.max(notOnOrAfter, confirmUntil) + sp.clockSkewMs),
  };
}
