import { createHash } from 'node:crypto';
import { AppError } from '../domain/errors';
import { buildEmbeddedLetterXml } from '../domain/letters/embedded-letter';
import { xmlEscape } from '../domain/letters/general-letter';
import { deliveryOfReplyDocument } from './deliver-letter';
import type { ServiceDeps } from './deps';
import {
  recordRequestSignatureIn,
  type IntegrationSystem,
  type RequestSignature,
} from './integration-systems';
import type { TokenPrincipal } from './integration-tokens';
import { getOffice } from './offices';
import { acknowledge, countPending, leaseNext } from './pull-queue';
import { getDocument, type DocumentView } from './read-documents';

/**
 * The pull queue as ePUAP's `pull` service shows it: the same queue, leases and
 * acknowledgement as the REST API, with a system (known by its certificate) in place of a
 * token, and each document handed over as one XML document an EZD imports by itself.
 */
export interface PulledDocument {
  document: DocumentView;
  fileName: string;
  mediaType: string;
  content: Buffer;
  /** Base64 of an XML naming our document id, receipt id and the files' digests. */
  extraData: Buffer;
  sender: { accountId: string | null; firstName: string | null; surname: string };
}

const principalOf = (system: IntegrationSystem): TokenPrincipal => ({
  tokenId: `system:${system.id}`,
  officeId: system.officeId,
  scope: 'pull',
  name: system.name,
});

function mayUseBox(system: IntegrationSystem, boxName: string): void {
  if (!system.boxes.includes(boxName))
    throw new AppError({
      code: 'forbidden_box',
      status: 403,
      key: 'soap.error.box',
      params: { box: boxName },
    });
}

export async function soapCountPending(
  deps: Pick<ServiceDeps, 'db'>,
  input: { system: IntegrationSystem; boxName: string },
): Promise<number> {
  mayUseBox(input.system, input.boxName);
  return countPending(deps, input.system.officeId, input.boxName);
}

/** What an EZD receives for a document: the filed XML itself, or every file embedded in one envelope. */
async function pulledContent(
  deps: Pick<ServiceDeps, 'db' | 'blobs'>,
  document: DocumentView,
): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
  const [only] = document.files;
  if (document.files.length === 1 && only && /xml/.test(only.mediaType)) {
    return { fileName: only.name, mediaType: only.mediaType, content: await deps.blobs.read(only.sha256) };
  }
  const office = await getOffice(deps, document.officeId);
  const files = await Promise.all(
    document.files.map(async (f) => ({
      name: f.name,
      mediaType: f.mediaType,
      sha256: f.sha256,
      content: await deps.blobs.read(f.sha256),
    })),
  );
  const xml = buildEmbeddedLetterXml({
    documentId: document.documentId,
    receivedAt: new Date(document.receivedAt),
    office: { id: office.id, name: office.name },
    senderName: document.sender.name,
    title: document.title,
    files,
  });
  return { fileName: `${document.documentId}.xml`, mediaType: 'text/xml', content: Buffer.from(xml) };
}

async function extraDataOf(deps: Pick<ServiceDeps, 'db'>, document: DocumentView): Promise<Buffer> {
  // A proof of receipt of a letter the EZD sent echoes the ids the EZD gave it.
  const delivery = await deliveryOfReplyDocument(deps, document.documentId);
  const echo = delivery
    ? `<Doreczenie><IdentyfikatorZlecenia>${delivery.number}</IdentyfikatorZlecenia>` +
      (delivery.ezdDocumentId
        ? `<IdentyfikatorDokumentuNadawcy>${xmlEscape(delivery.ezdDocumentId)}</IdentyfikatorDokumentuNadawcy>`
        : '') +
      (delivery.ezdCaseId
        ? `<IdentyfikatorSprawy>${xmlEscape(delivery.ezdCaseId)}</IdentyfikatorSprawy>`
        : '') +
      `</Doreczenie>`
    : '';
  const files = document.files
    .map(
      (f) =>
        `<Plik pozycja="${f.position}" rola="${f.role}" nazwa="${xmlEscape(f.name)}" sha256="${f.sha256}" rozmiar="${f.size}"/>`,
    )
    .join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<DaneDodatkowe><IdentyfikatorDokumentu>${xmlEscape(document.documentId)}</IdentyfikatorDokumentu>` +
      `<IdentyfikatorUpp>${xmlEscape(document.receiptId)}</IdentyfikatorUpp><Pliki>${files}</Pliki>${signaturesOf(document)}${echo}</DaneDodatkowe>`,
  );
}

/** One stored signature finding, as far as the EZD is told of it. */
interface StoredFinding {
  file?: string;
  kind?: string;
  status?: string;
  category?: string;
  peselMatch?: boolean;
  signingTime?: string;
  revocation?: { status?: string };
  timestamp?: { status?: string; time?: string };
  reasons?: { key?: string }[];
}

/**
 * The signature verdicts, as the pull API reports them: per signature the file, format,
 * verdict, kind of signature, PESEL match with the sender's account, signing time, revocation
 * and the reasons (message keys). No names or PESEL numbers: the office reads those in the box.
 */
function signaturesOf(document: DocumentView): string {
  const findings = Array.isArray(document.signature.report)
    ? (document.signature.report as StoredFinding[])
    : [];
  const attr = (name: string, value: string | undefined) =>
    value === undefined ? '' : ` ${name}="${xmlEscape(value)}"`;
  const items = findings
    .map(
      (f) =>
        `<Podpis${attr('plik', f.file)}${attr('format', f.kind)}${attr('wynik', f.status)}` +
        `${attr('rodzaj', f.category)}${attr('zgodnoscPesel', f.peselMatch === undefined ? undefined : String(f.peselMatch))}` +
        `${attr('czasPodpisu', f.signingTime)}${attr('uniewaznienie', f.revocation?.status)}` +
        `${attr('znacznikCzasu', f.timestamp?.status === 'valid' ? f.timestamp.time : f.timestamp?.status)}` +
        `${attr(
          'powody',
          (f.reasons ?? [])
            .map((r) => r.key)
            .filter(Boolean)
            .join(' ') || undefined,
        )}/>`,
    )
    .join('');
  return `<Podpisy wynik="${xmlEscape(document.signature.status)}">${items}</Podpisy>`;
}

async function senderOf(
  deps: Pick<ServiceDeps, 'db'>,
  documentId: string,
): Promise<PulledDocument['sender']> {
  const row = await deps.db
    .selectFrom('documents')
    .select(['sender_type', 'sender_ref', 'sender_name'])
    .where('id', '=', documentId)
    .executeTakeFirstOrThrow();
  if (row.sender_type !== 'account') return { accountId: null, firstName: null, surname: row.sender_name };
  const [first, ...rest] = row.sender_name.trim().split(/\s+/);
  return {
    accountId: row.sender_ref,
    firstName: rest.length ? (first ?? null) : null,
    surname: rest.length ? rest.join(' ') : row.sender_name,
  };
}

/**
 * Leases the next document of the box to the system; undefined when the queue is empty. The
 * request's signature is recorded against replay in the lease's transaction (one commit).
 */
export async function soapPullNext(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'blobs'>,
  input: { system: IntegrationSystem; boxName: string; leaseMs: number; signature: RequestSignature },
): Promise<PulledDocument | undefined> {
  mayUseBox(input.system, input.boxName);
  const document = await deps.db.transaction().execute(async (tx) => {
    await recordRequestSignatureIn(tx, deps.clock, input.signature);
    return leaseNext(
      { ...deps, db: tx },
      { token: principalOf(input.system), boxName: input.boxName, leaseMs: input.leaseMs },
    );
  });
  if (!document) return undefined;
  const content = await pulledContent(deps, document);
  rememberHandedOut(document.documentId, content.content);
  return {
    document,
    ...content,
    extraData: await extraDataOf(deps, document),
    sender: await senderOf(deps, document.documentId),
  };
}

const base64Of = (algorithm: 'sha1' | 'sha256', content: Buffer) =>
  createHash(algorithm).update(content).digest('base64');

/**
 * The digests of what this process handed out, so an acknowledgement compares digests instead
 * of rebuilding every leased envelope. Only a shortcut: a document pulled through another node
 * (or forgotten) is rebuilt, as before.
 */
const handedOut = new Map<string, { sha1: string; sha256: string }>();
const HANDED_OUT_MAX = 10_000;

function rememberHandedOut(documentId: string, content: Buffer): void {
  if (handedOut.size >= HANDED_OUT_MAX) handedOut.delete(handedOut.keys().next().value as string);
  handedOut.set(documentId, { sha1: base64Of('sha1', content), sha256: base64Of('sha256', content) });
}

/**
 * Acknowledges the document the system pulled whose content has this digest: Base64 of SHA-1
 * (what connectors in use send) or of SHA-256. A digest that matches nothing acknowledges
 * nothing; false when no pulled, unconfirmed document matches. The request's signature is
 * recorded against replay in the acknowledgement's transaction (one commit); an
 * acknowledgement that fails records nothing, so the connector may send it again.
 */
export async function soapAcknowledge(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'blobs'>,
  input: { system: IntegrationSystem; boxName: string; skrot: string; signature: RequestSignature },
): Promise<boolean> {
  mayUseBox(input.system, input.boxName);
  const principal = principalOf(input.system);
  const leased = await deps.db
    .selectFrom('documents')
    .select('id')
    .where('office_id', '=', input.system.officeId)
    .where('box_name', '=', input.boxName)
    .where('lease_owner', '=', principal.tokenId)
    .where('acked_at', 'is', null)
    .orderBy('seq')
    .limit(50)
    .execute();
  const skrot = input.skrot.trim();
  const known = leased.filter(({ id }) => handedOut.has(id));
  const matching = known.find(({ id }) => {
    const digests = handedOut.get(id)!;
    return skrot === digests.sha1 || skrot === digests.sha256;
  });
  const candidates = matching ? [matching] : leased.filter(({ id }) => !handedOut.has(id));
  let found: { id: string; sha256: string | undefined } | undefined;
  for (const { id } of candidates) {
    const document = await getDocument(deps, { kind: 'token', token: principal }, id);
    if (!matching) {
      const { content } = await pulledContent(deps, document);
      if (skrot !== base64Of('sha1', content) && skrot !== base64Of('sha256', content)) continue;
    }
    const main = document.files.find((f) => f.role === 'main') ?? document.files[0];
    found = { id, sha256: main?.sha256 };
    break;
  }
  // A digest that matches nothing changes nothing, but the request is still remembered.
  await deps.db.transaction().execute(async (tx) => {
    await recordRequestSignatureIn(tx, deps.clock, input.signature);
    if (found)
      await acknowledge(
        { ...deps, db: tx },
        { token: principal, documentId: found.id, sha256: found.sha256 },
      );
  });
  if (!found) return false;
  handedOut.delete(found.id);
  return true;
}
