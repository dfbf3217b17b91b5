import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import { describe, expect, it } from 'vitest';
import { sql, useSeededFunding } from './harness.ts';

const h = useSeededFunding();
const staff = (scopes: string[]): Caller => ({ role: 'staff', subject: 'clerk-1', organisationId: null, department: 'finance', scopes });
const writer = staff(['write:funding']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };

const record = `mutation($input: RecordGrantTransactionInput!) { recordGrantTransaction(input: $input) {
  replayed errors { path code message } transaction { id type on amount { amount } description }
  grant { id balance { committed { amount } disbursed { amount } } } } }`;

/** A grant with room to disburse: committed above disbursed. */
async function grantWithRoom() {
  return h.one<{ id: string; awarded: string; committed: number; disbursed: number }>(sql`
    select g.id, g.awarded_on::text as awarded,
           coalesce(sum(t.amount_fen) filter (where t.type = 'COMMITMENT'), 0)::float8 as committed,
           coalesce(sum(t.amount_fen) filter (where t.type = 'DISBURSEMENT'), 0)::float8 as disbursed
      from funding.grants g join funding.transactions t on t.grant_id = g.id
     group by g.id having coalesce(sum(t.amount_fen) filter (where t.type = 'COMMITMENT'), 0) > coalesce(sum(t.amount_fen) filter (where t.type = 'DISBURSEMENT'), 0) + 100
     order by g.id limit 1`);
}
const rowsOf = async (table: 'transactions' | 'audit_log' | 'idempotency_keys') =>
  (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`funding.${table}`)}`)).n;

describe('recordGrantTransaction', () => {
  it('records a disbursement in one transaction, with its audit entry, and answers the new balance', async () => {
    const grant = await grantWithRoom();
    const input = {
      grantId: grant.id,
      type: 'DISBURSEMENT',
      on: '2019-12-20',
      amount: 100,
      description: ' Second tranche ',
      idempotencyKey: 'happy-1',
    };
    const { recordGrantTransaction: result } = await h.data(record, { input }, writer);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.transaction).toMatchObject({
      type: 'DISBURSEMENT',
      on: '2019-12-20',
      amount: { amount: 100 },
      description: 'Second tranche',
    });
    expect(result.grant.balance.disbursed.amount).toBe(grant.disbursed + 100);
    const audit = await h.data(
      `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { operation actorRole actor before after } } } }`,
      { id: result.transaction.id },
      adminCaller,
    );
    expect(audit.sliceAuditLog.edges).toHaveLength(1);
    expect(audit.sliceAuditLog.edges[0].node).toMatchObject({
      operation: 'recordGrantTransaction',
      actorRole: 'staff',
      actor: 'clerk-1',
      before: null,
    });
    expect(JSON.parse(audit.sliceAuditLog.edges[0].node.after)).toMatchObject({
      id: result.transaction.id,
      amountFen: 100,
      grantId: grant.id,
    });
  });

  it('answers each mutation of one operation as its own write left things, not as an earlier field cached them', async () => {
    const grant = await grantWithRoom();
    const input = (key: string) => ({
      grantId: grant.id,
      type: 'DISBURSEMENT',
      on: '2019-12-20',
      amount: 10,
      description: 'Tranche',
      idempotencyKey: key,
    });
    const both = await h.data(
      `mutation($a: RecordGrantTransactionInput!, $b: RecordGrantTransactionInput!) {
        a: recordGrantTransaction(input: $a) { errors { code } grant { balance { disbursed { amount } } } }
        b: recordGrantTransaction(input: $b) { errors { code } grant { balance { disbursed { amount } } } } }`,
      { a: input('one-operation-a'), b: input('one-operation-b') },
      writer,
    );
    expect([both.a.grant.balance.disbursed.amount, both.b.grant.balance.disbursed.amount]).toEqual([
      grant.disbursed + 10,
      grant.disbursed + 20,
    ]);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const grant = await grantWithRoom();
    const base = { grantId: grant.id, type: 'DISBURSEMENT', on: '2019-12-20', amount: 100, description: 'x', idempotencyKey: 'bad' };
    const before = await Promise.all([rowsOf('transactions'), rowsOf('audit_log'), rowsOf('idempotency_keys')]);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ amount: 0 }, ['amount'], 'INVALID'],
      [{ amount: -5 }, ['amount'], 'INVALID'],
      [{ description: '   ' }, ['description'], 'REQUIRED'],
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
      [{ description: 'a\u0000b' }, ['description'], 'INVALID'],
      [{ grantId: 'grant-none', idempotencyKey: 'bad-2' }, ['grantId'], 'NOT_FOUND'],
      [{ on: '1999-01-01', idempotencyKey: 'bad-3' }, ['on'], 'INVALID'],
      [{ amount: grant.committed - grant.disbursed + 1, idempotencyKey: 'bad-4' }, ['amount'], 'LIMIT_EXCEEDED'],
      [{ type: 'REFUND', amount: 10 ** 12, idempotencyKey: 'bad-5' }, ['amount'], 'LIMIT_EXCEEDED'],
    ];
    for (const [change, path, code] of cases) {
      const { recordGrantTransaction: result } = await h.data(record, { input: { ...base, ...change } }, writer);
      expect(result.transaction, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await Promise.all([rowsOf('transactions'), rowsOf('audit_log'), rowsOf('idempotency_keys')])).toEqual(before);
  });

  it('is refused to the public, analysts, partners and staff without write:funding', async () => {
    const grant = await grantWithRoom();
    const before = await rowsOf('transactions');
    const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:funding'] };
    for (const caller of [publicCaller, analyst, partner, staff(['read:personal'])]) {
      const input = {
        grantId: grant.id,
        type: 'DISBURSEMENT',
        on: '2019-12-20',
        amount: 1,
        description: 'x',
        idempotencyKey: `forbidden-${caller.role}`,
      };
      const result = await h.query(record, { input }, caller);
      expect(result.data?.recordGrantTransaction ?? null, caller.role).toBeNull();
      expect(
        result.errors?.map((e) => e.extensions?.code),
        caller.role,
      ).toEqual(['FORBIDDEN']);
    }
    expect(await rowsOf('transactions')).toBe(before);
    const audit = await h.query(`{ sliceAuditLog(entityId: "x") { edges { node { at } } } }`, {}, writer);
    expect(audit.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('answers 50 concurrent retries of one create with one transaction, the same to each', async () => {
    const grant = await grantWithRoom();
    const before = await rowsOf('transactions');
    const input = {
      grantId: grant.id,
      type: 'DISBURSEMENT',
      on: '2019-12-21',
      amount: 1,
      description: 'retried',
      idempotencyKey: 'retry-50',
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(record, { input }, writer)));
    const ids = new Set(answers.map((a: any) => a.recordGrantTransaction.transaction.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.recordGrantTransaction.replayed)).toHaveLength(1);
    expect(await rowsOf('transactions')).toBe(before + 1);
    // A later retry still answers the first result.
    const again = await h.data(record, { input }, writer);
    expect(again.recordGrantTransaction).toMatchObject({ replayed: true, transaction: { id: [...ids][0] } });
  });
});
