/** A command given wrongly: main prints the message and the usage, and exits with status 2. */
export class UsageError extends Error {}
