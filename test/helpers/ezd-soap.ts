import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The independent EZD connector: python3-zeep with python3-xmlsec (WS-Security both ways). */
const CLIENT = path.join(import.meta.dirname, 'ezd_client.py');

export interface ConnectorKey {
  key: string;
  cert: string;
  /** The seal certificates the connector trusts in answers, when not the test's default. */
  seals?: string;
}

/** A connector's RSA key and self-signed certificate, as files in `dir`. */
export async function makeConnectorKey(dir: string, name: string): Promise<ConnectorKey> {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '30',
    '-subj',
    `/CN=${name}/O=Urzad Testowy`,
  ]);
  return { key, cert };
}

/** Runs the zeep connector against one of our SOAP services; returns its JSON answer. */
export async function runEzdClient(
  baseUrl: string,
  service: 'pull' | 'skrytka' | 'doreczyciel',
  who: ConnectorKey,
  sealFile: string,
  ...args: string[]
): Promise<Record<string, unknown>> {
  const url = `${baseUrl}/pk_external_ws/services/${service}`;
  const { stdout } = await run('/usr/bin/python3', [
    CLIENT,
    `${url}?wsdl`,
    url,
    who.key,
    who.cert,
    who.seals ?? sealFile,
    ...args,
  ]);
  return JSON.parse(stdout) as Record<string, unknown>;
}
