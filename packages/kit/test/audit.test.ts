import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCaller } from '../src/access.ts';
import { readAuditLog } from '../src/audit.ts';
import { openDatabase, type Database } from '../src/db.ts';

// The audit log as every slice's `*_writes` migration creates it, in a scratch schema.
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ name: 'auditcheck', schema: {} });
  await database.rows(sql`create schema auditcheck`);
  await database.rows(sql`create table auditcheck.audit_log (
    id bigint generated always as identity primary key, at timestamptz not null default now(), entity_type text not null,
    entity_id text not null, operation text not null, actor_role text not null, actor text not null, before jsonb, after jsonb)`);
  for (let n = 1; n <= 12; n++) {
    await database.rows(sql`insert into auditcheck.audit_log (entity_type, entity_id, operation, actor_role, actor, after)
      values ('Thing', ${n % 4 === 0 ? 'other' : 'thing-1'}, ${`step-${n}`}, 'staff', 'clerk', ${JSON.stringify({ n })}::jsonb)`);
  }
});
afterAll(async () => database?.close());

describe('readAuditLog', () => {
  it('pages one entity’s entries in the order they were written, past 9 → 10', async () => {
    const operations: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof readAuditLog>> = await readAuditLog(database, 'auditcheck', adminCaller, {
        entityId: 'thing-1',
        first: 4,
        after,
      });
      operations.push(...page.edges.map((edge) => edge.node.operation));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(operations).toEqual(['step-1', 'step-2', 'step-3', 'step-5', 'step-6', 'step-7', 'step-9', 'step-10', 'step-11']);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(
      readAuditLog(database, 'auditcheck', adminCaller, { entityId: 'thing-1', after: Buffer.from('k:x1').toString('base64url') }),
    ).rejects.toThrow(/cursor/);
  });
});
