import { openCheckpoint, type Checkpoint } from './checkpoint';
import { HASH_SIZE, leafHash, verifyInclusion } from './merkle';
import { NoteError, type NoteVerifier } from './note';

/**
 * Is a receipt in the public log? The offline check a verifier makes with what it holds: the
 * receipt's entry (SHA-256 of the signed XML) and index, a signed checkpoint, the log's key and
 * an inclusion proof as served by GET /api/v1/log/proof/inclusion.
 */
export interface InclusionProofDocument {
  index: number;
  size: number;
  hashes: Buffer[];
}

export type InclusionCheck =
  | { ok: true; checkpoint: Checkpoint }
  | {
      ok: false;
      reason: 'checkpoint-unverified' | 'index-mismatch' | 'size-mismatch' | 'not-included';
      detail: string;
    };

export class ProofFormatError extends Error {}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Reads the JSON of an inclusion proof (`{"index":N,"size":S,"hashes":[base64…]}`). */
export function parseInclusionProof(text: string): InclusionProofDocument {
  let body: { index?: unknown; size?: unknown; hashes?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ProofFormatError('the inclusion proof is not JSON');
  }
  if (!isCount(body.index) || !isCount(body.size))
    throw new ProofFormatError('the inclusion proof has no whole-number "index" and "size"');
  if (!Array.isArray(body.hashes) || body.hashes.length > 64)
    throw new ProofFormatError('the inclusion proof has no list of "hashes"');
  const hashes = body.hashes.map((h) => {
    const bytes = typeof h === 'string' ? Buffer.from(h, 'base64') : Buffer.alloc(0);
    if (bytes.length !== HASH_SIZE || bytes.toString('base64') !== h)
      throw new ProofFormatError('every hash of the inclusion proof is 32 bytes in base64');
    return bytes;
  });
  return { index: body.index, size: body.size, hashes };
}

export function checkInclusion(input: {
  entry: Buffer;
  index: number;
  checkpointNote: string;
  verifier: NoteVerifier;
  proof: InclusionProofDocument;
}): InclusionCheck {
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(input.checkpointNote, input.verifier);
  } catch (error) {
    if (error instanceof NoteError)
      return { ok: false, reason: 'checkpoint-unverified', detail: error.message };
    throw error;
  }
  if (input.proof.index !== input.index) {
    return {
      ok: false,
      reason: 'index-mismatch',
      detail: `the proof is for index ${input.proof.index}, the receipt has index ${input.index}`,
    };
  }
  if (input.proof.size !== checkpoint.size) {
    return {
      ok: false,
      reason: 'size-mismatch',
      detail: `the proof is for a tree of ${input.proof.size} entries, the checkpoint has ${checkpoint.size}`,
    };
  }
  if (
    !verifyInclusion(
      input.index,
      checkpoint.size,
      leafHash(input.entry),
      input.proof.hashes,
      checkpoint.rootHash,
    )
  ) {
    return {
      ok: false,
      reason: 'not-included',
      detail: `the receipt is not entry ${input.index} of the log under this checkpoint`,
    };
  }
  return { ok: true, checkpoint };
}
