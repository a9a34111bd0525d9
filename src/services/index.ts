import { sql } from 'kysely';
import type { ServiceDeps } from './deps';
import { listConfirmationPoints } from './confirmation-points';
import { createDemoData } from './create-demo-data';
import { getOffice, listOffices } from './offices';
import { answerPoll, pollTotals } from './poll';
import { authenticateToken, createIntegrationToken, revokeIntegrationToken } from './integration-tokens';
import { getDocument, getReceipt, type Reader } from './read-documents';
import { submitDocument, type SubmitInput } from './submit-document';
import { acknowledge, countPending, leaseNext } from './pull-queue';
import { fileDraft, getDraft, listLetters, saveDraft } from './letter-drafts';
import type { TokenPrincipal } from './integration-tokens';
import { checkReceipt, getOfficeCertificateChain, sealReceipt } from './receipts';
import type { ReceiptInput } from '../domain/receipts/index';
import { consistencyProof, inclusionProof, latestCheckpoint, logEntry, logTile, logTreeSize, logVerifierKey, signCheckpointIfGrown } from './transparency-log';
import type { TileRef } from '../domain/tlog/tiles';

/**
 * The use cases, bound to their ports: what the HTTP layer and the command line call.
 */
export function createServices(deps: ServiceDeps) {
  return {
    deps,
    listOffices: () => listOffices(deps),
    getOffice: (officeId: string) => getOffice(deps, officeId),
    listConfirmationPoints: () => listConfirmationPoints(deps),
    answerPoll: (input: { browserToken: string; answer: unknown }) => answerPoll(deps, input),
    pollTotals: () => pollTotals(deps),
    createIntegrationToken: (input: { officeId: string; scope: string; name: string }) => createIntegrationToken(deps, input),
    revokeIntegrationToken: (tokenId: string) => revokeIntegrationToken(deps, tokenId),
    authenticateToken: (authorization: string | undefined) => authenticateToken(deps, authorization),
    submitDocument: (input: SubmitInput) => submitDocument(deps, input),
    getDocument: (reader: Reader, documentId: string) => getDocument(deps, reader, documentId),
    getReceipt: (reader: Reader, receiptId: string) => getReceipt(deps, reader, receiptId),
    countPending: (officeId: string, boxName: string) => countPending(deps, officeId, boxName),
    leaseNext: (input: { token: TokenPrincipal; boxName: string; leaseMs: number }) => leaseNext(deps, input),
    acknowledge: (input: { token: TokenPrincipal; documentId: string; sha256: unknown }) => acknowledge(deps, input),
    saveDraft: (input: Parameters<typeof saveDraft>[1]) => saveDraft(deps, input),
    getDraft: (accountId: string, draftId: string) => getDraft(deps, accountId, draftId),
    listLetters: (accountId: string) => listLetters(deps, accountId),
    fileDraft: (input: Parameters<typeof fileDraft>[1]) => fileDraft(deps, input),
    getOfficeCertificateChain: (officeId: string) => getOfficeCertificateChain(deps, officeId),
    sealReceipt: (input: ReceiptInput) => sealReceipt(deps, input),
    checkReceipt: (xml: Buffer) => checkReceipt(deps, xml),
    createDemoData: (options: { password?: string } = {}) => createDemoData(deps, options),
    latestCheckpoint: () => latestCheckpoint(deps),
    signCheckpointIfGrown: () => signCheckpointIfGrown(deps),
    logVerifierKey: () => logVerifierKey(deps),
    logTreeSize: () => logTreeSize(deps),
    logEntry: (index: number) => logEntry(deps, index),
    inclusionProof: (index: number, size: number) => inclusionProof(deps, index, size),
    consistencyProof: (from: number, to: number) => consistencyProof(deps, from, to),
    logTile: (tile: TileRef) => logTile(deps, tile),
    async readiness(): Promise<{ database: boolean; blobs: boolean }> {
      const [database, blobs] = await Promise.all([
        sql`select 1`.execute(deps.db).then(() => true, () => false),
        deps.blobs.ping().then(() => true, () => false),
      ]);
      return { database, blobs };
    },
  };
}

export type Services = ReturnType<typeof createServices>;
