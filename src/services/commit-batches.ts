/**
 * How many receipts each durable commit carried: reported by the group committer
 * (src/services/group-commit.ts) after every commit and read by the metrics
 * (`urzad_commit_batch_size`). One function to call, so any commit path can report.
 */
type Listener = (filings: number) => void;
const listeners = new Set<Listener>();

export function reportCommitBatch(filings: number): void {
  for (const listener of listeners) listener(filings);
}

/** Returns the function that stops listening. */
export function onCommitBatch(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
