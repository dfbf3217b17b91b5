import { facts, referenceDataset, scaled } from '@gongzhi/dataset';
import { describe, expect, it } from 'vitest';
import { entities, sql, useSeededFunding } from './harness.ts';

const h = useSeededFunding();

const ok = h.data;

/** `_entities` of one type, as the gateway sends it; `extra` goes into every representation. */
async function resolve(typename: string, ids: readonly string[], selection: string, extra: Record<string, unknown> = {}): Promise<any[]> {
  const data = await ok(entities(typename, selection), { representations: ids.map((id) => ({ __typename: typename, id, ...extra })) });
  return data._entities;
}

async function badInput(typename: string, id: string, selection: string, argument: string) {
  const { errors } = await h.query(entities(typename, selection), { representations: [{ __typename: typename, id }] });
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(errors?.[0]?.extensions?.argument).toBe(argument);
}

/**
 * The hand computation: net expenditure (expenditure − refunds) on the grants of the micro-project fund's
 * programmes charged to `year`, where `area` holds; null when there is no such grant.
 */
async function handSpend(area: ReturnType<typeof sql>, year: number): Promise<number | null> {
  const { grants, fen } = await h.one<{ grants: number; fen: string }>(sql`select count(distinct g.id)::int as grants,
      coalesce(sum(case t.type when 'EXPENDITURE' then t.amount_fen when 'REFUND' then -t.amount_fen else 0 end), 0)::text as fen
    from funding.grants g
      join funding.programmes p on p.id = g.programme_id
      join funding.funds f on f.id = p.fund_id
      left join funding.transactions t on t.grant_id = g.id
    where f.kind = 'MICRO_PROJECT_FUND' and g.year = ${year} and ${area}`);
  return grants === 0 ? null : Number(fen);
}

const district = 'dst-440306';
const spendSelection = `id s17: microProjectSpend(year: 2017) { amount currency } s18: microProjectSpend(year: 2018) { amount }
  s19: microProjectSpend(year: 2019) { amount } latest: microProjectSpend { amount }`;

describe('microProjectSpend', () => {
  it('equals the hand computation for a community, a sub-district and the district, in every year', async () => {
    const { community, subdistrict } = await h.one<{ community: string; subdistrict: string }>(sql`select
      (select beneficiary_community_id from funding.grants where programme_id = 'prog-micro-projects' and status = 'COMPLETED'
        group by 1 order by count(*) desc, 1 limit 1) as community,
      (select beneficiary_subdistrict_id from funding.grants where programme_id = 'prog-micro-projects' group by 1 order by 1 limit 1) as subdistrict`);
    const data = await ok(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Community { ${spendSelection} } ... on Subdistrict { ${spendSelection} } ... on District { ${spendSelection} } } }`,
      {
        r: [
          { __typename: 'Community', id: community },
          { __typename: 'Subdistrict', id: subdistrict },
          { __typename: 'District', id: district },
        ],
      },
    );
    const [c, s, d] = data._entities;
    const areas: [any, ReturnType<typeof sql>][] = [
      [c, sql`g.beneficiary_community_id = ${community}`],
      [s, sql`g.beneficiary_subdistrict_id = ${subdistrict}`],
      [d, sql`true`],
    ];
    for (const [answer, where] of areas) {
      for (const [field, year] of [
        ['s17', 2017],
        ['s18', 2018],
        ['s19', 2019],
      ] as const) {
        const expected = await handSpend(where, year);
        expect(answer[field]?.amount ?? null).toBe(expected);
      }
      // Default: the latest budget year with micro-project grants (2019).
      expect(answer.latest).toEqual(answer.s19);
    }
    expect(c.s17.currency).toBe('CNY');
    expect(d.s19.amount).toBeGreaterThan(s.s19.amount);
    expect([c.s17, c.s18, c.s19].some((spend) => spend !== null && spend.amount > 0)).toBe(true);
  });

  it("sums the 10 sub-districts' spend to the district's, every year", async () => {
    const subdistricts = (
      await h.rows<{ id: string }>(sql`select distinct beneficiary_subdistrict_id as id from funding.grants order by 1`)
    ).map((row) => row.id);
    expect(subdistricts).toHaveLength(10);
    const parts = await resolve('Subdistrict', subdistricts, spendSelection);
    const [whole] = await resolve('District', [district], spendSelection);
    for (const field of ['s17', 's18', 's19', 'latest']) {
      const sum = parts.reduce((total, part) => total + (part[field]?.amount ?? 0), 0);
      expect(sum).toBe(whole[field].amount);
      expect(sum).toBeGreaterThan(0);
    }
  });

  it('is zero for an area whose grants have spent nothing yet, and null without grants that year', async () => {
    const { unspent } = await h.one<{ unspent: string }>(sql`select g.beneficiary_community_id as unspent from funding.grants g
      where g.programme_id = 'prog-micro-projects' and g.year = 2019
      group by 1 having bool_and(not exists (select 1 from funding.transactions t where t.grant_id = g.id and t.type = 'EXPENDITURE'))
      order by 1 limit 1`);
    const { without } = await h.one<{ without: string }>(sql`select b.community_id as without from funding.budgets b where b.year = 2019
      and not exists (select 1 from funding.grants g where g.beneficiary_community_id = b.community_id and g.programme_id = 'prog-micro-projects'
        and g.year = 2019) order by 1 limit 1`);
    const [zero, none, unknown] = await resolve(
      'Community',
      [unspent, without, 'com-none'],
      'id microProjectSpend { amount } microProjectSpendPerResident(year: 2019)',
      {
        populationHistory: [{ year: 2019, total: 1000 }],
      },
    );
    expect(zero.microProjectSpend).toEqual({ amount: 0 });
    expect(zero.microProjectSpendPerResident).toBe(0);
    expect(none.microProjectSpend).toBeNull();
    expect(none.microProjectSpendPerResident).toBeNull();
    expect(unknown).toEqual({ id: 'com-none', microProjectSpend: null, microProjectSpendPerResident: null });
    const [early] = await resolve('District', [district], 'microProjectSpend(year: 2016) { amount }');
    expect(early.microProjectSpend).toBeNull();
  });

  it('refuses a year out of range, naming the argument', async () => {
    await badInput('Community', 'com-440306001001', 'microProjectSpend(year: 3000) { amount }', 'year');
    await badInput('Subdistrict', 'sd-440306001', 'microProjectSpendPerResident(year: 1000)', 'year');
    await badInput('District', district, 'microProjectSpend(year: 1899) { amount }', 'year');
    await badInput('Community', 'com-440306001001', 'budget(year: 2200) { id }', 'year');
  });
});

describe('microProjectSpendPerResident', () => {
  it('divides the spend in CNY by the population the representation carries for that year', async () => {
    const history = [
      { year: 2017, total: 0 },
      { year: 2018, total: 4_000 },
      { year: 2019, total: 5_000 },
    ];
    const selection = `s18: microProjectSpend(year: 2018) { amount } s19: microProjectSpend(year: 2019) { amount }
      r17: microProjectSpendPerResident(year: 2017) r18: microProjectSpendPerResident(year: 2018)
      r19: microProjectSpendPerResident(year: 2019) latest: microProjectSpendPerResident`;
    for (const [typename, id] of [
      ['Subdistrict', 'sd-440306001'],
      ['District', district],
    ] as const) {
      const [area] = await resolve(typename, [id], selection, { populationHistory: history });
      expect(area.s19.amount).toBeGreaterThan(0);
      expect(area.r19).toBeCloseTo(area.s19.amount / 100 / 5_000, 12);
      expect(area.r18).toBeCloseTo(area.s18.amount / 100 / 4_000, 12);
      expect(area.latest).toBe(area.r19);
      // A count of zero residents gives no ratio.
      expect(area.r17).toBeNull();
    }
    const [noYear] = await resolve('Subdistrict', ['sd-440306001'], 'microProjectSpendPerResident(year: 2019)', {
      populationHistory: [{ year: 2018, total: 4_000 }],
    });
    expect(noYear.microProjectSpendPerResident).toBeNull();
    const [noPopulation] = await resolve('District', [district], 'microProjectSpendPerResident(year: 2019)');
    expect(noPopulation.microProjectSpendPerResident).toBeNull();
    const [fromSql] = await resolve('Subdistrict', ['sd-440306001'], 'microProjectSpendPerResident(year: 2019)', {
      populationHistory: [{ year: 2019, total: 5_000 }],
    });
    expect(fromSql.microProjectSpendPerResident).toBeCloseTo(
      (await handSpend(sql`g.beneficiary_subdistrict_id = 'sd-440306001'`, 2019))! / 100 / 5_000,
      12,
    );
  });
});

/** The published figure at the scale the tests seed at. */
const atScale = (figure: number) => scaled(figure, referenceDataset().options.scale);

describe('District.microProjectBudget', () => {
  it("sums the micro-project fund's budgets of each year as SQL does, zero for a year without budgets", async () => {
    const years = [2016, 2017, 2018, 2019];
    const data = await ok(
      entities('District', years.map((year) => `b${year}: microProjectBudget(year: ${year}) { amount currency }`).join(' ')),
      {
        representations: [{ __typename: 'District', id: district }],
      },
    );
    const [answer] = data._entities;
    for (const year of years) {
      const { fen } = await h.one<{ fen: string }>(sql`select coalesce(sum(b.amount_fen), 0)::text as fen from funding.budgets b
        join funding.programmes p on p.id = b.programme_id join funding.funds f on f.id = p.fund_id
        where f.kind = 'MICRO_PROJECT_FUND' and b.year = ${year}`);
      expect(answer[`b${year}`]).toEqual({ amount: Number(fen), currency: 'CNY' });
    }
    expect(answer.b2016.amount).toBe(0);
    expect(answer.b2019.amount).toBe(atScale(facts.microProjects.annualBudgetCny) * 100);
    expect(answer.b2018.amount).toBeLessThan(answer.b2019.amount);
  });

  it("leaves out other programmes' budgets", async () => {
    const query = entities('District', 'microProjectBudget(year: 2019) { amount }');
    const representations = [{ __typename: 'District', id: district }];
    const before = (await ok(query, { representations }))._entities[0].microProjectBudget.amount;
    await h.rows(sql`insert into funding.budgets (id, programme_id, community_id, subdistrict_id, year, amount_fen)
      values ('bud-test-charity', 'prog-cf-001', 'com-test', 'sd-test', 2019, 12345)`);
    try {
      expect((await ok(query, { representations }))._entities[0].microProjectBudget.amount).toBe(before);
    } finally {
      await h.rows(sql`delete from funding.budgets where id = 'bud-test-charity'`);
    }
  });

  it('refuses a year out of range, naming the argument', async () => {
    await badInput('District', district, 'microProjectBudget(year: 1899) { amount }', 'year');
  });
});

const kinds = [null, 'MICRO_PROJECT_FUND', 'SOCIAL_ORGANISATION_SUPPORT', 'CHARITY_FUND'] as const;
/** Every year with grants, and one without. */
const totalsCases = [2016, 2017, 2018, 2019].flatMap((year) => kinds.map((kind) => ({ alias: `t${year}_${kind ?? 'ALL'}`, year, kind })));
const totalsSelection = totalsCases
  .map(
    ({ alias, year, kind }) => `${alias}: grantTotals(year: ${year}${kind ? `, kind: ${kind}` : ''}) {
    year kind grants recipients awarded { amount currency } disbursed { amount currency } }`,
  )
  .join(' ');

/**
 * The hand computation: the grants charged to `year` where `area` holds, of `kind` (null: every kind);
 * disbursed is summed from the transactions side, apart from the grants' own sums.
 */
async function handTotals(area: ReturnType<typeof sql>, year: number, kind: string | null) {
  const where = sql`g.year = ${year} and ${area} and ${kind === null ? sql`true` : sql`f.kind::text = ${kind}`}`;
  const joins = sql`join funding.programmes p on p.id = g.programme_id join funding.funds f on f.id = p.fund_id`;
  const totals = await h.one<{ grants: number; recipients: number; awarded: string }>(sql`select count(*)::int as grants,
      count(distinct g.recipient_organisation_id)::int as recipients, coalesce(sum(g.amount_fen), 0)::text as awarded
    from funding.grants g ${joins} where ${where}`);
  const { disbursed } = await h.one<{ disbursed: string }>(sql`select coalesce(sum(t.amount_fen), 0)::text as disbursed
    from funding.transactions t join funding.grants g on g.id = t.grant_id ${joins} where t.type = 'DISBURSEMENT' and ${where}`);
  return {
    year,
    kind,
    grants: totals.grants,
    recipients: totals.recipients,
    awarded: { amount: Number(totals.awarded), currency: 'CNY' },
    disbursed: { amount: Number(disbursed), currency: 'CNY' },
  };
}

describe('grantTotals', () => {
  it('equals the hand computation for the district and every sub-district, each year and kind, and for a year without grants', async () => {
    const subdistricts = (
      await h.rows<{ id: string }>(sql`select distinct beneficiary_subdistrict_id as id from funding.grants order by 1`)
    ).map((row) => row.id);
    expect(subdistricts).toHaveLength(10);
    const data = await ok(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on District { ${totalsSelection} } ... on Subdistrict { ${totalsSelection} } } }`,
      {
        r: [{ __typename: 'District', id: district }, ...subdistricts.map((id) => ({ __typename: 'Subdistrict', id }))],
      },
    );
    const [whole, ...parts] = data._entities;
    const areas: [any, ReturnType<typeof sql>][] = [
      [whole, sql`true`],
      ...parts.map((part: any, i: number): [any, ReturnType<typeof sql>] => [
        part,
        sql`g.beneficiary_subdistrict_id = ${subdistricts[i]!}`,
      ]),
    ];
    for (const [answer, where] of areas) {
      for (const { alias, year, kind } of totalsCases) expect(answer[alias], alias).toEqual(await handTotals(where, year, kind));
    }
    for (const { alias } of totalsCases) {
      // Grants, awarded and disbursed add up over the sub-districts; recipients need not (one may receive in two).
      const sum = (pick: (totals: any) => number) => parts.reduce((total: number, part: any) => total + pick(part[alias]), 0);
      expect(sum((t) => t.grants)).toBe(whole[alias].grants);
      expect(sum((t) => t.awarded.amount)).toBe(whole[alias].awarded.amount);
      expect(sum((t) => t.disbursed.amount)).toBe(whole[alias].disbursed.amount);
    }
    // Figures that tell a wrong sum apart: a year without grants is all zeros; some organisation receives
    // two grants of a year; part of 2019's money is not disbursed yet.
    expect(whole.t2016_ALL).toEqual({
      year: 2016,
      kind: null,
      grants: 0,
      recipients: 0,
      awarded: { amount: 0, currency: 'CNY' },
      disbursed: { amount: 0, currency: 'CNY' },
    });
    expect(totalsCases.some(({ alias }) => whole[alias].recipients < whole[alias].grants)).toBe(true);
    expect(whole.t2019_ALL.disbursed.amount).toBeGreaterThan(0);
    expect(whole.t2019_ALL.disbursed.amount).toBeLessThan(whole.t2019_ALL.awarded.amount);
    expect(whole.t2018_ALL.grants).toBe(
      whole.t2018_MICRO_PROJECT_FUND.grants + whole.t2018_SOCIAL_ORGANISATION_SUPPORT.grants + whole.t2018_CHARITY_FUND.grants,
    );
    expect(whole.t2018_CHARITY_FUND.grants).toBeGreaterThan(0);
  });

  it('gives the published 2019 social-organisation support: 56 organisations, 5 M CNY at scale 1', async () => {
    const [answer] = await resolve(
      'District',
      [district],
      'grantTotals(year: 2019, kind: SOCIAL_ORGANISATION_SUPPORT) { grants recipients awarded { amount } }',
    );
    expect(answer.grantTotals).toEqual({
      grants: facts.socialOrganisations.supported2019,
      recipients: facts.socialOrganisations.supported2019,
      awarded: { amount: atScale(facts.socialOrganisations.supportFund2019Cny) * 100 },
    });
  });

  it('refuses a year out of range, naming the argument', async () => {
    await badInput('District', district, 'grantTotals(year: 2101) { grants }', 'year');
    await badInput('Subdistrict', 'sd-440306001', 'grantTotals(year: 1000, kind: CHARITY_FUND) { grants }', 'year');
  });
});

describe('Community.budget', () => {
  it("gives every programme's budget for the community, by default in the latest budget year", async () => {
    const communities = (await h.rows<{ id: string }>(sql`select distinct community_id as id from funding.budgets order by 1`)).map(
      (row) => row.id,
    );
    expect(communities).toHaveLength(124);
    const answers = await resolve(
      'Community',
      communities,
      'id budget { year amount { amount } programme { id } community { id } } b17: budget(year: 2017) { year } b16: budget(year: 2016) { id }',
    );
    const latest = answers.flatMap((c) => c.budget);
    expect(latest).toHaveLength(124);
    expect(latest.every((b: any) => b.year === 2019 && b.programme.id === 'prog-micro-projects')).toBe(true);
    expect(
      answers.every((c) => c.budget[0].community.id === c.id && c.b17.length === 1 && c.b17[0].year === 2017 && c.b16.length === 0),
    ).toBe(true);
    expect(latest.reduce((sum: number, b: any) => sum + b.amount.amount, 0) * 0.01).toBe(2_480_000);
  });
});

describe('nested grant connections', () => {
  it('lists the grants of a community, a sub-district (by kind) and a recipient newest first, paged like the root', async () => {
    const { community, subdistrict, recipient } = await h.one<{ community: string; subdistrict: string; recipient: string }>(sql`select
      (select beneficiary_community_id from funding.grants group by 1 order by count(*) desc, 1 limit 1) as community,
      (select beneficiary_subdistrict_id from funding.grants group by 1 order by count(*) desc, 1 limit 1) as subdistrict,
      (select recipient_organisation_id from funding.grants group by 1 order by count(*) desc, 1 limit 1) as recipient`);
    const cases: [string, string, string, ReturnType<typeof sql>][] = [
      ['Community', community, 'grants', sql`beneficiary_community_id = ${community}`],
      ['Community', community, 'grants(year: 2019)', sql`beneficiary_community_id = ${community} and year = 2019`],
      ['Subdistrict', subdistrict, 'grants', sql`beneficiary_subdistrict_id = ${subdistrict}`],
      [
        'Subdistrict',
        subdistrict,
        'grants(kind: CHARITY_FUND)',
        sql`beneficiary_subdistrict_id = ${subdistrict} and programme_id in (select p.id from funding.programmes p join funding.funds f on f.id = p.fund_id where f.kind = 'CHARITY_FUND')`,
      ],
      [
        'Subdistrict',
        subdistrict,
        'grants(year: 2019, kind: MICRO_PROJECT_FUND)',
        sql`beneficiary_subdistrict_id = ${subdistrict} and year = 2019 and programme_id = 'prog-micro-projects'`,
      ],
      ['Organisation', recipient, 'grantsReceived', sql`recipient_organisation_id = ${recipient}`],
      ['Organisation', recipient, 'grantsReceived(year: 2018)', sql`recipient_organisation_id = ${recipient} and year = 2018`],
    ];
    for (const [typename, id, field, where] of cases) {
      const expected = (await h.rows<{ id: string }>(sql`select id from funding.grants where ${where} order by awarded_on desc, id`)).map(
        (row) => row.id,
      );
      expect(expected.length, `${typename}.${field}`).toBeGreaterThan(0);
      const name = field.replace(/\(.*/, '');
      const args = field.includes('(') ? field.slice(field.indexOf('(') + 1, -1) + ', ' : '';
      const walked: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await ok(
          `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on ${typename} {
            page: ${name}(${args}first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`,
          { r: [{ __typename: typename, id }], after },
        );
        const page = data._entities[0].page;
        expect(page.totalCount).toBe(expected.length);
        walked.push(...page.edges.map((edge: any) => edge.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(walked, `${typename}.${field}`).toEqual(expected);
    }
    await badInput('Organisation', recipient, 'grantsReceived(first: 1000) { totalCount }', 'first');
    await badInput('Subdistrict', subdistrict, 'grants(after: "nope") { totalCount }', 'after');
    await badInput('Community', community, 'grants(year: 99) { totalCount }', 'year');
  });
});

describe('MicroProject', () => {
  it('gives the grants of a micro-project and their net expenditure, zero when it has none', async () => {
    const projects = await h.rows<{
      id: string;
      grants: string[];
      fen: string;
    }>(sql`select g.micro_project_id as id, array_agg(distinct g.id) as grants,
        coalesce(sum(case t.type when 'EXPENDITURE' then t.amount_fen when 'REFUND' then -t.amount_fen else 0 end), 0)::text as fen
      from funding.grants g left join funding.transactions t on t.grant_id = g.id
      where g.micro_project_id is not null group by 1 order by 1`);
    expect(projects.length).toBeGreaterThan(0);
    const answers = await resolve(
      'MicroProject',
      [...projects.map((p) => p.id), 'mp-none'],
      'id grants { id microProject { id } } spent { amount currency }',
    );
    projects.forEach((project, i) => {
      expect(answers[i].grants.map((g: any) => g.id)).toEqual(project.grants);
      expect(answers[i].grants.every((g: any) => g.microProject.id === project.id)).toBe(true);
      expect(answers[i].spent).toEqual({ amount: Number(project.fen), currency: 'CNY' });
    });
    expect(answers.at(-1)).toEqual({ id: 'mp-none', grants: [], spent: { amount: 0, currency: 'CNY' } });
    // One with a refund, to be sure refunds are taken off.
    const { refunded } = await h.one<{ refunded: string }>(sql`select g.micro_project_id as refunded from funding.grants g
      join funding.transactions t on t.grant_id = g.id where t.type = 'REFUND' and g.micro_project_id is not null order by 1 limit 1`);
    const [project] = await resolve(
      'MicroProject',
      [refunded],
      'spent { amount } grants { balance { spent { amount } refunded { amount } } }',
    );
    const { spent, refunded: back } = project.grants[0].balance;
    expect(back.amount).toBeGreaterThan(0);
    expect(project.spent.amount).toBe(spent.amount - back.amount);
  });
});
