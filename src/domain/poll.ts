/** The portal's one-question poll from the seed: "Czy jesteś przedsiębiorcą? TAK / NIE". */
export const ENTREPRENEUR_POLL = 'entrepreneur';
export const POLL_ANSWERS = ['TAK', 'NIE'] as const;
export type PollAnswer = (typeof POLL_ANSWERS)[number];

export function isPollAnswer(value: unknown): value is PollAnswer {
  return typeof value === 'string' && (POLL_ANSWERS as readonly string[]).includes(value);
}
