import { createApp, type App } from '../../src/app';
import { upsertOffice } from '../../src/services/offices';
import { listenLocally } from '../helpers/app';
import { pdf } from '../helpers/sample-files';

export const OFFICE = 'umtest';
export const BOX = `${OFFICE}/skrytka`;

/** Waits for `check` to hold, polling; fails with `what` if it never does within `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await check().catch(() => false)) return;
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

export interface Node {
  app: App;
  url: string;
  token: string;
  /** Files a small PDF; returns the HTTP status and, for 201, the document id. */
  file(): Promise<{ status: number; id?: string }>;
  readyz(): Promise<{ status: number; checks?: Record<string, boolean> }>;
}

/** One node on `options`, listening, with an office and a submit token. */
export async function startNode(options: Parameters<typeof createApp>[0]): Promise<Node> {
  const app = await createApp(options);
  const url = await listenLocally(app);
  await upsertOffice(app.deps, {
    id: OFFICE,
    name: 'Urząd Testowy',
    shortCode: 'UT',
    address: 'ul. Próbna 1, 00-001 Warszawa',
    boxes: [{ name: 'skrytka', title: 'ESP' }],
    externalAddresses: [],
  });
  const { token } = await app.services.createIntegrationToken({
    officeId: OFFICE,
    scope: 'submit',
    name: 'faults',
  });
  const content = await pdf();
  return {
    app,
    url,
    token,
    async file() {
      const body = new FormData();
      body.append(
        'document',
        new Blob([new Uint8Array(content)], { type: 'application/pdf' }),
        'wniosek.pdf',
      );
      const res = await fetch(`${url}/api/v1/boxes/${BOX}/documents`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      const json = (await res.json().catch(() => ({}))) as { documentId?: string };
      return {
        status: res.status,
        ...(res.status === 201 && json.documentId ? { id: json.documentId } : {}),
      };
    },
    async readyz() {
      const res = await fetch(`${url}/readyz`);
      const json = (await res.json()) as { checks?: Record<string, boolean> };
      return { status: res.status, ...(json.checks ? { checks: json.checks } : {}) };
    },
  };
}
