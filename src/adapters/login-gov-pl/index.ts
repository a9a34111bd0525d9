import fs from 'node:fs/promises';
import type { LoginGovPlConfig } from '../../config';
import type { Clock } from '../../ports/clock';
import type { NationalNode, OneTimeIds } from '../../ports/national-node';
import { LoginGovPlClient, httpSoapTransport, type SoapTransport } from './client';
import { loadOrGenerateSamlKey } from './key-pair';
import { parseNodeMetadata, type NodeDescription, type ServiceProvider } from './messages';
import { NationalNodeSimulator } from './simulator';

export { NationalNodeSimulator, SIMULATOR_PEOPLE, SIMULATOR_AUTHORITIES } from './simulator';

export interface NationalLoginSetup {
  node: NationalNode;
  /** Present when the built-in simulator plays the national node. */
  simulator: NationalNodeSimulator | undefined;
  /** Where the browser is sent with the AuthnRequest (for the CSP's form-action); undefined when it is this site. */
  ssoOrigin: string | undefined;
}

export const SIMULATOR_PATH = '/login-gov-pl/symulator';

/**
 * Builds the national login from the settings: the node's metadata file, or the built-in
 * simulator answering in-process; undefined when neither is configured.
 */
/** The service provider's signing and encryption keys, generated the first time. */
async function serviceProviderKeys(config: LoginGovPlConfig, now: Date) {
  return {
    signing: await loadOrGenerateSamlKey(
      config.keysDir,
      'login-gov-pl-signing',
      `${config.providerName} (SAML)`,
      now,
    ),
    encryption: await loadOrGenerateSamlKey(
      config.keysDir,
      'login-gov-pl-encryption',
      `${config.providerName} (SAML encryption)`,
      now,
    ),
  };
}

/**
 * Generates the service provider's keys once before several processes start (`serve` with
 * WORKERS): each is a key and a certificate in two files, which processes generating at the
 * same moment would mix.
 */
export async function prepareNationalLoginKeys(config: LoginGovPlConfig, now: Date): Promise<void> {
  if (config.metadataPath || config.simulator) await serviceProviderKeys(config, now);
}

export async function createNationalLogin(options: {
  config: LoginGovPlConfig;
  publicUrl: string;
  oneTimeIds: OneTimeIds;
  clock: Clock;
}): Promise<NationalLoginSetup | undefined> {
  const { config, publicUrl, clock } = options;
  if (!config.metadataPath && !config.simulator) return undefined;
  const now = clock.now();
  const sp: ServiceProvider = {
    entityId: config.entityId,
    providerName: config.providerName,
    acsUrl: `${publicUrl}/login-gov-pl/acs`,
    logoutReturnUrl: `${publicUrl}/login-gov-pl/wyloguj`,
    ...(await serviceProviderKeys(config, now)),
    minimumLevel: 'http://eidas.europa.eu/LoA/substantial',
    clockSkewMs: 60_000,
  };
  let node: NodeDescription;
  let transport: SoapTransport = httpSoapTransport;
  let simulator: NationalNodeSimulator | undefined;
  if (config.metadataPath) {
    node = parseNodeMetadata(await fs.readFile(config.metadataPath, 'utf8'));
  } else {
    // Same site, so a relative address: the browser reaches it at whatever host it used.
    simulator = await NationalNodeSimulator.create({ baseUrl: SIMULATOR_PATH, clock });
    simulator.trust({
      entityId: sp.entityId,
      acsUrl: sp.acsUrl,
      signingCertificatePem: sp.signing.certificatePem,
      encryptionPublicKey: sp.encryption.publicKey,
    });
    node = simulator.description;
    const sim = simulator;
    transport = (url, envelope) =>
      Promise.resolve(url === node.logoutUrl ? sim.logout(envelope) : sim.resolveArtifact(envelope));
  }
  return {
    node: new LoginGovPlClient(sp, node, options.oneTimeIds, clock, transport),
    simulator,
    ssoOrigin: simulator ? undefined : new URL(node.ssoUrl).origin,
  };
}
