import { signReceipt, verifyReceipt, type ReceiptInput, type ReceiptReport } from '../domain/receipts/index';
import { getOffice } from './offices';
import type { ServiceDeps } from './deps';

/** The office's seal certificate chain (PEM: seal certificate, then issuers); 404 for an unknown office. */
export async function getOfficeCertificateChain(
  deps: Pick<ServiceDeps, 'db' | 'seals'>,
  officeId: string,
): Promise<string> {
  const office = await getOffice(deps, officeId);
  return (await deps.seals.forOffice(office.id, office.name)).chainPem;
}

/** Signs a receipt with the seal of the office it names. */
export async function sealReceipt(deps: Pick<ServiceDeps, 'seals'>, input: ReceiptInput): Promise<string> {
  return signReceipt(input, await deps.seals.forOffice(input.office.id, input.office.name));
}

/** Verifies a receipt against the certification authorities this installation trusts. */
export async function checkReceipt(
  deps: Pick<ServiceDeps, 'seals' | 'clock'>,
  xml: Buffer,
): Promise<ReceiptReport> {
  return verifyReceipt(xml, { trustedCaPems: await deps.seals.trustedCaPems(), now: deps.clock.now() });
}
