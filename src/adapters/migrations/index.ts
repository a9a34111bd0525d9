import type { Migration } from 'kysely';
import * as m001 from './001-foundation';
import * as m020 from './020-filing';
import * as m021 from './021-letter-drafts';
import * as m030 from './030-transparency-log';
import * as m010 from './010-accounts';
import * as m050 from './050-journal';
import * as m040 from './040-jobs';
import * as m041 from './041-webhooks';
import * as m042 from './042-idempotency';
import * as m060 from './060-deliveries';
import * as m070 from './070-box-words';
import * as m080 from './080-shared-state';
import * as m090 from './090-integration-systems';
import * as m110 from './110-totp-last-step';
import * as m100 from './100-national-login';
import * as m130 from './130-nodes';
import * as m140 from './140-token-lifecycle';
import * as m150 from './150-login-failure-client';
import * as m160 from './160-soap-deliveries';
import * as m170 from './170-audit-anchor';
import * as m190 from './190-metrics-indexes';
import * as m240 from './240-box-full-text';

/**
 * Every migration, in order. Names sort in the order they apply; each file uses only
 * Kysely's schema builder with types both SQLite and PostgreSQL understand.
 */
export const migrations: Record<string, Migration> = {
  '001-foundation': m001,
  '020-filing': m020,
  '021-letter-drafts': m021,
  '030-transparency-log': m030,
  '010-accounts': m010,
  '050-journal': m050,
  '040-jobs': m040,
  '041-webhooks': m041,
  '042-idempotency': m042,
  '060-deliveries': m060,
  '070-box-words': m070,
  '080-shared-state': m080,
  '090-integration-systems': m090,
  '110-totp-last-step': m110,
  '100-national-login': m100,
  '130-nodes': m130,
  '140-token-lifecycle': m140,
  '150-login-failure-client': m150,
  '160-soap-deliveries': m160,
  '170-audit-anchor': m170,
  '190-metrics-indexes': m190,
  '240-box-full-text': m240,
};
