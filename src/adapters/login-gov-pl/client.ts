import type { Clock } from '../../ports/clock';
import {
  NationalLoginRefused,
  type NationalAuthEvidence,
  type NationalLogin,
  type NationalLoginStart,
  type NationalNode,
  type OneTimeIds,
} from '../../ports/national-node';
import {
  STATUS_SUCCESS,
  buildArtifactResolve,
  buildAuthnRequest,
  buildLogoutRequest,
  newId,
  serviceProviderMetadata,
  soapBody,
  type NodeDescription,
  type ServiceProvider,
  verifyArtifactResponse,
} from './messages';
import { NS, XmlShapeError, onlyChild, requiredAttr } from './xml';
import { verifyEnvelopedSignature } from './xml-signature';

/** Posts a SOAP message and returns the answer; injectable so the simulator can answer in-process. */
export type SoapTransport = (url: string, envelope: string) => Promise<string>;

export const httpSoapTransport: SoapTransport = async (url, envelope) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '' },
    body: envelope,
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
};

/** A SAML 2.0 type 0x0004 artifact: type, endpoint index, 20-byte source id, 20-byte handle. */
export function isWellFormedArtifact(artifact: string): boolean {
  if (!/^[A-Za-z0-9+/]{58}==$|^[A-Za-z0-9+/]{59}=$|^[A-Za-z0-9+/]{60}$/u.test(artifact)) return false;
  const bytes = Buffer.from(artifact, 'base64');
  return bytes.length === 44 && bytes[0] === 0 && bytes[1] === 4;
}

const ARTIFACT_MEMORY_MS = 24 * 3600 * 1000;

/** The service provider side of login.gov.pl: HTTP-POST out, artifact back, SOAP resolve. */
export class LoginGovPlClient implements NationalNode {
  constructor(
    private readonly sp: ServiceProvider,
    private readonly node: NodeDescription,
    private readonly oneTime: OneTimeIds,
    private readonly clock: Clock,
    private readonly transport: SoapTransport = httpSoapTransport,
  ) {}

  metadata(): string {
    return serviceProviderMetadata(this.sp);
  }

  startLogin(relayState: string): NationalLoginStart {
    const requestId = newId();
    const xml = buildAuthnRequest(this.sp, this.node, requestId, this.clock.now());
    return {
      requestId,
      action: this.node.ssoUrl,
      fields: { SAMLRequest: Buffer.from(xml, 'utf8').toString('base64'), RelayState: relayState },
    };
  }

  async completeLogin(input: { artifact: string; expectedRequestId: string }): Promise<NationalLogin> {
    if (!isWellFormedArtifact(input.artifact))
      throw new NationalLoginRefused('malformed', 'SAMLart is not a SAML 2.0 artifact');
    const now = this.clock.now();
    if (
      !(await this.oneTime.claim(`artifact:${input.artifact}`, new Date(now.getTime() + ARTIFACT_MEMORY_MS)))
    )
      throw new NationalLoginRefused('replay', 'this artifact was already used');
    const resolveId = newId();
    let answer: string;
    try {
      answer = await this.transport(
        this.node.artifactResolveUrl,
        buildArtifactResolve(this.sp, this.node, resolveId, input.artifact, now),
      );
    } catch (err) {
      throw new NationalLoginRefused('unreachable', err instanceof Error ? err.message : 'no answer');
    }
    const verified = verifyArtifactResponse(
      answer,
      { artifactResolveId: resolveId, authnRequestId: input.expectedRequestId },
      this.sp,
      this.node,
      this.clock.now(),
    );
    if (
      !(await this.oneTime.claim(`assertion:${verified.evidence.assertionId}`, verified.assertionExpiresAt))
    )
      throw new NationalLoginRefused('replay', 'this assertion was already used');
    return { identity: verified.identity, evidence: verified.evidence };
  }

  /** Ends the node's session; a refusal by the node is reported, the local session ends anyway. */
  async logout(evidence: Pick<NationalAuthEvidence, 'nameId' | 'sessionIndex'>): Promise<void> {
    const id = newId();
    const answer = await this.transport(
      this.node.logoutUrl,
      buildLogoutRequest(this.sp, this.node, id, evidence, this.clock.now()),
    );
    const { element } = soapBody(answer, 'LogoutResponse');
    if (!verifyEnvelopedSignature(answer, element, this.node.signingCertificatePem))
      throw new XmlShapeError('LogoutResponse signature does not verify');
    if (element.getAttribute('InResponseTo') !== id)
      throw new XmlShapeError('LogoutResponse answers another request');
    const status = requiredAttr(
      onlyChild(onlyChild(element, NS.samlp, 'Status'), NS.samlp, 'StatusCode'),
      'Value',
    );
    if (status !== STATUS_SUCCESS) throw new XmlShapeError(`LogoutResponse status ${status}`);
  }
}

/** One-time ids in memory: enough for one process; the application uses the database. */
export class MemoryOneTimeIds implements OneTimeIds {
  private readonly seen = new Map<string, number>();
  constructor(private readonly clock: Clock) {}
  claim(id: string, expiresAt: Date): Promise<boolean> {
    const now = this.clock.now().getTime();
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    if (this.seen.has(id)) return Promise.resolve(false);
    this.seen.set(id, expiresAt.getTime());
    return Promise.resolve(true);
  }
}
