import { residentIdNumber } from '@gongzhi/dataset';
import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import type { SubgraphHarness } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';

/** Who calls the slice's mutations in the write tests. */
export const staff = (scopes: string[], subject = 'clerk-1'): Caller => ({
  role: 'staff',
  subject,
  organisationId: null,
  department: 'organisation',
  scopes,
});
/** May write, may not read personal data. */
export const writer = staff(['write:people']);
/** May write and read personal data. */
export const clerk = staff(['write:people', 'read:personal'], 'clerk-2');
export const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: ['write:people'] };
export const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:people'] };
/** Everyone refused: the public, analysts and partners whatever their token says, and staff without the scope. */
export const refused: Caller[] = [publicCaller, analyst, partner, staff(['read:personal'])];

type Harness = SubgraphHarness<any, any>;

/** Rows of the slice's tables a mutation may write, counted as the owner (what "changes nothing" compares). */
export const tables = ['persons', 'memberships', 'workers', 'trainings', 'evaluations', 'audit_log', 'idempotency_keys'] as const;
export async function counts(h: Harness): Promise<Record<(typeof tables)[number], number>> {
  const [row] = await h.rows<Record<(typeof tables)[number], number>>(
    sql.raw(`select ${tables.map((table) => `(select count(*)::int from people.${table}) as ${table}`).join(', ')}`),
  );
  return row!;
}

/** The audit entries of one entity, as admins read them, `before`/`after` parsed. */
export async function auditOf(h: Harness, entityId: string) {
  const { sliceAuditLog } = await h.data(
    `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { entityType operation actorRole actor before after } } } }`,
    { id: entityId },
    adminCaller,
  );
  return sliceAuditLog.edges.map(({ node }: any) => ({
    ...node,
    before: node.before && JSON.parse(node.before),
    after: node.after && JSON.parse(node.after),
  }));
}

/** Runs one mutation as each refused caller: FORBIDDEN, no payload, and nothing written. */
export async function expectRefused(h: Harness, mutation: string, input: Record<string, unknown>) {
  const before = await counts(h);
  for (const caller of refused) {
    const result = await h.query(mutation, { input }, caller);
    expect(result.data?.[Object.keys(result.data ?? {})[0] ?? ''] ?? null, caller.role).toBeNull();
    expect(
      result.errors?.map((e) => e.extensions?.code),
      caller.role,
    ).toEqual(['FORBIDDEN']);
  }
  expect(await counts(h)).toEqual(before);
}

/**
 * A valid resident ID number no seeded resident has (the seed numbers each region and birth date from 0; these
 * start at 900), built by the dataset's own GB 11643 code, not the slice's.
 */
export function freshIdNumber(n: number, gender: 'MALE' | 'FEMALE' = 'FEMALE', birthDate = '1988-06-15'): string {
  return residentIdNumber('440306', birthDate, 900 + 2 * n + (gender === 'MALE' ? 1 : 0));
}

/** A person of the seed: adult, no worker record, no membership. */
export async function plainAdult(h: Harness, offset: number) {
  const [row] = await h.rows<{ id: string; birth_date: string; community_id: string }>(sql`
    select id, birth_date::text as birth_date, community_id from people.persons p
     where birth_year between 1960 and 1995
       and not exists (select 1 from people.workers w where w.person_id = p.id)
       and not exists (select 1 from people.memberships m where m.person_id = p.id)
     order by id limit 1 offset ${offset}`);
  return row!;
}
