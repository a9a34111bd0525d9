import crypto from 'node:crypto';
import type { Clock } from '../../ports/clock';
import type { NationalIdentity } from '../../ports/national-node';
import { generateSamlKey, type SamlKey } from './key-pair';
import { STATUS_SUCCESS, newId, soapBody, type NodeDescription } from './messages';
import { NS, XmlShapeError, escapeXml, onlyChild, parseXml, requiredAttr, text } from './xml';
import { encryptForRecipient } from './xml-encryption';
import { signRoot, verifyEnvelopedSignature } from './xml-signature';

/** What the simulator must know of the service provider: from its metadata in real life. */
export interface SimulatedServiceProvider {
  entityId: string;
  acsUrl: string;
  signingCertificatePem: string;
  encryptionPublicKey: crypto.KeyObject;
}

/** Test people of the simulator: synthetic, with valid PESEL numbers and no real person behind them. */
export const SIMULATOR_PEOPLE: readonly NationalIdentity[] = [
  { pesel: '90010112318', givenName: 'Jan', familyName: 'Testowy', dateOfBirth: '1990-01-01' },
  { pesel: '85121512346', givenName: 'Anna', familyName: 'Próbna', dateOfBirth: '1985-12-15' },
];

export const SIMULATOR_AUTHORITIES = ['pz.gov.pl', 'eDO App', 'bank'] as const;

/** Knobs for tests that need a response the real node would never send. */
export interface AssertionOverrides {
  inResponseTo?: string;
  audience?: string;
  recipient?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  level?: string | null;
  issuer?: string;
  signingKey?: SamlKey;
  tamper?: (xml: string) => string;
  status?: string;
  /** Reuses an assertion id, as a replayed assertion would. */
  assertionId?: string;
  /** Leaves these attributes (local names, e.g. `PersonIdentifier`) out of the assertion. */
  omitAttributes?: string[];
  /** Alters the EncryptedData before the response is signed, so the signatures still verify. */
  tamperEncrypted?: (encryptedXml: string) => string;
  /** Sends both layers without signatures. */
  unsigned?: boolean;
}

interface PendingRequest {
  id: string;
  acsUrl: string;
}

interface IssuedArtifact {
  request: PendingRequest;
  person: NationalIdentity;
  authority: string;
  level: string;
  overrides: AssertionOverrides;
}

/**
 * A national node for development, demos and tests: it checks our signed requests, lets the
 * tester pick a synthetic person, and answers with artifacts, signed and encrypted responses
 * built exactly like the real node's.
 */
export class NationalNodeSimulator {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly artifacts = new Map<string, IssuedArtifact>();
  private readonly sessions = new Set<string>();

  private constructor(
    readonly entityId: string,
    readonly baseUrl: string,
    readonly signing: SamlKey,
    private readonly clock: Clock,
    private sp?: SimulatedServiceProvider,
  ) {}

  static async create(options: {
    entityId?: string;
    baseUrl: string;
    clock: Clock;
  }): Promise<NationalNodeSimulator> {
    const entityId = options.entityId ?? 'symulator.login.gov.pl';
    const key = await generateSamlKey('Symulator węzła krajowego (nie login.gov.pl)', options.clock.now());
    return new NationalNodeSimulator(entityId, options.baseUrl.replace(/\/$/u, ''), key, options.clock);
  }

  trust(sp: SimulatedServiceProvider): void {
    this.sp = sp;
  }

  get description(): NodeDescription {
    return {
      entityId: this.entityId,
      ssoUrl: `${this.baseUrl}/sso`,
      artifactResolveUrl: `${this.baseUrl}/artifact`,
      logoutUrl: `${this.baseUrl}/slo`,
      signingCertificatePem: this.signing.certificatePem,
    };
  }

  metadata(): string {
    const d = this.description;
    return (
      `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${escapeXml(d.entityId)}">` +
      `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${this.signing.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
      `<md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="${escapeXml(d.artifactResolveUrl)}" index="0"/>` +
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="${escapeXml(d.logoutUrl)}"/>` +
      `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(d.ssoUrl)}"/>` +
      `</md:IDPSSODescriptor></md:EntityDescriptor>`
    );
  }

  private requireSp(): SimulatedServiceProvider {
    if (!this.sp) throw new XmlShapeError('the simulator does not know the service provider');
    return this.sp;
  }

  /** Accepts a posted SAMLRequest: it must be an AuthnRequest signed by the known service provider. */
  receiveAuthnRequest(samlRequestBase64: string): PendingRequest {
    const sp = this.requireSp();
    const xml = Buffer.from(samlRequestBase64, 'base64').toString('utf8');
    const root = parseXml(xml).documentElement!;
    if (root.namespaceURI !== NS.samlp || root.localName !== 'AuthnRequest')
      throw new XmlShapeError('not an AuthnRequest');
    if (!verifyEnvelopedSignature(xml, root, sp.signingCertificatePem))
      throw new XmlShapeError('the AuthnRequest signature does not verify');
    if (text(onlyChild(root, NS.saml, 'Issuer')) !== sp.entityId)
      throw new XmlShapeError('unknown service provider');
    if (!root.getAttribute('ProviderName')) throw new XmlShapeError('ProviderName is required');
    const acsUrl = requiredAttr(root, 'AssertionConsumerServiceURL');
    if (acsUrl !== sp.acsUrl)
      throw new XmlShapeError('AssertionConsumerServiceURL is not the registered one');
    const request = { id: requiredAttr(root, 'ID'), acsUrl };
    this.pending.set(request.id, request);
    return request;
  }

  /** The tester chose a person: issue a SAML 2.0 artifact for the response. */
  issueArtifact(
    requestId: string,
    person: NationalIdentity,
    options: { authority?: string; level?: string; overrides?: AssertionOverrides } = {},
  ): string {
    const request = this.pending.get(requestId);
    if (!request) throw new XmlShapeError('no such request');
    this.pending.delete(requestId);
    const sourceId = crypto.createHash('sha1').update(this.entityId).digest();
    const artifact = Buffer.concat([Buffer.from([0, 4, 0, 0]), sourceId, crypto.randomBytes(20)]).toString(
      'base64',
    );
    this.artifacts.set(artifact, {
      request,
      person,
      authority: options.authority ?? 'pz.gov.pl',
      level: options.level ?? 'http://eidas.europa.eu/LoA/substantial',
      overrides: options.overrides ?? {},
    });
    return artifact;
  }

  /** Answers an ArtifactResolve (SOAP) with a signed ArtifactResponse holding the encrypted assertion. */
  resolveArtifact(envelope: string): string {
    const sp = this.requireSp();
    const { element } = soapBody(envelope, 'ArtifactResolve');
    if (!verifyEnvelopedSignature(envelope, element, sp.signingCertificatePem))
      throw new XmlShapeError('the ArtifactResolve signature does not verify');
    const artifact = text(onlyChild(element, NS.samlp, 'Artifact'));
    const issued = this.artifacts.get(artifact);
    // An artifact resolves once; a second ArtifactResolve gets an empty success, as the spec says.
    this.artifacts.delete(artifact);
    const resolveId = requiredAttr(element, 'ID');
    return this.artifactResponse(resolveId, issued);
  }

  private artifactResponse(resolveId: string, issued: IssuedArtifact | undefined): string {
    const now = this.clock.now();
    const o = issued?.overrides ?? {};
    const key = o.signingKey ?? this.signing;
    const sign = (xml: string, k: SamlKey) => (o.unsigned ? xml : signRoot(xml, k));
    const issuer = escapeXml(o.issuer ?? this.entityId);
    let inner = '';
    if (issued) {
      const sessionIndex = `_${crypto.randomUUID()}`;
      this.sessions.add(sessionIndex);
      const assertion = this.assertion(issued, now, sessionIndex);
      const plainEncrypted = encryptForRecipient(assertion, this.requireSp().encryptionPublicKey, {
        u: this.entityId,
        v: this.requireSp().entityId,
      });
      const encrypted = o.tamperEncrypted ? o.tamperEncrypted(plainEncrypted) : plainEncrypted;
      inner = sign(
        `<saml2p:Response xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${newId()}" InResponseTo="${escapeXml(issued.request.id)}" IssueInstant="${now.toISOString()}" Version="2.0">` +
          `<saml2:Issuer>${issuer}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="${o.status ?? STATUS_SUCCESS}"/></saml2p:Status>` +
          (o.status && o.status !== STATUS_SUCCESS
            ? ''
            : `<saml2:EncryptedAssertion>${encrypted}</saml2:EncryptedAssertion>`) +
          `</saml2p:Response>`,
        key,
      ).replace(/^<\?xml[^>]*>/u, '');
    }
    const outer = sign(
      `<saml2p:ArtifactResponse xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${newId()}" InResponseTo="${escapeXml(resolveId)}" IssueInstant="${now.toISOString()}" Version="2.0">` +
        `<saml2:Issuer>${issuer}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="${STATUS_SUCCESS}"/></saml2p:Status>${inner}</saml2p:ArtifactResponse>`,
      key,
    );
    const envelope = `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body>${outer}</soap:Body></soap:Envelope>`;
    return o.tamper ? o.tamper(envelope) : envelope;
  }

  private assertion(issued: IssuedArtifact, now: Date, sessionIndex: string): string {
    const o = issued.overrides;
    const p = issued.person;
    const notBefore = (o.notBefore ?? now).toISOString();
    const until = (o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)).toISOString();
    const sp = this.requireSp();
    const level = o.level === undefined ? issued.level : o.level;
    const attr = (name: string, value: string) =>
      o.omitAttributes?.includes(name)
        ? ''
        : `<saml2:Attribute Name="http://eidas.europa.eu/attributes/naturalperson/${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml2:AttributeValue>${escapeXml(value)}</saml2:AttributeValue></saml2:Attribute>`;
    return (
      `<saml2:Assertion xmlns:saml2="${NS.saml}" ID="${escapeXml(o.assertionId ?? `_${crypto.randomUUID()}`)}" IssueInstant="${now.toISOString()}" Version="2.0">` +
      `<saml2:Issuer>${escapeXml(o.issuer ?? this.entityId)}</saml2:Issuer>` +
      `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeXml(`sim-${p.pesel}`)}</saml2:NameID>` +
      `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="${escapeXml(o.inResponseTo ?? issued.request.id)}" NotOnOrAfter="${until}" Recipient="${escapeXml(o.recipient ?? sp.acsUrl)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
      `<saml2:Conditions NotBefore="${notBefore}" NotOnOrAfter="${until}"><saml2:AudienceRestriction><saml2:Audience>${escapeXml(o.audience ?? sp.entityId)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
      `<saml2:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${sessionIndex}"><saml2:AuthnContext>` +
      (level === null ? '' : `<saml2:AuthnContextClassRef>${escapeXml(level)}</saml2:AuthnContextClassRef>`) +
      `<saml2:AuthenticatingAuthority>${escapeXml(issued.authority)}</saml2:AuthenticatingAuthority></saml2:AuthnContext></saml2:AuthnStatement>` +
      `<saml2:AttributeStatement>${attr('CurrentGivenName', p.givenName)}${attr('CurrentFamilyName', p.familyName)}${attr('DateOfBirth', p.dateOfBirth)}${attr('PersonIdentifier', p.pesel)}</saml2:AttributeStatement>` +
      `</saml2:Assertion>`
    );
  }

  /** Answers a LogoutRequest (SOAP): ends the session named by its SessionIndex. */
  logout(envelope: string): string {
    const sp = this.requireSp();
    const { element } = soapBody(envelope, 'LogoutRequest');
    if (!verifyEnvelopedSignature(envelope, element, sp.signingCertificatePem))
      throw new XmlShapeError('the LogoutRequest signature does not verify');
    const index = text(onlyChild(element, NS.samlp, 'SessionIndex'));
    const known = this.sessions.delete(index);
    const status = known ? STATUS_SUCCESS : 'urn:oasis:names:tc:SAML:2.0:status:Requester';
    const response = signRoot(
      `<saml2p:LogoutResponse xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${newId()}" InResponseTo="${escapeXml(requiredAttr(element, 'ID'))}" IssueInstant="${this.clock.now().toISOString()}" Version="2.0">` +
        `<saml2:Issuer>${escapeXml(this.entityId)}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="${status}"/></saml2p:Status></saml2p:LogoutResponse>`,
      this.signing,
    );
    return `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body>${response}</soap:Body></soap:Envelope>`;
  }

  /** Whether a node session is still open (for tests and the simulator's own page). */
  hasSession(sessionIndex: string): boolean {
    return this.sessions.has(sessionIndex);
  }
}
