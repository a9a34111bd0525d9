import type { Kysely } from 'kysely';

/**
 * Integration systems: an office's document-management system (EZD) known by its certificate,
 * calling the ePUAP-compatible SOAP services; and the signatures of requests already seen,
 * so that a replayed request is refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integration_systems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull().references('offices.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('certificate_pem', 'text', (c) => c.notNull())
    // SHA-256 of the certificate's DER: how a request's BinarySecurityToken finds its system.
    .addColumn('certificate_sha256', 'text', (c) => c.notNull())
    // JSON list of box names the system may use.
    .addColumn('boxes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('integration_systems_certificate')
    .on('integration_systems')
    .column('certificate_sha256')
    .execute();
  await db.schema
    .createTable('soap_seen_signatures')
    // SHA-256 of the request's SignatureValue.
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('soap_seen_signatures_expiry')
    .on('soap_seen_signatures')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('soap_seen_signatures').execute();
  await db.schema.dropTable('integration_systems').execute();
}
