/**
 * Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides.
 * Matching control characters is the point here.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a file the user did not write (a receipt, an export) on its way to a terminal:
 * unsafe characters are written as \uXXXX, so they can neither drive the terminal (clear it,
 * move the cursor, print a fake verdict) nor reorder what is shown. Inside JSON strings this
 * is the same escape JSON uses, so --json output stays valid and means the same.
 */
export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
