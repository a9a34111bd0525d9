import { sql } from 'kysely';
import type { Principal } from '../domain/roles';
import type { ServiceDeps } from './deps';
import { listAudit, verifyAuditChain } from './audit';
import { runFsck } from './fsck';
import { operationalGauges } from './operational-gauges';
import { changePassword } from './change-password';
import {
  getManagedPoint,
  listConfirmationPoints,
  listManagedPoints,
  retirePoint,
  savePoint,
} from './confirmation-points';
import { createDemoData } from './create-demo-data';
import {
  confirmFresh,
  openFreshChallenge,
  startFreshConfirmation,
  type FreshPurpose,
} from './fresh-confirmation';
import { isAccountTokenUsable } from './account-tokens';
import { logIn, logOut } from './log-in';
import {
  claimOneTimeId,
  documentAuthentication,
  logInNationally,
  sessionAuthentication,
} from './national-login';
import type { NationalLogin } from '../ports/national-node';
import { getOffice, largestOfficeLimit, listOffices, saveOffice, setDeemedDelivery } from './offices';
import { requestPasswordReset, resetPassword } from './password-reset';
import { answerPoll, pollTotals } from './poll';
import {
  authenticateToken,
  createIntegrationToken,
  listIntegrationTokens,
  revokeIntegrationToken,
} from './integration-tokens';
import { getDocument, getReceipt, type Reader } from './read-documents';
import {
  addNote,
  assignDocument,
  closeDocument,
  downloadOfficeFile,
  ensureDepartment,
  exportJournal,
  listBox,
  listDepartments,
  openOfficeDocument,
  registerDocument,
} from './office-box';
import { submitDocument, type SubmitInput } from './submit-document';
import { acknowledge, countPending, leaseNext } from './pull-queue';
import {
  addIntegrationSystem,
  listIntegrationSystems,
  recordRequestSignature,
  revokeIntegrationSystem,
  systemByCertificate,
  type IntegrationSystem,
  type RequestSignature,
} from './integration-systems';
import { soapAcknowledge, soapCountPending, soapPullNext } from './soap-pull';
import { soapDeliver } from './soap-deliver';
import {
  fileDraft,
  getDraft,
  getSentLetter,
  listLetters,
  listSentLetters,
  saveDraft,
  sentLetterFile,
} from './letter-drafts';
import { fileLetter } from './file-letter';
import { fileReadyDocument } from './file-ready-document';
import type { TokenPrincipal } from './integration-tokens';
import { checkReceipt, getOfficeCertificateChain, sealReceipt } from './receipts';
import type { ReceiptInput } from '../domain/receipts/index';
import {
  checkLogKeyIsShared,
  consistencyProof,
  inclusionProof,
  latestCheckpoint,
  logEntry,
  logTile,
  logTreeSize,
  logVerifierKey,
  signCheckpointIfGrown,
} from './transparency-log';
import type { TileRef } from '../domain/tlog/tiles';
import { registerAccount, type RegistrationInput } from './register-account';
import { grantRole, listStaffRoles, revokeRole, type GrantInput } from './roles';
import {
  completeSecondFactor,
  disableTotp,
  enableTotp,
  isTotpEnabled,
  pendingTotpSetup,
  startTotpSetup,
} from './second-factor';
import { endSession, extendSession, loadSession } from './sessions';
import {
  applyForProfile,
  confirmProfile,
  currentProfile,
  extendProfile,
  findApplications,
  getApplication,
  rejectProfile,
  revokeProfile,
  type ApplicationInput,
} from './trusted-profiles';
import { verifyEmail } from './verify-email';
import { verificationFilesLimit, verifyUploadedReceipt } from './verify-upload';
import type { GivenFile } from '../domain/verification/index';
import { createJobHandlers } from './job-handlers';
import {
  compareNodes,
  recordRotatedSeal,
  registerNode,
  runningNodes,
  touchNode,
  unregisterNode,
  type NodeDescription,
} from './nodes';
import {
  confirmReceipt,
  deliverLetter,
  downloadDeliveryFile,
  getOfficeDelivery,
  getResidentDelivery,
  listRepliesTo,
  listResidentDeliveries,
  replyRecipientOf,
  type DeliverInput,
} from './deliver-letter';
import { completeIdempotencyKey, reserveIdempotencyKey } from './idempotency';
import {
  claimDueJobs,
  enqueue,
  pruneFinished,
  runClaimedJob,
  runDueJobs,
  type ClaimedJob,
  type JobHandlers,
  type NewJob,
  type RunnerOptions,
} from './jobs';
import { exportResidentData } from './resident-export';
import { cleanUpOrphanBlobs, type CleanupOptions } from './blobs-cleanup';
import { countRateLimitHit, flushRateLimitCounters, pruneRateLimitCounters } from './rate-limit-counters';
import { groupCommitStats } from './group-commit';
import { acquireLease, leaseHolder, releaseLease } from './leases';
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayWebhookDelivery,
  type WebhookActor,
} from './webhooks';

/**
 * The use cases, bound to their ports: what the HTTP layer and the command line call.
 */
export function createServices(deps: ServiceDeps) {
  const jobHandlers = createJobHandlers(deps);
  return {
    jobHandlers,
    /** Receives an uploaded stream into staging (a filing, a letter) before it is validated. */
    stageUpload: (stream: Parameters<ServiceDeps['blobs']['stage']>[0]) => deps.blobs.stage(stream),
    /** A stored file's content, for a caller that has already been shown the document. */
    readBlob: (sha256: string) => deps.blobs.get(sha256),
    /** Where a receipt's readers verify it (printed on the receipt's PDF). */
    verificationUrl: () => `${deps.config.publicUrl}/weryfikacja`,
    trustedCaPems: () => deps.seals.trustedCaPems(),
    /** The installation's clock (SOAP timestamps and signatures are checked against it). */
    now: () => deps.clock.now(),
    /** Seals for signing answers outside a receipt (the SOAP gateway signs every answer). */
    platformSeal: () => deps.seals.platform(),
    officeSeal: (officeId: string, officeName: string) => deps.seals.forOffice(officeId, officeName),
    enqueueJob: (job: NewJob) => enqueue(deps.db, job),
    claimDueJobs: (options: RunnerOptions) => claimDueJobs(deps, options),
    runClaimedJob: (job: ClaimedJob, runnerId: string) => runClaimedJob(deps, jobHandlers, job, runnerId),
    /** Runs the due jobs now; tests may pass handlers of their own. */
    runDueJobs: (options: RunnerOptions, handlers: JobHandlers = jobHandlers) =>
      runDueJobs(deps, handlers, options),
    reserveIdempotencyKey: (input: Parameters<typeof reserveIdempotencyKey>[1]) =>
      reserveIdempotencyKey(deps, input),
    completeIdempotencyKey: (input: Parameters<typeof completeIdempotencyKey>[1]) =>
      completeIdempotencyKey(deps, input),
    pruneFinished: () => pruneFinished(deps),
    cleanUpOrphanBlobs: (options: CleanupOptions) => cleanUpOrphanBlobs(deps, options),
    countRateLimitHit: (key: string, windowMs: number) => countRateLimitHit(deps, key, windowMs),
    pruneRateLimitCounters: () => pruneRateLimitCounters(deps),
    /** Writes the rate-limit hits counted in memory (SQLite) to the shared table. */
    flushRateLimitCounters: () => flushRateLimitCounters(deps),
    /** Receipt transactions and the callers they carried on this node (filings per commit). */
    groupCommitStats: () => groupCommitStats(deps),
    acquireLease: (name: string, holder: string, ttlMs: number) => acquireLease(deps, name, holder, ttlMs),
    releaseLease: (name: string, holder: string) => releaseLease(deps, name, holder),
    leaseHolder: (name: string) => leaseHolder(deps, name),
    createWebhookEndpoint: (input: Parameters<typeof createWebhookEndpoint>[1]) =>
      createWebhookEndpoint(deps, input),
    listWebhookEndpoints: (officeId: string) => listWebhookEndpoints(deps, officeId),
    disableWebhookEndpoint: (actor: WebhookActor, officeId: string, endpointId: string) =>
      disableWebhookEndpoint(deps, actor, officeId, endpointId),
    listWebhookDeliveries: (officeId: string, endpointId: string) =>
      listWebhookDeliveries(deps, officeId, endpointId),
    replayWebhookDelivery: (actor: WebhookActor, officeId: string, deliveryId: string) =>
      replayWebhookDelivery(deps, actor, officeId, deliveryId),
    listOffices: () => listOffices(deps),
    saveOffice: (input: Parameters<typeof saveOffice>[1]) => saveOffice(deps, input),
    largestOfficeLimit: () => largestOfficeLimit(deps),
    getOffice: (officeId: string) => getOffice(deps, officeId),
    setDeemedDelivery: (input: Parameters<typeof setDeemedDelivery>[1]) => setDeemedDelivery(deps, input),
    addIntegrationSystem: (input: {
      officeId: string;
      name: string;
      certificatePem: string;
      boxes?: string[];
    }) => addIntegrationSystem(deps, input),
    listIntegrationSystems: (officeId: string) => listIntegrationSystems(deps, officeId),
    revokeIntegrationSystem: (input: { systemId: string; officeId?: string }) =>
      revokeIntegrationSystem(deps, input),
    systemByCertificate: (der: Buffer) => systemByCertificate(deps, der),
    recordRequestSignature: (input: RequestSignature) => recordRequestSignature(deps, input),
    soapCountPending: (input: { system: IntegrationSystem; boxName: string }) =>
      soapCountPending(deps, input),
    soapPullNext: (input: Parameters<typeof soapPullNext>[1]) => soapPullNext(deps, input),
    soapAcknowledge: (input: Parameters<typeof soapAcknowledge>[1]) => soapAcknowledge(deps, input),
    soapDeliver: (input: Parameters<typeof soapDeliver>[1]) => soapDeliver(deps, input),
    listConfirmationPoints: () => listConfirmationPoints(deps),
    answerPoll: (input: { browserToken: string; answer: unknown }) => answerPoll(deps, input),
    pollTotals: () => pollTotals(deps),
    createIntegrationToken: (input: Parameters<typeof createIntegrationToken>[1]) =>
      createIntegrationToken(deps, input),
    listIntegrationTokens: (officeId: string) => listIntegrationTokens(deps, officeId),
    revokeIntegrationToken: (tokenId: string, options?: Parameters<typeof revokeIntegrationToken>[2]) =>
      revokeIntegrationToken(deps, tokenId, options),
    authenticateToken: (authorization: string | undefined) => authenticateToken(deps, authorization),
    submitDocument: (input: SubmitInput) => submitDocument(deps, input),
    deliverLetter: (input: DeliverInput) => deliverLetter(deps, input),
    confirmReceipt: (input: Parameters<typeof confirmReceipt>[1]) => confirmReceipt(deps, input),
    getOfficeDelivery: (officeId: string, deliveryId: string) =>
      getOfficeDelivery(deps, officeId, deliveryId),
    getResidentDelivery: (accountId: string, deliveryId: string) =>
      getResidentDelivery(deps, accountId, deliveryId),
    listResidentDeliveries: (accountId: string) => listResidentDeliveries(deps, accountId),
    listRepliesTo: (officeId: string, documentId: string) => listRepliesTo(deps, officeId, documentId),
    replyRecipientOf: (officeId: string, documentId: string) => replyRecipientOf(deps, officeId, documentId),
    exportResidentData: (accountId: string) => exportResidentData(deps, { accountId }),
    downloadDeliveryFile: (accountId: string, deliveryId: string, position: number) =>
      downloadDeliveryFile(deps, accountId, deliveryId, position),
    getDocument: (reader: Reader, documentId: string) => getDocument(deps, reader, documentId),
    getReceipt: (reader: Reader, receiptId: string) => getReceipt(deps, reader, receiptId),
    countPending: (officeId: string, boxName: string) => countPending(deps, officeId, boxName),
    leaseNext: (input: { token: TokenPrincipal; boxName: string; leaseMs: number }) => leaseNext(deps, input),
    acknowledge: (input: { token: TokenPrincipal; documentId: string; sha256: unknown }) =>
      acknowledge(deps, input),
    saveDraft: (input: Parameters<typeof saveDraft>[1]) => saveDraft(deps, input),
    getDraft: (accountId: string, draftId: string) => getDraft(deps, accountId, draftId),
    listLetters: (accountId: string) => listLetters(deps, accountId),
    listSentLetters: (accountId: string) => listSentLetters(deps, accountId),
    getSentLetter: (accountId: string, documentId: string) => getSentLetter(deps, accountId, documentId),
    sentLetterFile: (accountId: string, documentId: string, position: number) =>
      sentLetterFile(deps, accountId, documentId, position),
    fileDraft: (input: Parameters<typeof fileDraft>[1]) => fileDraft(deps, input),
    fileLetter: (input: Parameters<typeof fileLetter>[1]) => fileLetter(deps, input),
    fileReadyDocument: (input: Parameters<typeof fileReadyDocument>[1]) => fileReadyDocument(deps, input),
    getOfficeCertificateChain: (officeId: string) => getOfficeCertificateChain(deps, officeId),
    sealReceipt: (input: ReceiptInput) => sealReceipt(deps, input),
    checkReceipt: (xml: Buffer) => checkReceipt(deps, xml),
    verifyUploadedReceipt: (input: { xml: Buffer; files: GivenFile[] }) => verifyUploadedReceipt(deps, input),
    verificationFilesLimit: () => verificationFilesLimit(deps),
    createDemoData: (options: { password?: string } = {}) => createDemoData(deps, options),
    latestCheckpoint: () => latestCheckpoint(deps),
    operationalGauges: () => operationalGauges(deps),
    checkLogKeyIsShared: () => checkLogKeyIsShared(deps),
    /** The platform seal is the installation's (recorded by the first node) or start is refused. */
    checkKeysAreShared: async () => {
      await deps.seals.platform();
    },
    registerNode: (nodeId: string, description: NodeDescription) => registerNode(deps, nodeId, description),
    touchNode: (nodeId: string) => touchNode(deps, nodeId),
    unregisterNode: (nodeId: string) => unregisterNode(deps, nodeId),
    runningNodes: () => runningNodes(deps),
    compareRunningNodes: async () => compareNodes(await runningNodes(deps)),
    recordRotatedSeal: (target: Parameters<typeof recordRotatedSeal>[2]) =>
      recordRotatedSeal(deps, deps.seals, target),
    signCheckpointIfGrown: () => signCheckpointIfGrown(deps),
    logVerifierKey: () => logVerifierKey(deps),
    logTreeSize: () => logTreeSize(deps),
    logEntry: (index: number) => logEntry(deps, index),
    inclusionProof: (index: number, size: number) => inclusionProof(deps, index, size),
    consistencyProof: (from: number, to: number) => consistencyProof(deps, from, to),
    logTile: (tile: TileRef) => logTile(deps, tile),

    registerAccount: (input: RegistrationInput) => registerAccount(deps, input),
    verifyEmail: (token: unknown) => verifyEmail(deps, token),
    isLinkUsable: (token: unknown, purpose: 'verify-email' | 'reset-password') =>
      isAccountTokenUsable(deps, token, purpose),
    logIn: (input: Parameters<typeof logIn>[1]) => logIn(deps, input),
    logOut: (input: { token: string | undefined; accountId: string }) => logOut(deps, input),
    claimOneTimeId: (id: string, expiresAt: Date) => claimOneTimeId(deps, id, expiresAt),
    logInNationally: (input: { login: NationalLogin; previousToken?: string | undefined }) =>
      logInNationally(deps, input),
    sessionAuthentication: (token: string | undefined) => sessionAuthentication(deps, token),
    documentAuthentication: (documentId: string) => documentAuthentication(deps, documentId),
    loadSession: (token: string | undefined) => loadSession(deps, token),
    endSession: (token: string | undefined) => endSession(deps, token),
    extendSession: (token: string | undefined) => extendSession(deps, token),
    requestPasswordReset: (input: { email: unknown }) => requestPasswordReset(deps, input),
    resetPassword: (input: { token: unknown; password: unknown; passwordConfirm: unknown }) =>
      resetPassword(deps, input),
    changePassword: (input: Parameters<typeof changePassword>[1]) => changePassword(deps, input),
    isTotpEnabled: (accountId: string) => isTotpEnabled(deps, accountId),
    startTotpSetup: (accountId: string) => startTotpSetup(deps, accountId),
    pendingTotpSetup: (accountId: string) => pendingTotpSetup(deps, accountId),
    enableTotp: (input: Parameters<typeof enableTotp>[1]) => enableTotp(deps, input),
    disableTotp: (input: { accountId: string; code: unknown }) => disableTotp(deps, input),
    completeSecondFactor: (input: { sessionId: string; accountId: string; code: unknown }) =>
      completeSecondFactor(deps, input),
    startFreshConfirmation: (input: { accountId: string; purpose: FreshPurpose }) =>
      startFreshConfirmation(deps, input),
    openFreshChallenge: (input: { accountId: string; challengeId: unknown; purpose: FreshPurpose }) =>
      openFreshChallenge(deps, input),
    confirmFresh: (input: {
      accountId: string;
      challengeId: unknown;
      code: unknown;
      purpose: FreshPurpose;
    }) => confirmFresh(deps, input),

    currentProfile: (accountId: string) => currentProfile(deps, accountId),
    applyForProfile: (input: { accountId: string } & ApplicationInput) => applyForProfile(deps, input),
    findApplications: (query: unknown) => findApplications(deps, query),
    getApplication: (id: string) => getApplication(deps, id),
    confirmProfile: (input: {
      officer: Principal;
      applicationId: string;
      pointId: unknown;
      documentType: unknown;
    }) => confirmProfile(deps, input),
    rejectProfile: (input: {
      officer: Principal;
      applicationId: string;
      pointId: unknown;
      reason: unknown;
    }) => rejectProfile(deps, input),
    extendProfile: (input: { accountId: string; challengeId: unknown; code: unknown }) =>
      extendProfile(deps, input),
    revokeProfile: (input: { actor: Principal; profileId: string; reason: unknown }) =>
      revokeProfile(deps, input),

    listManagedPoints: () => listManagedPoints(deps),
    getManagedPoint: (id: string) => getManagedPoint(deps, id),
    savePoint: (input: Parameters<typeof savePoint>[1]) => savePoint(deps, input),
    retirePoint: (input: { actorId: string; id: string }) => retirePoint(deps, input),
    grantRole: (input: GrantInput) => grantRole(deps, input),
    revokeRole: (input: { actorId: string; roleId: string }) => revokeRole(deps, input),
    listStaffRoles: () => listStaffRoles(deps),
    listAudit: (options: { before?: number; action?: string } = {}) => listAudit(deps, options),
    verifyAuditChain: () => verifyAuditChain(deps),
    fsck: (options: { quick?: boolean } = {}) => runFsck(deps, options),

    listBox: (officeId: string, query: Record<string, unknown>) => listBox(deps, officeId, query),
    listDepartments: (officeId: string) => listDepartments(deps, officeId),
    ensureDepartment: (officeId: string, name: string) => ensureDepartment(deps, officeId, name),
    openOfficeDocument: (input: Parameters<typeof openOfficeDocument>[1]) => openOfficeDocument(deps, input),
    downloadOfficeFile: (input: Parameters<typeof downloadOfficeFile>[1]) => downloadOfficeFile(deps, input),
    registerDocument: (input: Parameters<typeof registerDocument>[1]) => registerDocument(deps, input),
    assignDocument: (input: Parameters<typeof assignDocument>[1]) => assignDocument(deps, input),
    addNote: (input: Parameters<typeof addNote>[1]) => addNote(deps, input),
    closeDocument: (input: Parameters<typeof closeDocument>[1]) => closeDocument(deps, input),
    exportJournal: (input: Parameters<typeof exportJournal>[1]) => exportJournal(deps, input),

    /**
     * Whether the database and the blob store answer, each within `budgetMs`: a frozen
     * dependency makes its check false in time instead of holding the answer.
     */
    async readiness(budgetMs = READINESS_BUDGET_MS): Promise<{ database: boolean; blobs: boolean }> {
      const [database, blobs] = await Promise.all([
        withinBudget(sql`select 1`.execute(deps.db), budgetMs),
        withinBudget(deps.blobs.ping(), budgetMs),
      ]);
      return { database, blobs };
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/** /readyz answers within this, whatever the dependencies do. */
export const READINESS_BUDGET_MS = 2_000;

/** True if `check` succeeds within `budgetMs`; false if it fails or takes longer. */
function withinBudget(check: Promise<unknown>, budgetMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), budgetMs);
    check.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}
