import { sql } from 'kysely';
import type { Principal } from '../domain/roles';
import type { ServiceDeps } from './deps';
import { listAudit, verifyAuditChain } from './audit';
import { changePassword } from './change-password';
import { getManagedPoint, listConfirmationPoints, listManagedPoints, retirePoint, savePoint } from './confirmation-points';
import { createDemoData } from './create-demo-data';
import { confirmFresh, startFreshConfirmation, type FreshPurpose } from './fresh-confirmation';
import { isAccountTokenUsable } from './account-tokens';
import { logIn, logOut } from './log-in';
import { getOffice, listOffices } from './offices';
import { requestPasswordReset, resetPassword } from './password-reset';
import { answerPoll, pollTotals } from './poll';
import { registerAccount, type RegistrationInput } from './register-account';
import { grantRole, listStaffRoles, revokeRole, type GrantInput } from './roles';
import { completeSecondFactor, disableTotp, enableTotp, isTotpEnabled, pendingTotpSetup, startTotpSetup } from './second-factor';
import { endSession, loadSession } from './sessions';
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
    createDemoData: (options: { password?: string } = {}) => createDemoData(deps, options),

    registerAccount: (input: RegistrationInput) => registerAccount(deps, input),
    verifyEmail: (token: unknown) => verifyEmail(deps, token),
    isLinkUsable: (token: unknown, purpose: 'verify-email' | 'reset-password') => isAccountTokenUsable(deps, token, purpose),
    logIn: (input: { email: unknown; password: unknown; previousToken?: string | undefined }) => logIn(deps, input),
    logOut: (input: { token: string | undefined; accountId: string }) => logOut(deps, input),
    loadSession: (token: string | undefined) => loadSession(deps, token),
    endSession: (token: string | undefined) => endSession(deps, token),
    requestPasswordReset: (input: { email: unknown }) => requestPasswordReset(deps, input),
    resetPassword: (input: { token: unknown; password: unknown; passwordConfirm: unknown }) => resetPassword(deps, input),
    changePassword: (input: Parameters<typeof changePassword>[1]) => changePassword(deps, input),
    isTotpEnabled: (accountId: string) => isTotpEnabled(deps, accountId),
    startTotpSetup: (accountId: string) => startTotpSetup(deps, accountId),
    pendingTotpSetup: (accountId: string) => pendingTotpSetup(deps, accountId),
    enableTotp: (input: { accountId: string; code: unknown }) => enableTotp(deps, input),
    disableTotp: (input: { accountId: string; code: unknown }) => disableTotp(deps, input),
    completeSecondFactor: (input: { sessionId: string; accountId: string; code: unknown }) => completeSecondFactor(deps, input),
    startFreshConfirmation: (input: { accountId: string; purpose: FreshPurpose }) => startFreshConfirmation(deps, input),
    confirmFresh: (input: { accountId: string; challengeId: unknown; code: unknown; purpose: FreshPurpose }) => confirmFresh(deps, input),

    currentProfile: (accountId: string) => currentProfile(deps, accountId),
    applyForProfile: (input: { accountId: string } & ApplicationInput) => applyForProfile(deps, input),
    findApplications: (query: unknown) => findApplications(deps, query),
    getApplication: (id: string) => getApplication(deps, id),
    confirmProfile: (input: { officer: Principal; applicationId: string; pointId: unknown; documentType: unknown }) => confirmProfile(deps, input),
    rejectProfile: (input: { officer: Principal; applicationId: string; pointId: unknown; reason: unknown }) => rejectProfile(deps, input),
    extendProfile: (input: { accountId: string; challengeId: unknown; code: unknown }) => extendProfile(deps, input),
    revokeProfile: (input: { actor: Principal; profileId: string; reason: unknown }) => revokeProfile(deps, input),

    listManagedPoints: () => listManagedPoints(deps),
    getManagedPoint: (id: string) => getManagedPoint(deps, id),
    savePoint: (input: Parameters<typeof savePoint>[1]) => savePoint(deps, input),
    retirePoint: (input: { actorId: string; id: string }) => retirePoint(deps, input),
    grantRole: (input: GrantInput) => grantRole(deps, input),
    revokeRole: (input: { actorId: string; roleId: string }) => revokeRole(deps, input),
    listStaffRoles: () => listStaffRoles(deps),
    listAudit: (options: { before?: number; action?: string } = {}) => listAudit(deps, options),
    verifyAuditChain: () => verifyAuditChain(deps),

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
