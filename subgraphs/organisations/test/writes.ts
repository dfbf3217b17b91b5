import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import type { SubgraphHarness } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';

/** Who calls the slice's mutations in the write tests. */
export const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-1',
  organisationId: null,
  department: 'civil-affairs',
  scopes,
});
export const writer = staff(['write:organisations']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:organisations'] };
/** Everyone but staff with `write:organisations` and admins. */
export const forbiddenCallers = [publicCaller, analyst, partner, staff(['read:personal', 'write:funding'])];

type Harness = SubgraphHarness<any, any>;

/** Rows of one table of the slice, counted as the owner (whatever the app role sees). */
export const rowsOf = async (h: Harness, table: string) =>
  (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`organisations.${table}`)}`)).n;

/** The slice's audit entries of one entity, oldest first. */
export async function auditOf(
  h: Harness,
  entityId: string,
): Promise<{ operation: string; actorRole: string; actor: string; before: any; after: any }[]> {
  const { sliceAuditLog } = await h.data(
    `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { operation actorRole actor before after } } } }`,
    { id: entityId },
    adminCaller,
  );
  return sliceAuditLog.edges.map(({ node }: any) => ({
    ...node,
    before: node.before && JSON.parse(node.before),
    after: node.after && JSON.parse(node.after),
  }));
}

/** Runs `mutation` (the field `field`) and answers its payload; the operation itself must not fail. */
export async function payloadOf(h: Harness, mutation: string, field: string, input: Record<string, unknown>, caller: Caller = writer) {
  const data = await h.data(mutation, { input }, caller);
  return data[field];
}

/** The payload answered the one problem expected, and no entity. */
export function expectProblem(payload: any, entity: string, path: string[], code: string, what: unknown) {
  expect(payload[entity], JSON.stringify(what)).toBeNull();
  expect(
    payload.errors.map((e: any) => [e.path, e.code]),
    JSON.stringify(what),
  ).toEqual([[path, code]]);
  expect(payload.errors[0].message, JSON.stringify(what)).not.toBe('');
}

/** Each forbidden caller is answered FORBIDDEN with no payload. */
export async function expectForbidden(h: Harness, mutation: string, input: (caller: Caller) => Record<string, unknown>) {
  for (const caller of forbiddenCallers) {
    const result = await h.query(mutation, { input: input(caller) }, caller);
    expect(result.data ? Object.values(result.data)[0] : null, caller.role).toBeNull();
    expect(
      result.errors?.map((e) => e.extensions?.code),
      caller.role,
    ).toEqual(['FORBIDDEN']);
  }
}

/**
 * Starts `run` while another transaction holds the row `id` of `table` locked, and releases the lock once
 * the writers have had time to reach it: every writer has started from the same version before any can
 * finish, so a writer that does not lock the row before reading its version is caught (on a server;
 * embedded Postgres runs one transaction at a time anyway).
 */
export async function whileLocked<T>(h: Harness, table: string, id: string, run: () => Promise<T>): Promise<T> {
  let locked!: () => void;
  let release!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const holder = h.database.db.transaction(async (tx: any) => {
    await tx.execute(sql`select 1 from ${sql.raw(`organisations.${table}`)} where id = ${id} for update`);
    locked();
    await released;
  });
  await isLocked;
  const running = run();
  await new Promise((resolve) => setTimeout(resolve, 300));
  release();
  await holder;
  return running;
}
