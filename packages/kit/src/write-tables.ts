import { bigint, index, jsonb, pgSchema, primaryKey, text, timestamp, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The tables every slice's mutations write besides its own (see runMutation), declared once. A slice's
 * `db/schema.ts` exports them (`export const { auditLog, idempotencyKeys } = writeTables(slice)`) so that
 * drizzle-kit manages them like its other tables. They match, column for column, what the applied
 * `*_writes` migrations created: drizzle-kit reports no change for them.
 */
function declareWriteTables(schema: PgSchema) {
  /** A retried create answers its first result: the key is claimed by the first run, which stores the id it made. */
  const idempotencyKeys = schema.table(
    'idempotency_keys',
    {
      actor: text('actor').notNull(),
      operation: text('operation').notNull(),
      key: text('key').notNull(),
      entityId: text('entity_id'),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    },
    // Named as PostgreSQL named the migrations' unnamed primary key.
    (t) => [primaryKey({ name: 'idempotency_keys_pkey', columns: [t.actor, t.operation, t.key] })],
  );

  /** Append-only for the app role (see appRoleSql): who, when, what, before → after. */
  const auditLog = schema.table(
    'audit_log',
    {
      // Write order: entries page by it, so an entity's history reads oldest first.
      id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
      at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
      entityType: text('entity_type').notNull(),
      entityId: text('entity_id').notNull(),
      operation: text('operation').notNull(),
      actorRole: text('actor_role').notNull(),
      actor: text('actor').notNull(),
      before: jsonb('before'),
      after: jsonb('after'),
    },
    (t) => [index('audit_log_entity_idx').on(t.entityId, t.id)],
  );

  return { idempotencyKeys, auditLog };
}

export type WriteTables = ReturnType<typeof declareWriteTables>;

const declared = new Map<string, WriteTables>();

/**
 * The write tables of the slice whose Postgres schema is `schema` (or is named so): one set per schema, so
 * the slice's exports and kit's mutations and audit reads (which know the slice by name) are the same objects.
 */
export function writeTables(schema: PgSchema | string): WriteTables {
  const name = typeof schema === 'string' ? schema : schema.schemaName;
  let tables = declared.get(name);
  if (!tables) {
    tables = declareWriteTables(typeof schema === 'string' ? pgSchema(name) : schema);
    declared.set(name, tables);
  }
  return tables;
}

/** The role requests run as: no superuser, no ownership, no BYPASSRLS, so row-level security binds them. */
export const appRole = 'gongzhi_app';

/**
 * The SQL that lets `role` serve the slice whose Postgres schema is `schema`: it creates the role once per
 * server, grants it the slice's tables (not its migrations table), present and future, and makes the audit
 * log append-only for it. A new slice puts it in a custom migration (`npx drizzle-kit generate --custom`)
 * after the one creating its tables; the applied migrations of the five slices hold these statements already.
 */
export function appRoleSql(schema: string, role: string = appRole): string {
  const s = `"${schema}"`;
  return [
    `DO $$
BEGIN
  CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles belong to the server: another database or slice created it already
END
$$;`,
    `GRANT USAGE ON SCHEMA ${s} TO ${role};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role};`,
    `REVOKE ALL ON ${s}."__migrations" FROM ${role};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role};`,
    `GRANT SELECT, INSERT, UPDATE ON ${s}."idempotency_keys" TO ${role};`,
    `REVOKE UPDATE, DELETE ON ${s}."audit_log" FROM ${role};`,
    `GRANT SELECT, INSERT ON ${s}."audit_log" TO ${role};`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${role};`,
  ].join('\n--> statement-breakpoint\n');
}
