import { facts, referenceDataset, scaled } from '@gongzhi/dataset';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

const district = { __typename: 'District', id: 'dst-440306' };
const { scale } = referenceDataset().options;
const totalsFields = 'year category projects beneficiaries plannedBudget { amount currency }';
/** The GraphQL enum's order, written out so the answer's order is checked against something else than the SQL. */
const kindOrder = ['LEGAL_ADVICE', 'COUNSELLING', 'ANTI_DRUG', 'CULTURE_ROOM'];

interface Filter {
  year: number | null;
  category: string | null;
}

/** GraphQL arguments of `filter`, e.g. `(year: 2019, category: FACILITY)`. */
function argumentsOf({ year, category }: Filter): string {
  const list = [year === null ? '' : `year: ${year}`, category === null ? '' : `category: ${category}`].filter(Boolean);
  return list.length ? `(${list.join(', ')})` : '';
}

/** The micro-project totals under `filter` of each sub-district recorded on a project, and of them all ('' ), by SQL. */
async function totalsByHand({ year, category }: Filter) {
  const rows = await h.rows<{ area: string | null; projects: number; beneficiaries: number; fen: string }>(sql`
    select subdistrict_id as area, count(*)::int as projects, sum(beneficiaries)::int as beneficiaries, sum(planned_budget_fen)::text as fen
    from services.micro_projects
    where (${year}::int is null or year = ${year}::int) and (${category}::text is null or category::text = ${category}::text)
    group by rollup (subdistrict_id)`);
  const totals = (row: (typeof rows)[number] | undefined) => ({
    year,
    category,
    projects: row?.projects ?? 0,
    beneficiaries: row?.beneficiaries ?? 0,
    plannedBudget: { amount: Number(row?.fen ?? 0), currency: 'CNY' },
  });
  return { area: (id: string) => totals(rows.find((row) => row.area === id)), district: totals(rows.find((row) => row.area === null)) };
}

/** Events starting in the UTC year `year` and their attendance, by SQL. */
async function neighbourhoodByHand(year: number) {
  return h.one<{ year: number; events: number; attendance: number }>(sql`select ${year}::int as year, count(*)::int as events,
    coalesce(sum(attendance), 0)::int as attendance from services.events where extract(year from starts_at at time zone 'UTC') = ${year}`);
}

/** The 10 sub-districts (every one received requests; at this scale one has no micro-project). */
async function subdistrictIds(): Promise<string[]> {
  return (await h.rows<{ id: string }>(sql`select distinct subdistrict_id as id from services.service_requests order by 1`)).map(
    (row) => row.id,
  );
}

/** Runs `query` and returns its data with the number of SQL statements it sent. */
async function statementsFor(query: string, variables?: Record<string, unknown>) {
  const before = h.database.statementCount();
  const data = await h.data(query, variables);
  return { statements: h.database.statementCount() - before, data };
}

// Every year and category, one year, one year and category, one category, and a year without projects.
const filters: Filter[] = [
  { year: null, category: null },
  { year: 2019, category: null },
  { year: 2018, category: 'FACILITY' },
  { year: null, category: 'ACTIVITY' },
  { year: 2030, category: null },
];

describe('microProjectTotals', () => {
  it('District: every figure under every filter is what SQL over the projects sums to', async () => {
    const selection = filters.map((filter, i) => `f${i}: microProjectTotals${argumentsOf(filter)} { ${totalsFields} }`).join(' ');
    const {
      _entities: [d],
    } = await h.data(entities('District', selection), { representations: [district] });
    for (const [i, filter] of filters.entries()) expect(d[`f${i}`], JSON.stringify(filter)).toEqual((await totalsByHand(filter)).district);
    // The published number of 2019, a cumulative total above it, filters that narrow, a year with nothing.
    expect(d.f1.projects).toBe(scaled(facts.microProjects.projects2019, scale));
    expect(d.f0.projects).toBeGreaterThan(d.f1.projects);
    expect(d.f0.plannedBudget.amount).toBeGreaterThan(d.f1.plannedBudget.amount);
    expect(d.f2.projects).toBeGreaterThan(0);
    expect(d.f3.projects).toBeGreaterThan(0);
    expect(d.f3.projects).toBeLessThan(d.f0.projects);
    expect(d.f4).toEqual({ year: 2030, category: null, projects: 0, beneficiaries: 0, plannedBudget: { amount: 0, currency: 'CNY' } });
    // Planned within the published annual fund.
    expect(d.f1.plannedBudget.amount).toBeLessThanOrEqual(scaled(facts.microProjects.annualBudgetCny, scale) * 100);
  });

  it('Subdistrict: each is the sum over its recorded projects, and together they are the district', async () => {
    const ids = await subdistrictIds();
    expect(ids).toHaveLength(10);
    const selection = filters.map((filter, i) => `f${i}: microProjectTotals${argumentsOf(filter)} { ${totalsFields} }`).join(' ');
    const { _entities: entitiesFound } = await h.data(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Subdistrict { id ${selection} } ... on District { ${selection} } } }`,
      {
        representations: [
          ...ids.map((id) => ({ __typename: 'Subdistrict', id })),
          { __typename: 'Subdistrict', id: 'sd-nowhere' },
          district,
        ],
      },
    );
    const subdistricts = entitiesFound.slice(0, ids.length);
    const [nowhere, d] = entitiesFound.slice(ids.length);
    for (const [i, filter] of filters.entries()) {
      const expected = await totalsByHand(filter);
      for (const subdistrict of subdistricts)
        expect(subdistrict[`f${i}`], `${subdistrict.id} ${JSON.stringify(filter)}`).toEqual(expected.area(subdistrict.id));
      const sum = (figure: (totals: any) => number) => subdistricts.reduce((total: number, s: any) => total + figure(s[`f${i}`]), 0);
      expect(sum((t) => t.projects)).toBe(d[`f${i}`].projects);
      expect(sum((t) => t.beneficiaries)).toBe(d[`f${i}`].beneficiaries);
      expect(sum((t) => t.plannedBudget.amount)).toBe(d[`f${i}`].plannedBudget.amount);
      expect(nowhere[`f${i}`]).toEqual({ ...filter, projects: 0, beneficiaries: 0, plannedBudget: { amount: 0, currency: 'CNY' } });
    }
    // Sub-districts differ, and the one without any project has zeros rather than nothing.
    expect(subdistricts.filter((s: any) => s.f0.projects > 0)).toHaveLength(9);
    expect(new Set(subdistricts.map((s: any) => s.f1.projects)).size).toBeGreaterThan(2);
  });

  it('Subdistrict: 1 or 10 sub-districts cost one statement per argument set', async () => {
    const ids = await subdistrictIds();
    const query = entities(
      'Subdistrict',
      `id all: microProjectTotals { ${totalsFields} } again: microProjectTotals { projects }
      facility: microProjectTotals(year: 2019, category: FACILITY) { ${totalsFields} }`,
    );
    const one = await statementsFor(query, { representations: ids.slice(0, 1).map((id) => ({ __typename: 'Subdistrict', id })) });
    const ten = await statementsFor(query, { representations: ids.map((id) => ({ __typename: 'Subdistrict', id })) });
    expect(ten.data._entities).toHaveLength(10);
    expect(ten.data._entities.filter((s: any) => s.all.projects > 0)).toHaveLength(9);
    expect(one.statements).toBe(2);
    expect(ten.statements).toBe(one.statements);
  });

  it('refuses a year outside 1900–2100 as bad input naming `year`', async () => {
    for (const typename of ['District', 'Subdistrict']) {
      const { errors } = await h.query(entities(typename, 'microProjectTotals(year: 2101) { projects }'), {
        representations: [{ __typename: typename, id: 'x' }],
      });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
    }
  });
});

describe('District.neighbourhood and serviceCoverage', () => {
  it('neighbourhood counts the events of a UTC year and sums their attendance, as SQL and the events list do', async () => {
    const years = [2019, 2017, 2030];
    const {
      _entities: [d],
    } = await h.data(
      entities('District', years.map((year) => `y${year}: neighbourhood(year: ${year}) { year events attendance }`).join(' ')),
      { representations: [district] },
    );
    for (const year of years) expect(d[`y${year}`], String(year)).toEqual(await neighbourhoodByHand(year));
    expect(d.y2019).toEqual({
      year: 2019,
      events: scaled(facts.neighbourhood.events, scale),
      attendance: scaled(facts.neighbourhood.peopleServed, scale),
    });
    expect(d.y2017.events).toBeGreaterThan(0);
    expect(d.y2017.events).toBeLessThan(d.y2019.events);
    expect(d.y2030).toEqual({ year: 2030, events: 0, attendance: 0 });
    const listed = await h.data(`{ events(from: "2017-01-01", to: "2017-12-31") { totalCount } }`);
    expect(listed.events.totalCount).toBe(d.y2017.events);
  });

  it('serviceCoverage lists each kind that exists, in enum order, with its services and distinct communities', async () => {
    const {
      _entities: [d],
    } = await h.data(entities('District', 'serviceCoverage { kind services communities }'), { representations: [district] });
    const byHand = await h.rows<{
      kind: string;
      services: number;
      communities: number;
    }>(sql`select kind::text as kind, count(*)::int as services,
      count(distinct community_id)::int as communities from services.services group by kind`);
    expect(d.serviceCoverage).toEqual(byHand.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind)));
    expect(d.serviceCoverage.map((c: any) => c.kind)).toEqual(kindOrder);
    // Published: 28 culture rooms, one legal adviser in each community.
    expect(d.serviceCoverage.find((c: any) => c.kind === 'CULTURE_ROOM')).toEqual({
      kind: 'CULTURE_ROOM',
      services: facts.neighbourhood.cultureRooms,
      communities: facts.neighbourhood.cultureRooms,
    });
    expect(d.serviceCoverage.find((c: any) => c.kind === 'LEGAL_ADVICE')).toEqual({
      kind: 'LEGAL_ADVICE',
      services: facts.communities.count,
      communities: facts.communities.count,
    });
  });

  it('costs one statement per field and argument set', async () => {
    const { statements, data } = await statementsFor(
      entities(
        'District',
        `a: neighbourhood(year: 2019) { events } b: neighbourhood(year: 2019) { attendance } c: neighbourhood(year: 2018) { events }
        serviceCoverage { kind } again: serviceCoverage { services } microProjectTotals { projects } m: microProjectTotals { beneficiaries }`,
      ),
      { representations: [district] },
    );
    expect(data._entities[0].a.events).toBeGreaterThan(0);
    // 2019, 2018, coverage, totals
    expect(statements).toBe(4);
  });

  it('refuses a neighbourhood year outside 1900–2100 as bad input naming `year`', async () => {
    const { errors } = await h.query(entities('District', 'neighbourhood(year: 1899) { events }'), { representations: [district] });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
  });

  // These change the data, so they run last.
  it('neighbourhood puts an event in the UTC year it starts in, even when it is already the next year in Shenzhen', async () => {
    const { communityId } = await h.one<{ communityId: string }>(sql`select community_id as "communityId" from services.events limit 1`);
    const before = await h.data(
      entities('District', 'y2019: neighbourhood(year: 2019) { events attendance } y2020: neighbourhood(year: 2020) { events attendance }'),
      {
        representations: [district],
      },
    );
    // 20:00Z on 31 December is 04:00 on 1 January in Shanghai; midnight UTC starts the next year.
    await h.rows(sql`insert into services.events (id, community_id, kind, title, starts_at, organiser_organisation_id, attendance) values
      ('evt-test-late', ${communityId}, 'NEIGHBOURHOOD', '跨年晚会', '2019-12-31T20:00:00Z', 'org-test', 40),
      ('evt-test-new', ${communityId}, 'NEIGHBOURHOOD', '元旦游园', '2020-01-01T00:00:00Z', 'org-test', 7)`);
    const after = await h.data(
      entities('District', 'y2019: neighbourhood(year: 2019) { events attendance } y2020: neighbourhood(year: 2020) { events attendance }'),
      {
        representations: [district],
      },
    );
    const [d0, d1] = [before._entities[0], after._entities[0]];
    expect(d1.y2019).toEqual({ events: d0.y2019.events + 1, attendance: d0.y2019.attendance + 40 });
    expect(d1.y2020).toEqual({ events: d0.y2020.events + 1, attendance: d0.y2020.attendance + 7 });
  });

  it('serviceCoverage counts a community with two services of a kind once, and leaves out a kind nobody offers', async () => {
    const { communityId } = await h.one<{ communityId: string }>(
      sql`select community_id as "communityId" from services.services where kind = 'LEGAL_ADVICE' limit 1`,
    );
    await h.rows(sql`insert into services.services (id, community_id, kind, name, provider_organisation_id, location, schedule)
      values ('svc-test-legal', ${communityId}, 'LEGAL_ADVICE', '第二法律顾问', 'org-test', '党群服务中心', '{}')`);
    await h.rows(sql`delete from services.services where kind = 'ANTI_DRUG'`);
    const {
      _entities: [d],
    } = await h.data(entities('District', 'serviceCoverage { kind services communities }'), { representations: [district] });
    expect(d.serviceCoverage.map((c: any) => c.kind)).toEqual(['LEGAL_ADVICE', 'COUNSELLING', 'CULTURE_ROOM']);
    expect(d.serviceCoverage[0]).toEqual({
      kind: 'LEGAL_ADVICE',
      services: facts.communities.count + 1,
      communities: facts.communities.count,
    });
  });
});
