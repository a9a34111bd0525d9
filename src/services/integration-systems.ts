import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { AppError } from '../domain/errors';
import type { ServiceDeps } from './deps';
import { getOffice } from './offices';

/**
 * Integration systems: an office's EZD calling the ePUAP-compatible SOAP services. A system is
 * known only by its certificate; the certificate alone decides which office and boxes a call
 * may touch (connectors do not sign the routing headers).
 */
export interface IntegrationSystem {
  id: string;
  officeId: string;
  name: string;
  boxes: string[];
  certificateSubject: string;
  certificateSha256: string;
  validTo: string;
  createdAt: string;
  revokedAt: string | null;
}

export const certificateDigest = (der: Buffer): string => createHash('sha256').update(der).digest('hex');

function parseCertificate(pem: string): X509Certificate {
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw badCertificate();
  try {
    return new X509Certificate(pem);
  } catch {
    throw badCertificate();
  }
}

const badCertificate = () =>
  new AppError({
    code: 'bad_certificate',
    status: 400,
    key: 'systems.error.certificate',
    fieldErrors: [{ field: 'certificate', key: 'systems.error.certificate' }],
  });

/** What a registered certificate says, decoded once per certificate rather than on every SOAP call. */
const decodedCertificates = new Map<string, { subject: string; validTo: string }>();

function certificateFacts(sha256: string, pem: string): { subject: string; validTo: string } {
  let facts = decodedCertificates.get(sha256);
  if (!facts) {
    const cert = new X509Certificate(pem);
    facts = { subject: cert.subject.replace(/\n/g, ', '), validTo: new Date(cert.validTo).toISOString() };
    if (decodedCertificates.size >= 1000) decodedCertificates.clear();
    decodedCertificates.set(sha256, facts);
  }
  return facts;
}

function view(row: {
  id: string;
  office_id: string;
  name: string;
  certificate_pem: string;
  certificate_sha256: string;
  boxes: string;
  created_at: string;
  revoked_at: string | null;
}): IntegrationSystem {
  const cert = certificateFacts(row.certificate_sha256, row.certificate_pem);
  return {
    id: row.id,
    officeId: row.office_id,
    name: row.name,
    boxes: JSON.parse(row.boxes) as string[],
    certificateSubject: cert.subject,
    certificateSha256: row.certificate_sha256,
    validTo: cert.validTo,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Registers a system; with no boxes given it may use every box of the office. */
export async function addIntegrationSystem(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { officeId: string; name: string; certificatePem: string; boxes?: string[] },
): Promise<IntegrationSystem> {
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new AppError({
      code: 'bad_name',
      status: 400,
      key: 'systems.error.name',
      fieldErrors: [{ field: 'name', key: 'systems.error.name' }],
    });
  const office = await getOffice(deps, input.officeId);
  const cert = parseCertificate(input.certificatePem.trim());
  const officeBoxes = office.boxes.map((b) => b.name);
  const boxes = input.boxes?.length ? [...new Set(input.boxes)] : officeBoxes;
  for (const box of boxes) {
    if (!officeBoxes.includes(box))
      throw new AppError({
        code: 'bad_box',
        status: 400,
        key: 'systems.error.box',
        params: { box },
        fieldErrors: [{ field: 'boxes', key: 'systems.error.box', params: { box } }],
      });
  }
  const digest = certificateDigest(cert.raw);
  const taken = await deps.db
    .selectFrom('integration_systems')
    .select('id')
    .where('certificate_sha256', '=', digest)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (taken)
    throw new AppError({ code: 'duplicate_certificate', status: 409, key: 'systems.error.duplicate' });
  const row = {
    id: randomUUID(),
    office_id: office.id,
    name,
    certificate_pem: cert.toString(),
    certificate_sha256: digest,
    boxes: JSON.stringify(boxes),
    created_at: deps.clock.now().toISOString(),
    revoked_at: null,
  };
  await deps.db.insertInto('integration_systems').values(row).execute();
  return view(row);
}

export async function listIntegrationSystems(
  deps: Pick<ServiceDeps, 'db'>,
  officeId: string,
): Promise<IntegrationSystem[]> {
  const rows = await deps.db
    .selectFrom('integration_systems')
    .selectAll()
    .where('office_id', '=', officeId)
    .orderBy('created_at')
    .execute();
  return rows.map(view);
}

/** Revokes a system at once; `officeId` limits the revocation to one office's systems. */
export async function revokeIntegrationSystem(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { systemId: string; officeId?: string },
): Promise<boolean> {
  let query = deps.db
    .updateTable('integration_systems')
    .set({ revoked_at: deps.clock.now().toISOString() })
    .where('id', '=', input.systemId)
    .where('revoked_at', 'is', null);
  if (input.officeId) query = query.where('office_id', '=', input.officeId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The active system holding this certificate (DER), or undefined. */
export async function systemByCertificate(
  deps: Pick<ServiceDeps, 'db'>,
  certificateDer: Buffer,
): Promise<IntegrationSystem | undefined> {
  const row = await deps.db
    .selectFrom('integration_systems')
    .selectAll()
    .where('certificate_sha256', '=', certificateDigest(certificateDer))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? view(row) : undefined;
}

/** A request's signature, remembered against replay for `keepMs`. */
export interface RequestSignature {
  signatureValue: string;
  keepMs: number;
}

export const replayRefused = () => new AppError({ code: 'replay', status: 409, key: 'soap.error.replay' });

const signatureDigest = (signatureValue: string) => createHash('sha256').update(signatureValue).digest('hex');

/**
 * Records a request's signature as seen in the transaction `tx` of the operation it asks for,
 * so the operation and its replay record are one commit: if the operation fails, the request
 * is not remembered and may be sent again; a replay is refused (and the transaction undone).
 */
export async function recordRequestSignatureIn(
  tx: ServiceDeps['db'],
  clock: ServiceDeps['clock'],
  signature: RequestSignature,
): Promise<void> {
  const inserted = await tx
    .insertInto('soap_seen_signatures')
    .values({
      digest: signatureDigest(signature.signatureValue),
      expires_at: new Date(clock.now().getTime() + signature.keepMs).toISOString(),
    })
    .onConflict((oc) => oc.column('digest').doNothing())
    .returning('digest')
    .execute();
  if (inserted.length === 0) throw replayRefused();
}

interface SeenSignature {
  digest: string;
  expiresAt: string;
  done: (fresh: boolean) => void;
  failed: (error: unknown) => void;
}
/** Signatures waiting to be recorded, per database: written together, one commit for many requests. */
const seenQueues = new WeakMap<object, { waiting: SeenSignature[]; writing: boolean }>();
const SEEN_BATCH = 500;

/**
 * Records a request's signature as seen; false when it was seen before (a replay). Rows expire
 * with the freshness window, after which the Timestamp check refuses the request anyway. For
 * operations that do not record it in their own transaction (`recordRequestSignatureIn`).
 *
 * Requests arriving while a write is under way are recorded together by the next one (group
 * commit): each still waits for its own row to be committed, but many connectors polling at
 * once cost one commit instead of one each. Of two equal signatures in one batch the first wins.
 */
export function recordRequestSignature(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: RequestSignature,
): Promise<boolean> {
  const now = deps.clock.now();
  const digest = signatureDigest(input.signatureValue);
  let queue = seenQueues.get(deps.db);
  if (!queue) {
    queue = { waiting: [], writing: false };
    seenQueues.set(deps.db, queue);
  }
  const recorded = new Promise<boolean>((done, failed) =>
    queue.waiting.push({
      digest,
      expiresAt: new Date(now.getTime() + input.keepMs).toISOString(),
      done,
      failed,
    }),
  );
  if (!queue.writing) void writeSeenSignatures(deps, queue);
  return recorded;
}

async function writeSeenSignatures(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  queue: { waiting: SeenSignature[]; writing: boolean },
): Promise<void> {
  queue.writing = true;
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, SEEN_BATCH);
      try {
        const rows = new Map<string, string>();
        for (const seen of batch) if (!rows.has(seen.digest)) rows.set(seen.digest, seen.expiresAt);
        const inserted = await deps.db
          .insertInto('soap_seen_signatures')
          .values([...rows].map(([digest, expiresAt]) => ({ digest, expires_at: expiresAt })))
          .onConflict((oc) => oc.column('digest').doNothing())
          .returning('digest')
          .execute();
        const fresh = new Set(inserted.map((row) => row.digest));
        for (const seen of batch) seen.done(fresh.delete(seen.digest));
      } catch (error) {
        for (const seen of batch) seen.failed(error);
      }
    }
    if (Math.random() < 0.01)
      await deps.db
        .deleteFrom('soap_seen_signatures')
        .where('expires_at', '<', deps.clock.now().toISOString())
        .execute();
  } catch {
    // Expired rows are only clutter; the next cleanup removes them.
  } finally {
    queue.writing = false;
  }
  if (queue.waiting.length > 0) void writeSeenSignatures(deps, queue);
}
