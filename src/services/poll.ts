import { createHash } from 'node:crypto';
import { badRequest } from '../domain/errors';
import { ENTREPRENEUR_POLL, isPollAnswer, type PollAnswer } from '../domain/poll';
import type { ServiceDeps } from './deps';

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Records one anonymous answer per browser. The browser is known only by a random token kept in
 * its cookie; the database holds the token's hash and the answer, nothing that names a person.
 * Returns 'counted', or 'already' when this browser has answered before (nothing counted).
 */
export async function answerPoll(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'dialect'>,
  input: { browserToken: string; answer: unknown },
): Promise<'counted' | 'already'> {
  if (!isPollAnswer(input.answer)) throw badRequest([{ field: 'answer', key: 'poll.error.answer' }]);
  const result = await deps.db
    .insertInto('poll_answers')
    .values({
      poll: ENTREPRENEUR_POLL,
      browser_hash: hashToken(input.browserToken),
      answer: input.answer,
      answered_at: deps.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['poll', 'browser_hash']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'counted' : 'already';
}

export async function pollTotals(deps: Pick<ServiceDeps, 'db'>): Promise<Record<PollAnswer, number>> {
  const rows = await deps.db
    .selectFrom('poll_answers')
    .select(['answer', (eb) => eb.fn.countAll<number>().as('count')])
    .where('poll', '=', ENTREPRENEUR_POLL)
    .groupBy('answer')
    .execute();
  const totals: Record<PollAnswer, number> = { TAK: 0, NIE: 0 };
  for (const row of rows) if (isPollAnswer(row.answer)) totals[row.answer] = Number(row.count);
  return totals;
}
