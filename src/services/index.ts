import { sql } from 'kysely';
import type { ServiceDeps } from './deps';
import { listConfirmationPoints } from './confirmation-points';
import { createDemoData } from './create-demo-data';
import { getOffice, listOffices } from './offices';
import { answerPoll, pollTotals } from './poll';
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
