import fs from 'node:fs';
import path from 'node:path';
import type { MessageKey, Params } from '../i18n/index';
import type { RevocationData } from '../domain/signatures/revocation';
import type { QualifiedAnchor, TrustAnchors } from '../domain/signatures/trust';
import {
  readListHeader,
  readTrustedList,
  TrustedListError,
  type TrustedList,
  type TslPointer,
} from '../domain/signatures/trusted-lists';
import type { TrustStore } from '../ports/trust-store';

/**
 * The trust store kept in a directory (DATA_DIR/trust-lists):
 *   lotl-signers.pem                 certificates that may sign the EU list of trusted lists
 *   lists/<TERRITORY>-<seq>.xml      every list accepted, never removed (signing-time validation)
 *   lists/<TERRITORY>-<seq>.json     what was read from it
 *   personal/*.pem                   pl.ID Root CA and Authorization CAs (personal signature)
 *   trusted-signature-seals.txt      organisation names (subject O) of trusted-signature seals
 *   revocation/*.crl, *.ocsp         CRLs (DER or PEM) and OCSP responses (DER) supplied by hand
 * With nothing configured only the installation's own CAs are trusted.
 */
export const DEFAULT_TRUSTED_SIGNATURE_SEALS = ['Ministerstwo Cyfryzacji', 'Centralny Ośrodek Informatyki'];

interface StoredList {
  territory: string;
  sequenceNumber: number;
  issued: string;
  isLotl: boolean;
  services: QualifiedAnchor[];
  pointers: TslPointer[];
}

export interface ListOutcome {
  file: string;
  territory?: string;
  sequenceNumber?: number;
  status: 'stored' | 'unchanged' | 'refused';
  reason?: { key: MessageKey; params?: Params };
}

export interface FileTrustStore extends TrustStore {
  /** Checks every list in `sourceDir` offline and keeps those that pass; the old ones stay. */
  update(sourceDir: string): Promise<ListOutcome[]>;
}

const splitPems = (text: string): string[] =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];

const readIfExists = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** Supplied CRLs (DER, or PEM `X509 CRL`) and OCSP responses (DER); each is believed only if its issuer signed it. */
function readRevocation(dir: string, files: string[]): RevocationData {
  const data: RevocationData = { crls: [], ocspResponses: [] };
  for (const name of files) {
    const bytes = fs.readFileSync(path.join(dir, name));
    if (/\.ocsp$/i.test(name)) data.ocspResponses.push(bytes);
    else if (/\.crl$/i.test(name)) {
      const pems = bytes.toString('latin1').match(/-----BEGIN X509 CRL-----[\s\S]*?-----END X509 CRL-----/g);
      if (pems)
        for (const pem of pems)
          data.crls.push(Buffer.from(pem.replace(/-----[A-Z0-9 ]+-----|\s+/g, ''), 'base64'));
      else data.crls.push(bytes);
    }
  }
  return data;
}

function writeAtomically(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export function createFileTrustStore(options: {
  dir: string;
  platformCaPems: () => Promise<string[]>;
  /**
   * Answer `anchors()` from what was read at most this long ago (the server: every filing with
   * a PDF or XML asks, and reading the directories each time cost more than the answer); 0
   * reads every time. `update` makes the next call read again.
   */
  rereadAfterMs?: number;
}): FileTrustStore {
  const listsDir = path.join(options.dir, 'lists');
  const personalDir = path.join(options.dir, 'personal');
  const revocationDir = path.join(options.dir, 'revocation');
  let cache:
    | { stamp: string; stored: StoredList[]; personal: string[]; seals: string[]; revocation: RevocationData }
    | undefined;

  const names = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir).sort();
    } catch {
      return [];
    }
  };

  function load() {
    const lists = names(listsDir).filter((n) => n.endsWith('.json'));
    const personalFiles = names(personalDir).filter((n) => /\.(pem|crt)$/i.test(n));
    const sealsFile = path.join(options.dir, 'trusted-signature-seals.txt');
    const sealsText = readIfExists(sealsFile);
    const revocationFiles = names(revocationDir)
      .filter((n) => /\.(crl|ocsp)$/i.test(n))
      .map((n) => {
        const stat = fs.statSync(path.join(revocationDir, n));
        return `${n}:${stat.size}:${stat.mtimeMs}`;
      });
    const stamp = JSON.stringify([lists, personalFiles, sealsText, revocationFiles]);
    if (cache?.stamp === stamp) return cache;
    const stored = lists.map(
      (n) => JSON.parse(fs.readFileSync(path.join(listsDir, n), 'utf8')) as StoredList,
    );
    const personal = personalFiles.flatMap((n) =>
      splitPems(fs.readFileSync(path.join(personalDir, n), 'utf8')),
    );
    const seals = sealsText
      ? sealsText
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#'))
      : DEFAULT_TRUSTED_SIGNATURE_SEALS;
    cache = {
      stamp,
      stored,
      personal,
      seals,
      revocation: readRevocation(revocationDir, names(revocationDir)),
    };
    return cache;
  }

  const newest = (stored: StoredList[], territory: string, lotl: boolean) =>
    stored
      .filter((s) => s.territory === territory && s.isLotl === lotl)
      .sort((a, b) => b.sequenceNumber - a.sequenceNumber)[0];

  let recent: { until: number; anchors: Promise<TrustAnchors> } | undefined;

  async function readAnchors(): Promise<TrustAnchors> {
    const { stored, personal, seals, revocation } = load();
    // Newer lists first: a service listed again keeps the newest history.
    const byKey = new Map<string, QualifiedAnchor>();
    for (const list of [...stored].sort((a, b) => b.sequenceNumber - a.sequenceNumber))
      for (const service of list.services) {
        const key = `${service.territory}\n${service.certificatePem.replace(/\s+/g, '')}`;
        if (!byKey.has(key)) byKey.set(key, service);
      }
    return {
      qualified: [...byKey.values()],
      personal,
      platform: await options.platformCaPems(),
      trustedSignatureSealOrganisations: seals,
      revocation,
    };
  }

  return {
    anchors(): Promise<TrustAnchors> {
      const now = Date.now();
      if (recent && now < recent.until) return recent.anchors;
      const anchors = readAnchors();
      const entry = { until: now + (options.rereadAfterMs ?? 0), anchors };
      recent = entry;
      // A failed read is not kept.
      anchors.catch(() => {
        if (recent === entry) recent = undefined;
      });
      return anchors;
    },

    async update(sourceDir: string): Promise<ListOutcome[]> {
      recent = undefined;
      fs.mkdirSync(listsDir, { recursive: true });
      const { stored } = load();
      const files = names(sourceDir).filter((n) => n.toLowerCase().endsWith('.xml'));
      const read = files.map((file) => ({ file, bytes: fs.readFileSync(path.join(sourceDir, file)) }));
      const outcomes: ListOutcome[] = [];
      const accepted: StoredList[] = [];
      const pinned = splitPems(readIfExists(path.join(options.dir, 'lotl-signers.pem')) ?? '');

      const accept = async (file: string, bytes: Buffer, signers: string[]) => {
        const header = readListHeader(bytes);
        const current = newest([...stored, ...accepted], header.territory, header.isLotl);
        if (current && current.sequenceNumber > header.sequenceNumber)
          throw new TrustedListError('trustList.rollback', {
            territory: header.territory,
            sequence: header.sequenceNumber,
            stored: current.sequenceNumber,
          });
        const list: TrustedList = await readTrustedList(bytes, signers);
        const base = `${list.territory}-${list.sequenceNumber}`;
        if (
          current?.sequenceNumber === list.sequenceNumber &&
          fs.existsSync(path.join(listsDir, `${base}.xml`))
        ) {
          outcomes.push({
            file,
            territory: list.territory,
            sequenceNumber: list.sequenceNumber,
            status: 'unchanged',
          });
          return;
        }
        const entry: StoredList = {
          territory: list.territory,
          sequenceNumber: list.sequenceNumber,
          issued: list.issued,
          isLotl: list.isLotl,
          services: list.services,
          pointers: list.pointers,
        };
        // The list first, then what was read from it: the .json is what makes it count.
        writeAtomically(path.join(listsDir, `${base}.xml`), bytes);
        writeAtomically(path.join(listsDir, `${base}.json`), JSON.stringify(entry));
        accepted.push(entry);
        outcomes.push({
          file,
          territory: list.territory,
          sequenceNumber: list.sequenceNumber,
          status: 'stored',
        });
      };
      const refuse = (file: string, error: unknown) => {
        if (!(error instanceof TrustedListError)) throw error;
        outcomes.push({ file, status: 'refused', reason: { key: error.key, params: error.params } });
      };

      // The LOTL first: it announces who signs the national lists.
      const headers = read.map(({ file, bytes }) => {
        try {
          return { file, bytes, header: readListHeader(bytes) };
        } catch (error) {
          refuse(file, error);
          return undefined;
        }
      });
      for (const item of headers) {
        if (!item?.header.isLotl) continue;
        const previous = newest(stored, item.header.territory, true);
        const selfAnnounced =
          previous?.pointers.find((p) => p.territory === item.header.territory)?.signersPem ?? [];
        try {
          await accept(item.file, item.bytes, [...pinned, ...selfAnnounced]);
        } catch (error) {
          refuse(item.file, error);
        }
      }
      for (const item of headers) {
        if (!item || item.header.isLotl) continue;
        const lotl = [...accepted, ...stored]
          .filter((s) => s.isLotl)
          .sort((a, b) => b.sequenceNumber - a.sequenceNumber)[0];
        const pointer = lotl?.pointers.find((p) => p.territory === item.header.territory);
        try {
          if (!pointer) throw new TrustedListError('trustList.noLotl', { territory: item.header.territory });
          await accept(item.file, item.bytes, pointer.signersPem);
        } catch (error) {
          refuse(item.file, error);
        }
      }
      return outcomes;
    },
  };
}
