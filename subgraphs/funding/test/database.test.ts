import { referenceDataset } from '@gongzhi/dataset';
import { seedIfEmpty, serveSubgraph } from '@gongzhi/kit';
import { gatewayCredential, refusalOf, testSubgraphSecret, useFreshDatabase } from '@gongzhi/kit/testing';
import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fundingSeed } from '../src/db/seed.ts';
import { fundingSubgraph } from '../src/server.ts';

const { open } = useFreshDatabase(fundingSubgraph);

describe('seed', () => {
  it('loads the reference dataset into an empty slice only, so restarts never duplicate data', async () => {
    const database = await open();
    try {
      await database.migrate(fundingSubgraph.migrationsFolder);
      referenceDataset(); // built once per process; time the load, not the generator
      const started = performance.now();
      expect(await seedIfEmpty(database, fundingSeed, {})).toBe(true);
      const seconds = (performance.now() - started) / 1000;
      console.log(`funding seed on ${database.driver}: ${seconds.toFixed(2)} s`);
      expect(await seedIfEmpty(database, fundingSeed, {})).toBe(false);
      const data = referenceDataset().funding;
      const [counts] = await database.rows<Record<string, number>>(sql`select
          (select count(*)::int from funding.funds) as funds,
          (select count(*)::int from funding.programmes) as programmes,
          (select count(*)::int from funding.budgets) as budgets,
          (select count(*)::int from funding.grants) as grants,
          (select count(*)::int from funding.transactions) as transactions,
          (select count(*)::int from funding.progress_reports) as reports`);
      expect(counts).toEqual({
        funds: data.funds.length,
        programmes: data.programmes.length,
        budgets: data.budgets.length,
        grants: data.grants.length,
        transactions: data.transactions.length,
        reports: data.progressReports.length,
      });
      // Money survives the round trip exactly (bigint fen read back as numbers).
      const [sums] = await database.rows<{ grants: string; transactions: string }>(sql`select
          (select sum(amount_fen)::text from funding.grants) as grants,
          (select sum(amount_fen)::text from funding.transactions) as transactions`);
      expect(Number(sums!.grants)).toBe(data.grants.reduce((sum, grant) => sum + grant.amountFen, 0));
      expect(Number(sums!.transactions)).toBe(data.transactions.reduce((sum, transaction) => sum + transaction.amountFen, 0));
    } finally {
      await database.close();
    }
  });
});

describe('the database keeps the rules of the model', () => {
  const refusal = refusalOf;

  it('refuses non-positive amounts, unknown transaction types and a second budget for a programme, community and year', async () => {
    const database = await open();
    try {
      await database.migrate(fundingSubgraph.migrationsFolder);
      const run = (statement: SQL) => refusal(() => database.db.execute(statement));
      await database.db.execute(sql`insert into funding.funds values ('fund-t', 'CHARITY_FUND', 'test fund', 'org-t')`);
      await database.db.execute(sql`insert into funding.programmes values ('prog-t', 'fund-t', 'test programme', 'org-t')`);
      const budget = (id: string, amount: number) =>
        sql`insert into funding.budgets values (${id}, 'prog-t', 'com-t', 'sd-t', 2019, ${amount})`;
      expect(await run(budget('bud-0', 0))).toMatch(/budgets_amount_check/);
      expect(await run(budget('bud-1', 100))).toBeNull();
      expect(await run(budget('bud-2', 200))).toMatch(/budgets_programme_community_year_unique/);
      const grant = (id: string, amount: number) => sql`insert into funding.grants (id, programme_id, title, funder_organisation_id,
          recipient_organisation_id, implementing_organisation_id, amount_fen, awarded_on, planned_start, planned_end, year,
          beneficiary_community_id, beneficiary_subdistrict_id, status)
        values (${id}, 'prog-t', 'test', 'org-t', 'org-r', 'org-r', ${amount}, '2019-03-01', '2019-03-10', '2019-12-31', 2019, 'com-t', 'sd-t', 'ACTIVE')`;
      expect(await run(grant('grant-0', -5))).toMatch(/grants_amount_check/);
      expect(await run(grant('grant-t', 1000))).toBeNull();
      const transaction = (id: string, type: string, amount: number) =>
        sql`insert into funding.transactions values (${id}, 'grant-t', ${type}, '2019-04-01', ${amount}, 'test')`;
      expect(await run(transaction('t-0', 'COMMITMENT', 0))).toMatch(/transactions_amount_check/);
      expect(await run(transaction('t-x', 'GIFT', 10))).toMatch(/invalid input value for enum/);
      const [generated] = await database.rows<{ sortKey: string }>(
        sql`select sort_key as "sortKey" from funding.grants where id = 'grant-t'`,
      );
      expect(generated!.sortKey).toMatch(/^\d{7}\/grant-t$/);
    } finally {
      await database.close();
    }
  });

  it('keeps every grant disbursed ≤ committed, spent ≤ disbursed and refunded ≤ spent, checked at commit', async () => {
    const database = await open();
    try {
      await database.migrate(fundingSubgraph.migrationsFolder);
      await database.db.execute(sql`insert into funding.funds values ('fund-b', 'CHARITY_FUND', 'test fund', 'org-t')`);
      await database.db.execute(sql`insert into funding.programmes values ('prog-b', 'fund-b', 'test programme', 'org-t')`);
      await database.db.execute(sql`insert into funding.grants (id, programme_id, title, funder_organisation_id, recipient_organisation_id,
          implementing_organisation_id, amount_fen, awarded_on, planned_start, planned_end, year, beneficiary_community_id,
          beneficiary_subdistrict_id, status)
        values ('grant-b', 'prog-b', 'test', 'org-t', 'org-r', 'org-r', 1000, '2019-03-01', '2019-03-10', '2019-12-31', 2019, 'com-t', 'sd-t', 'ACTIVE')`);
      const insert = (id: string, type: string, amount: number) =>
        sql`insert into funding.transactions values (${id}, 'grant-b', ${type}, '2019-04-01', ${amount}, 'test')`;
      const run = (statement: SQL) => refusal(() => database.db.execute(statement));
      const balance = /transactions_balance_check/;

      expect(await run(insert('t-d0', 'DISBURSEMENT', 10))).toMatch(balance); // nothing committed yet
      expect(await run(insert('t-c1', 'COMMITMENT', 1000))).toBeNull();
      expect(await run(insert('t-d1', 'DISBURSEMENT', 1001))).toMatch(balance);
      expect(await run(insert('t-d1', 'DISBURSEMENT', 600))).toBeNull();
      expect(await run(insert('t-e1', 'EXPENDITURE', 601))).toMatch(balance);
      expect(await run(insert('t-e1', 'EXPENDITURE', 500))).toBeNull();
      expect(await run(insert('t-r1', 'REFUND', 501))).toMatch(balance);
      expect(await run(insert('t-r1', 'REFUND', 50))).toBeNull();
      // Taking back what later movements rest on is refused too: by update and by delete.
      expect(await run(sql`update funding.transactions set amount_fen = 400 where id = 't-d1'`)).toMatch(balance);
      expect(await run(sql`delete from funding.transactions where id = 't-e1'`)).toMatch(balance);
      // Within one transaction the order of the rows is free: only the state at commit counts.
      expect(
        await refusal(() =>
          database.db.transaction(async (tx) => {
            await tx.execute(insert('t-e2', 'EXPENDITURE', 300));
            await tx.execute(insert('t-d2', 'DISBURSEMENT', 300));
            await tx.execute(insert('t-c2', 'COMMITMENT', 200));
          }),
        ),
      ).toBeNull();
      expect(
        await refusal(() =>
          database.db.transaction(async (tx) => {
            await tx.execute(insert('t-e3', 'EXPENDITURE', 300));
          }),
        ),
      ).toMatch(balance);
      const [sums] = await database.rows<{ n: number }>(
        sql`select count(*)::int as n from funding.transactions where grant_id = 'grant-b'`,
      );
      expect(sums!.n).toBe(7);
    } finally {
      await database.close();
    }
  });
});

describe('subgraph HTTP service', () => {
  it('answers health and a query over HTTP', async () => {
    const database = await open();
    await database.migrate(fundingSubgraph.migrationsFolder);
    const running = await serveSubgraph(fundingSubgraph, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
    const origin = new URL(running.url).origin;
    try {
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await gatewayCredential()) },
        body: JSON.stringify({ query: '{ grant(id: "grant-none") { id } programme(id: "prog-none") { id } }' }),
      });
      expect(await response.json()).toEqual({ data: { grant: null, programme: null } });
    } finally {
      await running.stop();
      await database.close();
    }
  });
});
