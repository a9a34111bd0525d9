import { HASH_SIZE } from './merkle';
import { NoteError, openNote, type NoteVerifier } from './note';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text
 * `<origin>\n<tree size>\n<base64 root hash>\n[extension lines]`, signed as a C2SP signed note.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

export function formatCheckpoint(checkpoint: { origin: string; size: number; rootHash: Buffer }): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.rootHash.toString('base64')}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('malformed', 'a checkpoint ends with a newline');
  const [origin, sizeLine, rootLine, ...extensions] = text.slice(0, -1).split('\n');
  if (!origin) throw new NoteError('malformed', 'the checkpoint has no origin line');
  if (!sizeLine || !/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new NoteError('malformed', 'the tree size of the checkpoint is not a decimal number');
  }
  const rootHash = Buffer.from(rootLine ?? '', 'base64');
  if (rootHash.length !== HASH_SIZE || rootHash.toString('base64') !== rootLine) {
    throw new NoteError('malformed', 'the root hash of the checkpoint is not 32 bytes in base64');
  }
  if (extensions.some((line) => line === ''))
    throw new NoteError('malformed', 'a checkpoint has no empty lines');
  return { origin, size: Number(sizeLine), rootHash, extensions };
}

/** Verifies a signed checkpoint with the log's key; its origin must be the key's name. */
export function openCheckpoint(note: string, verifier: NoteVerifier): Checkpoint {
  const { text } = openNote(note, [verifier]);
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== verifier.name) {
    throw new NoteError(
      'malformed',
      `the checkpoint origin "${checkpoint.origin}" is not the log's name "${verifier.name}"`,
    );
  }
  return checkpoint;
}
