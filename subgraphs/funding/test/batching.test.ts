import { referenceDataset } from '@gongzhi/dataset';
import { describe, expect, it } from 'vitest';
import { entities, sql, useSeededFunding } from './harness.ts';

const h = useSeededFunding();

/** SQL statements one operation sends. */
async function statementsFor(query: string, variables?: Record<string, unknown>) {
  // Reads of rows under row-level security (transactions, progress reports, sums over them) run in a
  // transaction that first states the caller's claims: one more statement per such read, never per row.
  const before = h.database.statementCount();
  const result = await h.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { statements: h.database.statementCount() - before, data: result.data! };
}

type Representation = { __typename: string; id: string } & Record<string, unknown>;

const representations = (typename: string, ids: readonly string[], extra: (id: string) => Record<string, unknown> = () => ({})) =>
  ids.map((id): Representation => ({ __typename: typename, id, ...extra(id) }));

/** Every k-th item, so a small set has the same mix (programmes, years, kinds) as the large one. */
const spread = <T>(items: readonly T[], size: number): T[] =>
  items.filter((_, i) => i % Math.floor(items.length / size) === 0).slice(0, size);

async function ids(statement: ReturnType<typeof sql>): Promise<string[]> {
  return (await h.rows<{ id: string }>(statement)).map((row) => row.id);
}

/** Runs `selection` on 10 and on all `large` representations and expects the same number of statements. */
async function sameStatements(typename: string, selection: string, large: Representation[]) {
  const query = entities(typename, selection);
  const small = await statementsFor(query, { representations: spread(large, 10) });
  const all = await statementsFor(query, { representations: large });
  expect(small.data._entities).toHaveLength(10);
  expect(all.data._entities).toHaveLength(large.length);
  expect(all.data._entities.every((entity: unknown) => entity !== null)).toBe(true);
  expect(all.statements).toBe(small.statements);
  return { small, large: all };
}

const money = '{ amount currency }';
const grantConnection = (args: string) => `(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id awardedOn
  amountAwarded ${money} recipient { id } programme { id kind } balance { netSpent ${money} } } } }`;
const population = (id: string) => ({
  populationHistory: [2017, 2018, 2019].map((year) => ({ year, total: 1_000 + (id.length % 7) * 100 + year - 2017 })),
});

describe('no N+1', () => {
  it('resolves 10 or 200 Grant references with every nested field in the same number of statements', async () => {
    const all = await ids(sql`select id from funding.grants order by id`);
    expect(all.length).toBeGreaterThanOrEqual(200);
    // 200 taken evenly from the id order (which runs micro-project, charity, social-organisation), so the 10
    // taken evenly from those hold every programme kind too.
    const large = representations(
      'Grant',
      Array.from({ length: 200 }, (_, i) => all[Math.floor((i * all.length) / 200)]!),
    );
    const { small, large: every } = await sameStatements(
      'Grant',
      `id title funder { id } recipient { id } implementer { id } amountAwarded ${money} awardedOn plannedStart plannedEnd year status
       beneficiaryCommunity { id } microProject { id }
       programme { id name kind funder { id } fund { id kind name holder { id } programmes { id name } }
         budgets(year: 2019) { id year amount ${money} community { id } programme { id } } grants${grantConnection('year: 2019, first: 2')} }
       transactions { id type on amount ${money} description }
       balance { committed ${money} disbursed ${money} spent ${money} refunded ${money} netSpent ${money} undisbursed ${money} }
       progressReports { id grant { id } submittedBy { id } submittedOn periodEnd outputs spend ${money} narrative }`,
      large,
    );
    for (const { data } of [small, every]) {
      const grants = data._entities;
      expect(new Set(grants.map((g: any) => g.programme.kind))).toEqual(
        new Set(['MICRO_PROJECT_FUND', 'SOCIAL_ORGANISATION_SUPPORT', 'CHARITY_FUND']),
      );
      expect(grants.some((g: any) => g.progressReports.length > 0)).toBe(true);
      expect(grants.some((g: any) => g.microProject !== null)).toBe(true);
    }
    // grants, programmes, funds, programmes by fund, budgets, programme grants page and count, transactions,
    // balances (of the grants, then of the pages' grants), reports; the reports' grants are already loaded
    expect(every.statements).toBeLessThanOrEqual(15);
  });

  it('resolves 10 or 82 Programme references with funds, budgets and grants in the same number of statements', async () => {
    const all = await ids(sql`select id from funding.programmes order by id`);
    expect(all).toHaveLength(82);
    const { large } = await sameStatements(
      'Programme',
      `id name kind funder { id } fund { id kind name holder { id } programmes { id } }
       budgets { id year amount ${money} community { id } } b19: budgets(year: 2019) { id }
       grants${grantConnection('first: 3')} g18: grants${grantConnection('year: 2018, first: 1')}`,
      representations('Programme', all),
    );
    expect(large.data._entities.filter((p: any) => p.grants.totalCount > 0).length).toBeGreaterThan(40);
    // programmes, funds, programmes by fund, two budget filters, two grant pages and counts, balances
    expect(large.statements).toBeLessThanOrEqual(11);
  });

  it('resolves 10 or 124 Community references (population in the representation) with budgets, spend and grants in the same number of statements', async () => {
    const all = await ids(sql`select distinct community_id as id from funding.budgets order by 1`);
    expect(all).toHaveLength(124);
    const { large } = await sameStatements(
      'Community',
      `id budget { id year amount ${money} programme { id kind } community { id } } b17: budget(year: 2017) { id amount ${money} }
       microProjectSpend ${money} s17: microProjectSpend(year: 2017) ${money}
       microProjectSpendPerResident r18: microProjectSpendPerResident(year: 2018)
       grants${grantConnection('first: 2')} g19: grants${grantConnection('year: 2019, first: 1')}`,
      representations('Community', all, population),
    );
    const communities = large.data._entities;
    expect(communities.filter((c: any) => c.microProjectSpendPerResident !== null).length).toBeGreaterThan(10);
    expect(communities.every((c: any) => c.budget.length === 1 && c.b17.length === 1)).toBe(true);
    // two budget years, their programmes and funds, spend (every year at once), two grant pages and counts, balances
    expect(large.statements).toBeLessThanOrEqual(12);
  });

  it('resolves 2 or 10 Subdistrict references and the District with spend and grants in the same number of statements', async () => {
    const all = await ids(sql`select distinct beneficiary_subdistrict_id as id from funding.grants order by 1`);
    expect(all).toHaveLength(10);
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Subdistrict { id microProjectSpend ${money} s17: microProjectSpend(year: 2017) ${money}
        microProjectSpendPerResident r17: microProjectSpendPerResident(year: 2017)
        grants${grantConnection('first: 2')} charity: grants${grantConnection('kind: CHARITY_FUND, year: 2019, first: 2')} }
      ... on District { id microProjectSpend ${money} s17: microProjectSpend(year: 2017) ${money}
        microProjectSpendPerResident r17: microProjectSpendPerResident(year: 2017) } } }`;
    const district = { __typename: 'District', id: 'dst-440306', ...population('dst-440306') };
    const small = await statementsFor(query, {
      representations: [district, ...representations('Subdistrict', all.slice(0, 2), population)],
    });
    const large = await statementsFor(query, { representations: [district, ...representations('Subdistrict', all, population)] });
    expect(large.data._entities).toHaveLength(11);
    expect(large.data._entities.filter((area: any) => area.microProjectSpendPerResident !== null).length).toBeGreaterThan(5);
    expect(large.statements).toBe(small.statements);
    // One spend statement for every area of both levels; two grant pages and counts; programmes, funds, balances
    expect(large.statements).toBeLessThanOrEqual(10);
  });

  it('sums grant totals and budgets of 2 or 10 Subdistricts and the District in one aggregate statement per argument set', async () => {
    const all = await ids(sql`select distinct beneficiary_subdistrict_id as id from funding.grants order by 1`);
    expect(all).toHaveLength(10);
    const totals = `grants recipients awarded ${money} disbursed ${money}`;
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Subdistrict { id all: grantTotals(year: 2019) { ${totals} } so: grantTotals(year: 2019, kind: SOCIAL_ORGANISATION_SUPPORT) { ${totals} }
        cf: grantTotals(year: 2018, kind: CHARITY_FUND) { ${totals} } }
      ... on District { id all: grantTotals(year: 2019) { ${totals} } cf: grantTotals(year: 2018, kind: CHARITY_FUND) { ${totals} }
        b19: microProjectBudget(year: 2019) ${money} b18: microProjectBudget(year: 2018) ${money} } } }`;
    const district = { __typename: 'District', id: 'dst-440306' };
    const small = await statementsFor(query, { representations: [district, ...representations('Subdistrict', all.slice(0, 2))] });
    const large = await statementsFor(query, { representations: [district, ...representations('Subdistrict', all)] });
    expect(large.data._entities).toHaveLength(11);
    expect(large.data._entities.every((area: any) => area.all.grants > 0)).toBe(true);
    expect(large.statements).toBe(small.statements);
    // One per grant-totals argument set (three), each after its claims statement, and one for the budgets of both years.
    expect(large.statements).toBe(7);
  });

  it('lists 1 or 80 funds with their programmes in the same number of statements', async () => {
    const query = `query($kind: FundKind) { funds(kind: $kind) { id kind name holder { id } programmes { id name kind funder { id } } } }`;
    const one = await statementsFor(query, { kind: 'MICRO_PROJECT_FUND' });
    const charity = await statementsFor(query, { kind: 'CHARITY_FUND' });
    expect(one.data.funds).toHaveLength(1);
    expect(charity.data.funds).toHaveLength(80);
    expect(charity.statements).toBe(one.statements);
    // funds, their programmes (the programmes' kind is their fund's, already loaded)
    expect(charity.statements).toBeLessThanOrEqual(3);
  });

  it('resolves 10 or 200 Organisation references with the grants they received in the same number of statements', async () => {
    const recipients = await ids(sql`select distinct recipient_organisation_id as id from funding.grants order by 1`);
    // Recipients first, then organisations of the district that received nothing, up to 200.
    const others = referenceDataset()
      .structure.organisations.map((o) => o.id)
      .filter((id) => !recipients.includes(id));
    const large = representations('Organisation', [...recipients, ...others].slice(0, 200));
    expect(large).toHaveLength(200);
    const { small, large: every } = await sameStatements(
      'Organisation',
      `id grantsReceived${grantConnection('first: 2')} y19: grantsReceived${grantConnection('year: 2019, first: 5')}`,
      large,
    );
    expect(small.data._entities.some((o: any) => o.grantsReceived.totalCount > 0)).toBe(true);
    expect(every.data._entities.filter((o: any) => o.grantsReceived.totalCount > 0)).toHaveLength(recipients.length);
    // two grant pages and counts, programmes, funds, balances
    expect(every.statements).toBeLessThanOrEqual(8);
  });

  it('resolves 10 or every MicroProject reference with its grants and spend in the same number of statements', async () => {
    const all = referenceDataset()
      .services.microProjects.map((project) => project.id)
      .sort();
    expect(all.length).toBeGreaterThan(50);
    const { small, large } = await sameStatements(
      'MicroProject',
      `id spent ${money} grants { id year status amountAwarded ${money} microProject { id } programme { id kind }
        transactions { type amount ${money} } balance { spent ${money} refunded ${money} } progressReports { id } }`,
      representations('MicroProject', all),
    );
    expect(small.data._entities.some((p: any) => p.grants.length > 0)).toBe(true);
    expect(large.data._entities.some((p: any) => p.grants.length === 0 && p.spent.amount === 0)).toBe(true);
    // spent, grants, programmes, funds, transactions, balances, reports
    expect(large.statements).toBeLessThanOrEqual(11);
  });

  it('lists 10 or every grant with nested fields from the root in a constant number of statements', async () => {
    const query = `query($n: Int) { grants(first: $n) { totalCount edges { node { id programme { kind fund { id } } balance { spent ${money} }
      transactions { type } progressReports { id spend ${money} } } } } }`;
    const ten = await statementsFor(query, { n: 10 });
    const all = await statementsFor(query, { n: 500 });
    expect(all.data.grants.edges).toHaveLength(all.data.grants.totalCount);
    expect(all.statements).toBe(ten.statements);
    // page, count, programmes, funds, balances, transactions, reports
    expect(all.statements).toBeLessThanOrEqual(10);
  });
});
