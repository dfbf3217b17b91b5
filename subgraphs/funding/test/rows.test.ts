import { rowsOf, withClaims, type RowClaims } from '@gongzhi/kit';
import { refusalOf } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededFunding } from './harness.ts';

const h = useSeededFunding();

/** Rows of a statement as the application role, with `claims` stated (or none at all). */
async function asApp<T = Record<string, any>>(statement: ReturnType<typeof sql>, claims?: RowClaims): Promise<T[]> {
  const run = (tx: typeof h.database.db) => rowsOf<T>(tx, statement);
  return claims ? withClaims(h.database.db, claims, run) : run(h.database.db);
}

const count = async (table: 'transactions' | 'progress_reports', claims?: RowClaims, where = sql`true`) =>
  (await asApp<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`funding.${table}`)} r where ${where}`, claims))[0]!.n;

describe('row-level security on partner-owned rows', () => {
  it('binds the role requests run as: no superuser, no BYPASSRLS, not the tables’ owner', async () => {
    const [role] = await asApp<{ name: string; superuser: boolean; bypass: boolean; owner: string }>(sql`
      select current_user as name, r.rolsuper as superuser, r.rolbypassrls as bypass,
             (select tableowner from pg_tables where schemaname = 'funding' and tablename = 'transactions') as owner
        from pg_roles r where r.rolname = current_user`);
    expect(role).toMatchObject({ name: 'gongzhi_app', superuser: false, bypass: false });
    expect(role!.owner).not.toBe('gongzhi_app');
  });

  it('shows partner A its own grants’ rows and not one of partner B’s, in SQL as the application role', async () => {
    const { partner } = await h.one<{ partner: string }>(sql`
      select recipient_organisation_id as partner from funding.grants g
       where exists (select 1 from funding.transactions t where t.grant_id = g.id)
         and exists (select 1 from funding.progress_reports p where p.grant_id = g.id)
       order by id limit 1`);
    const a: RowClaims = { role: 'partner', organisationId: partner };
    const ofA = (alias: string) =>
      sql.raw(
        `exists (select 1 from funding.grants g where g.id = ${alias}.grant_id and '${partner}' in (g.recipient_organisation_id, g.implementing_organisation_id))`,
      );
    for (const table of ['transactions', 'progress_reports'] as const) {
      // What is there, counted as the owner: A's rows and everyone else's.
      const { mine, others } = await h.one<{ mine: number; others: number }>(
        sql`select count(*) filter (where ${ofA('r')})::int as mine, count(*) filter (where not ${ofA('r')})::int as others from ${sql.raw(`funding.${table}`)} r`,
      );
      expect(mine, table).toBeGreaterThan(0);
      expect(others, table).toBeGreaterThan(0);
      // A's claims: exactly A's rows, even with no filter at all.
      expect(await count(table, a), table).toBe(mine);
      expect(await count(table, a, sql`not ${ofA('r')}`), table).toBe(0);
      // No claims (a resolver that forgot to state them) and the public: nothing.
      expect(await count(table), table).toBe(0);
      expect(await count(table, { role: 'public', organisationId: null }), table).toBe(0);
      // Another partner sees none of A's; analysts and sums over every row see all.
      expect(await count(table, { role: 'partner', organisationId: 'org-nobody' }), table).toBe(0);
      expect(await count(table, { role: 'analyst', organisationId: null }), table).toBe(mine + others);
      expect(await count(table, { role: 'aggregate', organisationId: null }), table).toBe(mine + others);
    }
  });

  it('refuses a partner’s write to another partner’s grant and changes nothing', async () => {
    const { partner, other } = await h.one<{ partner: string; other: string }>(sql`
      select a.recipient_organisation_id as partner, b.id as other from funding.grants a, funding.grants b
       where b.recipient_organisation_id <> a.recipient_organisation_id and b.implementing_organisation_id <> a.recipient_organisation_id
       order by a.id, b.id limit 1`);
    const before = await count('transactions', { role: 'analyst', organisationId: null });
    const refusal = await refusalOf(() =>
      asApp(
        sql`insert into funding.transactions (id, grant_id, type, "on", amount_fen, description) values ('tx-forged', ${other}, 'COMMITMENT', '2019-06-01', 100, 'x')`,
        { role: 'partner', organisationId: partner },
      ),
    );
    expect(refusal).toMatch(/row-level security/);
    expect(await count('transactions', { role: 'analyst', organisationId: null })).toBe(before);
  });
});
