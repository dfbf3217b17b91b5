import { connectionFromArray, withClaims } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import type { QueryResolvers } from '../../../generated/graphql.ts';

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

export const Query: QueryResolvers = {
  auditLog: async (_parent, { entityId, first, after }, { database, caller }) => {
    const rows = await withClaims(database.db, caller, async (tx) => {
      const result: any = await tx.execute(
        sql`select id::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, entity_type, entity_id, operation, actor_role, actor, before, after
              from funding.audit_log where entity_id = ${entityId} order by id`,
      );
      return (result.rows ?? result) as AuditRow[];
    });
    const entries = rows.map((row) => ({
      key: row.id.padStart(20, '0'),
      at: row.at,
      entityType: row.entity_type,
      entityId: row.entity_id,
      operation: row.operation,
      actorRole: row.actor_role,
      actor: row.actor,
      before: json(row.before),
      after: json(row.after),
    }));
    return connectionFromArray(entries, { first, after }, (entry) => entry.key);
  },
};
