import { and, eq, gt, sql } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import type { Caller, Policy } from './access.ts';
import { withClaims, type Database } from './db.ts';
import { pageRequest, toConnection, type PageArgs } from './pagination.ts';
import { DateTimeScalar } from './scalars.ts';
import { badInput } from './errors.ts';
import { writeTables } from './write-tables.ts';

/** The SDL every slice serves besides its own: field errors, its audit log and PageInfo (see schema/*.graphql). */
export const sharedTypeDefFiles = ['writes.graphql', 'audit-entries.graphql', 'page-info.graphql'].map((file) =>
  fileURLToPath(new URL(`../schema/${file}`, import.meta.url)),
);

/** The audit log's types alone, for the gateway's `auditLog`. */
export const auditEntryTypeDefsFile = sharedTypeDefFiles[1]!;

/** PageInfo, shared by every connection of the graph. */
export const pageInfoTypeDefsFile = sharedTypeDefFiles[2]!;

/** `admin`: the audit log is for admins only (every slice knows this policy). */
export const builtInPolicies: Record<string, Policy> = { admin: (caller) => caller.role === 'admin' };

const json = (value: unknown) => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

/** One page of a slice's audit entries of one entity, oldest first; the cursor is the entry's sequence number. */
export async function readAuditLog<TSchema extends Record<string, unknown>>(
  database: Database<TSchema>,
  schema: string,
  caller: Caller,
  args: PageArgs & { entityId: string },
) {
  const request = pageRequest(args);
  if (request.after !== null && !/^\d{1,19}$/.test(request.after))
    throw badInput('`after` is not a cursor returned by this field', 'after');
  const { auditLog: log } = writeTables(schema);
  const rows = await withClaims(database.db, caller, (tx) =>
    tx
      .select({
        id: log.id,
        // Milliseconds in UTC, the same text on either driver.
        at: sql<string>`to_char(${log.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
        entityType: log.entityType,
        entityId: log.entityId,
        operation: log.operation,
        actorRole: log.actorRole,
        actor: log.actor,
        before: log.before,
        after: log.after,
      })
      .from(log)
      .where(and(eq(log.entityId, args.entityId), gt(log.id, BigInt(request.after ?? '0'))))
      .orderBy(log.id)
      .limit(request.limit + 1),
  );
  const entries = rows.map(({ id, before, after, ...row }) => ({ key: String(id), ...row, before: json(before), after: json(after) }));
  return toConnection(
    entries,
    request,
    (entry) => entry.key,
    async () => entries.length,
  );
}

/** Resolvers for the shared SDL, merged under each slice's own. */
export function sharedResolvers<TSchema extends Record<string, unknown>>(schema: string) {
  return {
    DateTime: DateTimeScalar,
    Query: {
      sliceAuditLog: (_parent: unknown, args: PageArgs & { entityId: string }, context: { database: Database<TSchema>; caller: Caller }) =>
        readAuditLog(context.database, schema, context.caller, args),
    },
  };
}
