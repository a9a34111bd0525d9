/** A start-up failure whose message says it all: printed without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}
