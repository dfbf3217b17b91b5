import { facts } from '@gongzhi/dataset';
import { describe, expect, it } from 'vitest';
import { FenScalar as Fen } from '@gongzhi/kit';
import { sql, useSeededFunding } from './harness.ts';
import { Kind } from 'graphql';

const h = useSeededFunding();

const ok = h.data;

async function badInput(query: string, argument: string, variables?: Record<string, unknown>) {
  const { errors } = await h.query(query, variables);
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(errors?.[0]?.extensions?.argument).toBe(argument);
}

/** Every grant a root query lists, walking the pages through `endCursor`. */
async function allGrants(filters: string, selection: string, pageSize = 50): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await ok(
      `query($after: String) { grants(${filters}${filters ? ', ' : ''}first: ${pageSize}, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${selection} } } } }`,
      { after },
    );
    const page = data.grants;
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    nodes.push(...page.edges.map((edge: any) => edge.node));
    if (!page.pageInfo.hasNextPage) {
      expect(nodes).toHaveLength(page.totalCount);
      return nodes;
    }
    expect(page.edges).toHaveLength(pageSize);
    after = page.pageInfo.endCursor;
  }
}

async function ids(statement: ReturnType<typeof sql>): Promise<string[]> {
  return (await h.rows<{ id: string }>(statement)).map((row) => row.id);
}

/** Newest award first, then id: the order of every grant list. */
const newestFirst = (a: { awardedOn: string; id: string }, b: { awardedOn: string; id: string }) =>
  b.awardedOn.localeCompare(a.awardedOn) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('Query.funds', () => {
  it('lists every fund by id with its holder and programmes, and filters by kind', async () => {
    const expected = await h.rows<{ id: string; kind: string; name: string; holder: string; programmes: string[] }>(
      sql`select f.id, f.kind, f.name, f.holder_organisation_id as holder,
          array(select p.id from funding.programmes p where p.fund_id = f.id order by p.name collate "C", p.id) as programmes
        from funding.funds f order by f.id collate "C"`,
    );
    const asFunds = (rows: typeof expected) =>
      rows.map(({ id, kind, name, holder, programmes }) => ({
        id,
        kind,
        name,
        holder: { id: holder },
        programmes: programmes.map((p) => ({ id: p })),
      }));
    const selection = 'id kind name holder { id } programmes { id }';
    const all = (await ok(`{ funds { ${selection} } }`)).funds;
    expect(all).toEqual(asFunds(expected));
    let listed = 0;
    for (const kind of ['MICRO_PROJECT_FUND', 'SOCIAL_ORGANISATION_SUPPORT', 'CHARITY_FUND']) {
      const funds = (await ok(`query($kind: FundKind) { funds(kind: $kind) { ${selection} } }`, { kind })).funds;
      expect(funds, kind).toEqual(asFunds(expected.filter((fund) => fund.kind === kind)));
      listed += funds.length;
    }
    expect(listed).toBe(all.length);
    // The district's published count of named charity funds.
    expect((await ok(`{ funds(kind: CHARITY_FUND) { id } }`)).funds).toHaveLength(facts.socialOrganisations.namedCharityFunds);
  });
});

describe('Query.programmes and Query.programme', () => {
  it('lists programmes by name with the kind of their fund, and filters by kind', async () => {
    const all = (await ok(`{ programmes { id name kind fund { id kind holder { id } programmes { id } } funder { id } } }`)).programmes;
    const expected = await h.rows<{ id: string; kind: string; fundId: string; holder: string; funder: string }>(
      sql`select p.id, f.kind, f.id as "fundId", f.holder_organisation_id as holder, p.funder_organisation_id as funder
        from funding.programmes p join funding.funds f on f.id = p.fund_id order by p.name collate "C", p.id`,
    );
    expect(all.map((p: any) => p.id)).toEqual(expected.map((p) => p.id));
    expect(all.map((p: any) => p.name)).toEqual([...all.map((p: any) => p.name)].sort());
    all.forEach((programme: any, i: number) => {
      expect(programme.kind).toBe(expected[i]!.kind);
      expect(programme.fund).toMatchObject({ id: expected[i]!.fundId, kind: expected[i]!.kind, holder: { id: expected[i]!.holder } });
      expect(programme.fund.programmes.map((p: any) => p.id)).toContain(programme.id);
      expect(programme.funder.id).toBe(expected[i]!.funder);
    });
    const byKind = async (kind: string) => (await ok(`{ programmes(kind: ${kind}) { id kind } }`)).programmes;
    const micro = await byKind('MICRO_PROJECT_FUND');
    expect(micro).toEqual([{ id: 'prog-micro-projects', kind: 'MICRO_PROJECT_FUND' }]);
    expect(await byKind('SOCIAL_ORGANISATION_SUPPORT')).toEqual([
      { id: 'prog-social-organisation-support', kind: 'SOCIAL_ORGANISATION_SUPPORT' },
    ]);
    const charity = await byKind('CHARITY_FUND');
    expect(charity).toHaveLength(80);
    expect(charity.every((p: any) => p.kind === 'CHARITY_FUND')).toBe(true);
    expect(micro.length + charity.length + 1).toBe(all.length);
  });

  it('finds a programme by id, and answers null for an unknown one', async () => {
    const data = await ok(`{ programme(id: "prog-cf-007") { id name kind funder { id } } none: programme(id: "prog-none") { id } }`);
    expect(data.programme).toEqual({
      id: 'prog-cf-007',
      name: '慈善基金（7）社区项目',
      kind: 'CHARITY_FUND',
      funder: { id: 'org-cf-007' },
    });
    expect(data.none).toBeNull();
  });

  it('gives the 2019 micro-project budgets of the 124 communities, 2,480,000 CNY in all', async () => {
    const data = await ok(
      `{ programmes(kind: MICRO_PROJECT_FUND) { budgets(year: 2019) { id year amount { amount currency } community { id } programme { id } } } }`,
    );
    const budgets = data.programmes[0].budgets;
    expect(budgets).toHaveLength(124);
    expect(new Set(budgets.map((b: any) => b.community.id)).size).toBe(124);
    expect(budgets.every((b: any) => b.year === 2019 && b.programme.id === 'prog-micro-projects' && b.amount.currency === 'CNY')).toBe(
      true,
    );
    const fen = budgets.reduce((sum: number, b: any) => sum + b.amount.amount, 0);
    expect(fen * 0.01).toBe(2_480_000);
    const { total } = await h.one<{ total: string }>(sql`select sum(amount_fen)::text as total from funding.budgets where year = 2019`);
    expect(Number(total)).toBe(fen);
    const every = (await ok(`{ programme(id: "prog-micro-projects") { budgets { year } } }`)).programme.budgets;
    expect(new Set(every.map((b: any) => b.year))).toEqual(new Set([2017, 2018, 2019]));
    await badInput(`{ programme(id: "prog-micro-projects") { budgets(year: 1899) { id } } }`, 'year');
  });
});

describe('Query.grants', () => {
  it('lists every grant newest award first, keyset-paginated without gaps or repeats', async () => {
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from funding.grants`);
    const nodes = await allGrants('', 'id awardedOn', 25);
    expect(nodes).toHaveLength(n);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(n);
    expect(nodes).toEqual([...nodes].sort(newestFirst));
    expect(nodes[0].awardedOn.startsWith('2019')).toBe(true);
    expect(nodes.at(-1).awardedOn.startsWith('2017')).toBe(true);
  });

  it('filters by programme, recipient, beneficiary community and budget year, alone and together', async () => {
    const { recipient, community } = await h.one<{ recipient: string; community: string }>(
      sql`select (select recipient_organisation_id from funding.grants group by 1 order by count(*) desc, 1 limit 1) as recipient,
        (select beneficiary_community_id from funding.grants group by 1 order by count(*) desc, 1 limit 1) as community`,
    );
    const cases: [string, ReturnType<typeof sql>][] = [
      ['programmeId: "prog-social-organisation-support"', sql`programme_id = 'prog-social-organisation-support'`],
      [`recipientId: "${recipient}"`, sql`recipient_organisation_id = ${recipient}`],
      [`communityId: "${community}"`, sql`beneficiary_community_id = ${community}`],
      ['year: 2018', sql`year = 2018`],
      [
        `programmeId: "prog-micro-projects", communityId: "${community}", year: 2019`,
        sql`programme_id = 'prog-micro-projects' and beneficiary_community_id = ${community} and year = 2019`,
      ],
    ];
    for (const [filters, where] of cases) {
      const expected = await ids(sql`select id from funding.grants where ${where} order by awarded_on desc, id`);
      expect(expected.length).toBeGreaterThan(0);
      const nodes = await allGrants(filters, 'id awardedOn', 7);
      expect(nodes.map((node) => node.id)).toEqual(expected);
    }
    expect((await ok(`{ grants(year: 2016) { totalCount edges { node { id } } } }`)).grants).toEqual({ totalCount: 0, edges: [] });
    expect((await ok(`{ grants(recipientId: "org-none") { totalCount edges { node { id } } } }`)).grants).toEqual({
      totalCount: 0,
      edges: [],
    });
  });

  it('refuses a bad `first`, a malformed cursor and a year out of range, naming the argument', async () => {
    await badInput(`{ grants(first: -1) { totalCount } }`, 'first');
    await badInput(`{ grants(first: 501) { totalCount } }`, 'first');
    await badInput(`{ grants(first: 5, after: "not-a-cursor") { totalCount } }`, 'after');
    await badInput(`query($after: String) { grants(after: $after) { totalCount } }`, 'after', {
      after: Buffer.from('x:1').toString('base64url'),
    });
    await badInput(`{ grants(year: 2101) { totalCount } }`, 'year');
    await badInput(`{ programme(id: "prog-micro-projects") { grants(first: 1000) { totalCount } } }`, 'first');
    await badInput(`{ programme(id: "prog-micro-projects") { grants(year: 1800) { totalCount } } }`, 'year');
  });

  it('pays 2019 social-organisation support to 56 distinct organisations, 50,000 CNY in all', async () => {
    const data = await ok(`{ programmes(kind: SOCIAL_ORGANISATION_SUPPORT) { grants(year: 2019, first: 500) { totalCount
      edges { node { id year amountAwarded { amount currency } recipient { id } implementer { id } programme { kind } } } } } }`);
    const connection = data.programmes[0].grants;
    const grants = connection.edges.map((edge: any) => edge.node);
    expect(connection.totalCount).toBe(56);
    expect(grants).toHaveLength(56);
    expect(
      grants.every((g: any) => g.year === 2019 && g.programme.kind === 'SOCIAL_ORGANISATION_SUPPORT' && g.amountAwarded.currency === 'CNY'),
    ).toBe(true);
    const fen = grants.reduce((sum: number, g: any) => sum + g.amountAwarded.amount, 0);
    expect(fen).toBe(5_000_000);
    expect(fen * 0.01).toBe(50_000);
    expect(new Set(grants.map((g: any) => g.recipient.id)).size).toBe(56);
    const root = await allGrants('programmeId: "prog-social-organisation-support", year: 2019', 'id', 20);
    expect(root.map((g) => g.id)).toEqual(grants.map((g: any) => g.id));
  });
});

describe('Grant', () => {
  it('keeps every balance non-negative and ordered committed ≥ disbursed ≥ spent ≥ refunded, equal to its transactions', async () => {
    const grants = await allGrants(
      '',
      `id status amountAwarded { amount } transactions { id type on amount { amount currency } description }
       balance { committed { amount currency } disbursed { amount } spent { amount } refunded { amount } netSpent { amount } undisbursed { amount } }`,
      500,
    );
    const sums = new Map(
      (
        await h.rows<{ id: string; committed: string; disbursed: string; spent: string; refunded: string }>(sql`select g.id,
          coalesce(sum(t.amount_fen) filter (where t.type = 'COMMITMENT'), 0)::text as committed,
          coalesce(sum(t.amount_fen) filter (where t.type = 'DISBURSEMENT'), 0)::text as disbursed,
          coalesce(sum(t.amount_fen) filter (where t.type = 'EXPENDITURE'), 0)::text as spent,
          coalesce(sum(t.amount_fen) filter (where t.type = 'REFUND'), 0)::text as refunded
        from funding.grants g left join funding.transactions t on t.grant_id = g.id group by g.id`)
      ).map((row) => [row.id, row]),
    );
    expect(grants).toHaveLength(sums.size);
    let refunds = 0;
    for (const grant of grants) {
      const { committed, disbursed, spent, refunded, netSpent, undisbursed } = grant.balance;
      const expected = sums.get(grant.id)!;
      expect([committed.amount, disbursed.amount, spent.amount, refunded.amount]).toEqual(
        [expected.committed, expected.disbursed, expected.spent, expected.refunded].map(Number),
      );
      expect(committed.currency).toBe('CNY');
      expect(refunded.amount).toBeGreaterThanOrEqual(0);
      expect(committed.amount).toBeGreaterThanOrEqual(disbursed.amount);
      expect(disbursed.amount).toBeGreaterThanOrEqual(spent.amount);
      expect(spent.amount).toBeGreaterThanOrEqual(refunded.amount);
      expect(netSpent.amount).toBe(spent.amount - refunded.amount);
      expect(undisbursed.amount).toBe(committed.amount - disbursed.amount);
      // Every grant is committed in full at award.
      expect(committed.amount).toBe(grant.amountAwarded.amount);
      const sum = (type: string) =>
        grant.transactions.filter((t: any) => t.type === type).reduce((s: number, t: any) => s + t.amount.amount, 0);
      expect(sum('EXPENDITURE')).toBe(spent.amount);
      const dates = grant.transactions.map((t: any) => t.on);
      expect(dates).toEqual([...dates].sort());
      if (refunded.amount > 0) refunds += 1;
      if (grant.status === 'AWARDED') expect(disbursed.amount).toBe(0);
    }
    expect(refunds).toBeGreaterThan(0);
  });

  it('answers every field of a grant, its programme, its micro-project and its progress reports', async () => {
    const micro = await h.one<
      Record<string, any>
    >(sql`select *, awarded_on::text as awarded, planned_start::text as start, planned_end::text as end, amount_fen::text as fen
      from funding.grants where micro_project_id is not null order by id limit 1`);
    const data = await ok(
      `query($id: ID!) { grant(id: $id) { id title programme { id kind } funder { id } recipient { id } implementer { id }
      amountAwarded { amount currency } awardedOn plannedStart plannedEnd year beneficiaryCommunity { id } microProject { id } status progressReports { id } } }`,
      {
        id: micro.id,
      },
    );
    expect(data.grant).toEqual({
      id: micro.id,
      title: micro.title,
      programme: { id: 'prog-micro-projects', kind: 'MICRO_PROJECT_FUND' },
      funder: { id: micro.funder_organisation_id },
      recipient: { id: micro.recipient_organisation_id },
      implementer: { id: micro.implementing_organisation_id },
      amountAwarded: { amount: Number(micro.fen), currency: 'CNY' },
      awardedOn: micro.awarded,
      plannedStart: micro.start,
      plannedEnd: micro.end,
      year: micro.year,
      beneficiaryCommunity: { id: micro.beneficiary_community_id },
      microProject: { id: micro.micro_project_id },
      status: micro.status,
      progressReports: [],
    });
    expect(data.grant.plannedStart <= data.grant.plannedEnd).toBe(true);

    const reported = await ok(`{ grant(id: "grant-so-2019-001") { microProject { id } recipient { id } balance { netSpent { amount } }
      progressReports { id grant { id } submittedBy { id } submittedOn periodEnd outputs spend { amount currency } narrative } } }`);
    const reports = reported.grant.progressReports;
    const expected = await h.rows<{ id: string; spend: string }>(
      sql`select id, spend_fen::text as spend from funding.progress_reports where grant_id = 'grant-so-2019-001' order by period_end`,
    );
    expect(reports.map((r: any) => r.id)).toEqual(expected.map((r) => r.id));
    expect(reports.map((r: any) => r.spend.amount)).toEqual(expected.map((r) => Number(r.spend)));
    expect(reported.grant.microProject).toBeNull();
    expect(
      reports.every(
        (r: any) => r.grant.id === 'grant-so-2019-001' && r.submittedBy.id === reported.grant.recipient.id && r.periodEnd < r.submittedOn,
      ),
    ).toBe(true);
    // The partner reports what the balance shows as spent.
    expect(reports.reduce((sum: number, r: any) => sum + r.spend.amount, 0)).toBeLessThanOrEqual(reported.grant.balance.netSpent.amount);
    expect((await ok(`{ grant(id: "grant-none") { id } }`)).grant).toBeNull();
  });
});

describe('the Fen scalar', () => {
  it('serializes safe integers (and exact sums read as text or BigInt) as JSON numbers', () => {
    expect(Fen.serialize(123)).toBe(123);
    expect(Fen.serialize('-4500')).toBe(-4500);
    expect(Fen.serialize(2n ** 40n)).toBe(2 ** 40);
    expect(() => Fen.serialize(1.5)).toThrow(/not a safe integer/);
    expect(() => Fen.serialize('9007199254740993')).toThrow(/not a safe integer/);
    expect(() => Fen.serialize(2n ** 60n)).toThrow(/not a safe integer/);
  });

  it('accepts integer inputs only, refusing the rest with BAD_USER_INPUT', () => {
    expect(Fen.parseValue(100)).toBe(100);
    expect(Fen.parseLiteral({ kind: Kind.INT, value: '250' })).toBe(250);
    const code = (parse: () => unknown) => {
      try {
        parse();
        return null;
      } catch (error) {
        return (error as { extensions?: { code?: string } }).extensions?.code;
      }
    };
    expect(code(() => Fen.parseValue(1.5))).toBe('BAD_USER_INPUT');
    expect(code(() => Fen.parseValue('100'))).toBe('BAD_USER_INPUT');
    expect(code(() => Fen.parseValue(2 ** 53))).toBe('BAD_USER_INPUT');
    expect(code(() => Fen.parseLiteral({ kind: Kind.FLOAT, value: '1.5' }))).toBe('BAD_USER_INPUT');
    expect(code(() => Fen.parseLiteral({ kind: Kind.STRING, value: '100' }))).toBe('BAD_USER_INPUT');
    expect(code(() => Fen.parseLiteral({ kind: Kind.INT, value: '9007199254740993' }))).toBe('BAD_USER_INPUT');
  });
});
