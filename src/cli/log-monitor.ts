import fs from 'node:fs';
import path from 'node:path';
import {
  MAX_NOTE_BYTES,
  NoteError,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  type Checkpoint,
} from '../domain/tlog/index';

/**
 * `log monitor <url>`: fetches the log's checkpoint, verifies its signature with the pinned
 * key, checks that it extends the last checkpoint kept (RFC 9162 consistency proof) and keeps
 * it. Anything else is an alarm. See docs/transparency-log.md.
 */

export interface MonitorOptions {
  /** The installation's address, e.g. https://urzad.example.gov.pl */
  url: string;
  statePath: string;
  /** A C2SP verifier key given by the operator; otherwise the one pinned in the state file. */
  key?: string | undefined;
}

interface MonitorState {
  key: string;
  checkpoint?: { size: number; rootHash: string; note: string };
}

export type MonitorOutcome =
  | { status: 'ok'; message: string }
  | { status: 'alarm'; message: string }
  | { status: 'error'; message: string };

const TIMEOUT_MS = 10_000;

class Alarm extends Error {}

async function fetchText(url: string, maxBytes: number): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  const text = await res.text();
  if (Buffer.byteLength(text) > maxBytes) throw new Error(`${url} answered more than ${maxBytes} bytes`);
  return { status: res.status, text };
}

function readState(file: string): MonitorState | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as MonitorState;
  if (typeof parsed.key !== 'string') throw new Error(`${file} is not a log monitor state file`);
  return parsed;
}

function writeState(file: string, state: MonitorState): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(temp, file);
}

function parseProof(text: string, from: number, to: number): Buffer[] {
  const body = JSON.parse(text) as { from?: unknown; to?: unknown; hashes?: unknown };
  if (
    body.from !== from ||
    body.to !== to ||
    !Array.isArray(body.hashes) ||
    !body.hashes.every((h) => typeof h === 'string')
  ) {
    throw new Alarm(`the consistency proof from ${from} to ${to} is malformed`);
  }
  return (body.hashes as string[]).map((h) => Buffer.from(h, 'base64'));
}

export async function monitorLog(options: MonitorOptions): Promise<MonitorOutcome> {
  const base = options.url.replace(/\/+$/, '').replace(/\/api\/v1\/log$/, '');
  try {
    const state = readState(options.statePath);
    if (options.key && state && options.key.trim() !== state.key) {
      throw new Alarm('the key given with --key differs from the key pinned in the state file');
    }
    let key = options.key?.trim() ?? state?.key;
    let pinned = false;
    if (!key) {
      const res = await fetchText(`${base}/api/v1/log/key`, 4096);
      if (res.status !== 200)
        return { status: 'error', message: `cannot fetch the log key: HTTP ${res.status}` };
      key = res.text.trim();
      pinned = true;
    }
    const verifier = parseVerifierKey(key);

    const res = await fetchText(`${base}/api/v1/log/checkpoint`, MAX_NOTE_BYTES);
    if (res.status !== 200)
      return { status: 'error', message: `cannot fetch the checkpoint: HTTP ${res.status}` };
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(res.text, verifier);
    } catch (error) {
      if (error instanceof NoteError)
        throw new Alarm(`the checkpoint does not verify with the log key ${verifier.name}: ${error.message}`);
      throw error;
    }

    const previous = state?.checkpoint;
    let relation = pinned ? `first checkpoint kept, key pinned (${key})` : 'first checkpoint kept';
    if (previous) {
      const previousRoot = Buffer.from(previous.rootHash, 'base64');
      if (checkpoint.size < previous.size) {
        throw new Alarm(`the log shrank: size ${checkpoint.size} after size ${previous.size}`);
      }
      if (checkpoint.size === previous.size) {
        if (!checkpoint.rootHash.equals(previousRoot)) {
          throw new Alarm(
            `fork: two different roots for size ${checkpoint.size} (${previous.rootHash} and ${checkpoint.rootHash.toString('base64')})`,
          );
        }
        relation = `unchanged since the last check`;
      } else {
        const proofRes = await fetchText(
          `${base}/api/v1/log/proof/consistency?from=${previous.size}&to=${checkpoint.size}`,
          64 * 1024,
        );
        if (proofRes.status !== 200)
          throw new Alarm(
            `the log refused a consistency proof from ${previous.size} to ${checkpoint.size} (HTTP ${proofRes.status})`,
          );
        const proof = parseProof(proofRes.text, previous.size, checkpoint.size);
        if (!verifyConsistency(previous.size, checkpoint.size, previousRoot, checkpoint.rootHash, proof)) {
          throw new Alarm(
            `fork: the tree of size ${checkpoint.size} is not an extension of the tree of size ${previous.size} kept earlier`,
          );
        }
        relation = `consistent with size ${previous.size}`;
      }
    }
    writeState(options.statePath, {
      key,
      checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash.toString('base64'), note: res.text },
    });
    return {
      status: 'ok',
      message: `OK ${checkpoint.origin}: size ${checkpoint.size}, root ${checkpoint.rootHash.toString('base64')}; ${relation}`,
    };
  } catch (error) {
    if (error instanceof Alarm) return { status: 'alarm', message: `ALARM ${base}: ${error.message}` };
    if (error instanceof NoteError) return { status: 'error', message: `invalid log key: ${error.message}` };
    return {
      status: 'error',
      message: `log monitor failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
