import { sql } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import type { Caller, Policy } from './access.ts';
import { withClaims, type Database } from './db.ts';
import { pageRequest, toConnection, type PageArgs } from './pagination.ts';
import { DateTimeScalar } from './scalars.ts';
import { badInput } from './errors.ts';

/** The SDL every slice serves besides its own: field errors, and its audit log (see schema/*.graphql). */
export const sharedTypeDefFiles = ['writes.graphql', 'audit-entries.graphql'].map((file) => fileURLToPath(new URL(`../schema/${file}`, import.meta.url)));

/** The audit log's types alone, for the gateway's `auditLog`. */
export const auditEntryTypeDefsFile = sharedTypeDefFiles[1]!;

/** `admin`: the audit log is for admins only (every slice knows this policy). */
export const builtInPolicies: Record<string, Policy> = { admin: (caller) => caller.role === 'admin' };

interface AuditRow {
  id: string;
  at: string;
  entity_type: string;
  entity_id: string;
  operation: string;
  actor_role: string;
  actor: string;
  before: unknown;
  after: unknown;
}

const json = (value: unknown) => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

/** One page of a slice's audit entries of one entity, oldest first; the cursor is the entry's sequence number. */
export async function readAuditLog(database: Database<any>, schema: string, caller: Caller, args: PageArgs & { entityId: string }) {
  const request = pageRequest(args);
  if (request.after !== null && !/^\d{1,19}$/.test(request.after)) throw badInput('`after` is not a cursor returned by this field', 'after');
  const after = request.after ?? '0';
  const log = sql.raw(`"${schema}"."audit_log"`);
  // Ordered by the table's id: the output column `id` is text, and text puts 10 before 9.
  const rows = await withClaims(database.db, caller, async (tx) => {
    const result: any = await tx.execute(
      sql`select id::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, entity_type, entity_id, operation, actor_role, actor, before, after
            from ${log} where entity_id = ${args.entityId} and id > ${after}::bigint
            order by ${log}.id limit ${request.limit + 1}`,
    );
    return (result.rows ?? result) as AuditRow[];
  });
  const entries = rows.map((row) => ({
    key: row.id,
    at: row.at,
    entityType: row.entity_type,
    entityId: row.entity_id,
    operation: row.operation,
    actorRole: row.actor_role,
    actor: row.actor,
    before: json(row.before),
    after: json(row.after),
  }));
  return toConnection(entries, request, (entry) => entry.key, async () => entries.length);
}

/** Resolvers for the shared SDL, merged under each slice's own. */
export function sharedResolvers(schema: string) {
  return {
    DateTime: DateTimeScalar,
    Query: {
      sliceAuditLog: (_parent: unknown, args: PageArgs & { entityId: string }, context: { database: Database<any>; caller: Caller }) =>
        readAuditLog(context.database, schema, context.caller, args),
    },
  };
}
