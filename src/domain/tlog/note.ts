import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys (signature type 0x01):
 * signing, parsing and verifying notes, and the verifier key string
 * `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
 */

export const ED25519_TYPE = 0x01;
/** Notes larger than this are refused unread; a checkpoint is a few hundred bytes. */
export const MAX_NOTE_BYTES = 64 * 1024;
const MAX_SIGNATURES = 64;

export class NoteError extends Error {
  constructor(
    readonly code: 'malformed' | 'bad-signature' | 'unverified' | 'bad-key',
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

export interface NoteSigner {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
  sign(message: Buffer): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
  verify(message: Buffer, signature: Buffer): boolean;
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

/** Key names are non-empty and contain no Unicode space and no "+". */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\p{Zs}]/u.test(name) && !hasControlCharacters(name);
}

function hasControlCharacters(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0009\u000b-\u001f\u007f]/.test(text);
}

/** key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4] */
export function ed25519KeyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_TYPE]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new NoteError('bad-key', 'not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  if (!isValidKeyName(name)) throw new NoteError('bad-key', `invalid key name "${name}"`);
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    name,
    publicKey,
    keyId: ed25519KeyId(name, publicKey),
    sign: (message) => sign(null, message, privateKey),
  };
}

/** An Ed25519 private key from its 32-byte RFC 8032 seed. */
export function ed25519PrivateKeyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new NoteError('bad-key', 'an Ed25519 seed has 32 bytes');
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519Verifier(name: string, publicKey: Buffer): NoteVerifier {
  if (!isValidKeyName(name)) throw new NoteError('bad-key', `invalid key name "${name}"`);
  if (publicKey.length !== 32) throw new NoteError('bad-key', 'an Ed25519 public key has 32 bytes');
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    throw new NoteError('bad-key', 'not a valid Ed25519 public key');
  }
  return {
    name,
    publicKey,
    keyId: ed25519KeyId(name, publicKey),
    verify: (message, signature) => signature.length === 64 && verify(null, message, key, signature),
  };
}

export function verifierKeyString(key: { name: string; publicKey: Buffer }): string {
  const id = ed25519KeyId(key.name, key.publicKey);
  return `${key.name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([ED25519_TYPE]), key.publicKey]).toString('base64')}`;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes canonical standard base64 only (Buffer.from would silently skip bad characters). */
function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Parses `<name>+<hex key ID>+<base64 key>` and checks that the key ID matches. */
export function parseVerifierKey(text: string): NoteVerifier {
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new NoteError('bad-key', 'a verifier key reads <name>+<key ID>+<key>');
  const name = trimmed.slice(0, first);
  const idHex = trimmed.slice(first + 1, second);
  const material = strictBase64(trimmed.slice(second + 1));
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError('bad-key', 'the key ID is 8 lower-case hex digits');
  if (!material || material.length !== 33 || material[0] !== ED25519_TYPE)
    throw new NoteError('bad-key', 'the key is not an Ed25519 (type 0x01) key');
  const verifier = ed25519Verifier(name, material.subarray(1));
  if (verifier.keyId.toString('hex') !== idHex)
    throw new NoteError('bad-key', 'the key ID does not match the key');
  return verifier;
}

/** Signs a note text (which must end with a newline) with each signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (!text.endsWith('\n') || hasControlCharacters(text))
    throw new NoteError('malformed', 'a note text ends with a newline and has no control characters');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map(
    (s) => `— ${s.name} ${Buffer.concat([s.keyId, s.sign(message)]).toString('base64')}\n`,
  );
  return `${text}\n${lines.join('')}`;
}

/** Splits a note into its text and signature lines, without verifying anything. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES)
    throw new NoteError('malformed', `a note is at most ${MAX_NOTE_BYTES} bytes`);
  if (note.includes('\uFFFD') || hasControlCharacters(note))
    throw new NoteError('malformed', 'a note is UTF-8 text without control characters');
  if (!note.endsWith('\n')) throw new NoteError('malformed', 'a note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0)
    throw new NoteError('malformed', 'a note has a blank line between the text and the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES)
    throw new NoteError('malformed', `a note has at most ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    const match = /^— (\S+) (\S+)$/u.exec(line);
    const blob = match?.[2] ? strictBase64(match[2]) : undefined;
    if (!match?.[1] || !isValidKeyName(match[1]) || !blob || blob.length < 5)
      throw new NoteError('malformed', `not a signature line: "${line.slice(0, 120)}"`);
    return { name: match[1], keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
  });
  return { text, signatures };
}

/**
 * Verifies a note against the known keys: signatures from unknown keys are ignored, a known
 * key's signature that fails rejects the note, and at least one known key must have signed.
 */
export function openNote(
  note: string,
  verifiers: readonly NoteVerifier[],
): { text: string; verifiedBy: string[] } {
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, 'utf8');
  const verifiedBy: string[] = [];
  for (const sig of signatures) {
    const verifier = verifiers.find((v) => v.name === sig.name && v.keyId.equals(sig.keyId));
    if (!verifier) continue;
    if (!verifier.verify(message, sig.signature))
      throw new NoteError('bad-signature', `the signature of ${sig.name} does not verify`);
    verifiedBy.push(sig.name);
  }
  if (verifiedBy.length === 0) throw new NoteError('unverified', 'no signature from a known key');
  return { text, verifiedBy };
}
