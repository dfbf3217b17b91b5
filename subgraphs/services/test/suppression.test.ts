import { publicCaller, type Caller } from '@gongzhi/kit';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-001', department: null, scopes: [] };
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
/** Callers who get small cells withheld. */
const restricted = [publicCaller, partner];

const district = { __typename: 'District', id: 'dst-440306' };

describe('RequestResolution suppression', () => {
  type Area = readonly ['community_id' | 'subdistrict_id', string];
  const submittedYear = sql`extract(year from r.submitted_at at time zone 'UTC')::int`;

  /** Received, resolved and the median hours of an area's requests of `year`, straight from the tables. */
  async function byHand([column, id]: Area, year: number) {
    const row = await h.one<{ received: number; resolved: number; median: number | null }>(sql`
      select count(*)::int as received, count(resolution.at)::int as resolved,
        percentile_cont(0.5) within group (order by extract(epoch from resolution.at - r.submitted_at)::float8 / 3600) as median
      from services.service_requests r
      left join lateral (select min(s.at) as at from services.service_request_steps s where s.service_request_id = r.id and s.status = 'RESOLVED') resolution on true
      where r.${sql.identifier(column)} = ${id} and ${submittedYear} = ${year}`);
    return { year, received: row.received, resolved: row.resolved, medianHours: row.median === null ? null : Number(row.median) };
  }

  /** Every area and year of `column` with its received and resolved counts. */
  const areaYears = (column: 'community_id' | 'subdistrict_id') =>
    h.rows<{ id: string; year: number; received: number; resolved: number }>(sql`
      select r.${sql.identifier(column)} as id, ${submittedYear} as year, count(*)::int as received,
        count(*) filter (where exists (select 1 from services.service_request_steps s where s.service_request_id = r.id and s.status = 'RESOLVED'))::int as resolved
      from services.service_requests r group by 1, 2 order by 1, 2`);

  it('withholds received and resolved below 10, and the median with the resolved count, from the public and partners', async () => {
    const communities = await areaYears('community_id');
    const subdistricts = await areaYears('subdistrict_id');
    // A community receiving fewer than 10; one receiving 10 or more but resolving fewer; a sub-district with both large.
    const tiny = communities.find((row) => row.received < 10 && row.resolved > 0)!;
    const slow = communities.find((row) => row.received >= 10 && row.resolved < 10)!;
    const large = subdistricts.find((row) => row.resolved >= 10)!;
    expect([tiny, slow, large].every(Boolean)).toBe(true);
    const cases: { typename: string; area: Area; year: number; withheld: string[] }[] = [
      { typename: 'Community', area: ['community_id', tiny.id], year: tiny.year, withheld: ['medianHours', 'received', 'resolved'] },
      { typename: 'Community', area: ['community_id', slow.id], year: slow.year, withheld: ['medianHours', 'resolved'] },
      { typename: 'Subdistrict', area: ['subdistrict_id', large.id], year: large.year, withheld: [] },
    ];
    const expected = await Promise.all(cases.map(({ area, year }) => byHand(area, year)));
    expect(expected.map((figures) => figures.medianHours === null)).toEqual([false, false, false]);

    const ask = async (caller: Caller) =>
      Promise.all(
        cases.map(async ({ typename, area, year }) => {
          const query = entities(typename, `requestResolution(year: ${year}) { year received resolved medianHours suppressed }`);
          const data = await h.data(query, { representations: [{ __typename: typename, id: area[1] }] }, caller);
          return data._entities[0].requestResolution;
        }),
      );

    for (const caller of restricted) {
      const answers = await ask(caller);
      answers.forEach((answer, i) => {
        const { withheld } = cases[i]!;
        const shown = Object.fromEntries(
          Object.entries(expected[i]!).map(([field, value]) => [field, withheld.includes(field) ? null : value]),
        );
        expect({ ...answer, medianHours: null }, `${caller.role} ${cases[i]!.area[1]}`).toEqual({
          ...shown,
          medianHours: null,
          suppressed: withheld,
        });
        if (withheld.includes('medianHours')) expect(answer.medianHours).toBeNull();
        else expect(answer.medianHours).toBeCloseTo(expected[i]!.medianHours!, 9);
      });
    }

    const answers = await ask(analyst);
    answers.forEach((answer, i) => {
      expect({ ...answer, medianHours: null }).toEqual({ ...expected[i], medianHours: null, suppressed: [] });
      expect(answer.medianHours).toBeCloseTo(expected[i]!.medianHours!, 9);
    });
  });
});

describe('NeighbourhoodActivity suppression', () => {
  it('withholds an event count or attendance below 10 from the public and partners', async () => {
    const empty = await h.one<{ n: number }>(
      sql`select count(*)::int as n from services.events where starts_at >= '2015-01-01' and starts_at < '2017-01-01'`,
    );
    expect(empty.n).toBe(0);
    const { communityId } = await h.one<{ communityId: string }>(sql`select community_id as "communityId" from services.events limit 1`);
    // 2015: one event (withheld) attended by 40 (shown); 2016: one event attended by 7 (both withheld).
    await h.rows(sql`insert into services.events (id, community_id, kind, title, starts_at, organiser_organisation_id, attendance) values
      ('evt-test-2015', ${communityId}, 'NEIGHBOURHOOD', '邻里节', '2015-06-01T02:00:00Z', 'org-test', 40),
      ('evt-test-2016', ${communityId}, 'TRAINING', '急救培训', '2016-06-01T02:00:00Z', 'org-test', 7)`);
    try {
      const byHand = await h.rows<{
        year: number;
        events: number;
        attendance: number;
      }>(sql`select extract(year from starts_at at time zone 'UTC')::int as year,
        count(*)::int as events, sum(attendance)::int as attendance from services.events
        where starts_at >= '2015-01-01' and starts_at < '2020-01-01' group by 1 order by 1`);
      const y2019 = byHand.find((row) => row.year === 2019)!;
      expect(y2019.events).toBeGreaterThanOrEqual(10);
      expect(y2019.attendance).toBeGreaterThanOrEqual(10);
      const query = entities(
        'District',
        [2015, 2016, 2019].map((year) => `y${year}: neighbourhood(year: ${year}) { year events attendance suppressed }`).join(' '),
      );
      for (const caller of restricted) {
        const d = (await h.data(query, { representations: [district] }, caller))._entities[0];
        expect(d, caller.role).toEqual({
          y2015: { year: 2015, events: null, attendance: 40, suppressed: ['events'] },
          y2016: { year: 2016, events: null, attendance: null, suppressed: ['attendance', 'events'] },
          y2019: { ...y2019, suppressed: [] },
        });
      }
      const d = (await h.data(query, { representations: [district] }, analyst))._entities[0];
      expect(d).toEqual({
        y2015: { year: 2015, events: 1, attendance: 40, suppressed: [] },
        y2016: { year: 2016, events: 1, attendance: 7, suppressed: [] },
        y2019: { ...y2019, suppressed: [] },
      });
      expect([d.y2015, d.y2016].map(({ year, events, attendance }: any) => ({ year, events, attendance }))).toEqual(byHand.slice(0, 2));
    } finally {
      await h.rows(sql`delete from services.events where id like 'evt-test-%'`);
    }
  });
});

describe('MicroProjectTotals suppression', () => {
  it('withholds beneficiaries below 10 from the public and partners, and keeps the project count and budget', async () => {
    const { subdistrictId, communityId } = await h.one<{
      subdistrictId: string;
      communityId: string;
    }>(sql`select subdistrict_id as "subdistrictId",
      community_id as "communityId" from services.micro_projects order by id limit 1`);
    const before = await h.one<{ n: number }>(sql`select count(*)::int as n from services.micro_projects where year = 2015`);
    expect(before.n).toBe(0);
    await h.rows(sql`insert into services.micro_projects (id, community_id, subdistrict_id, year, title, category, proposer_organisation_id,
      planned_budget_fen, beneficiaries) values ('mp-test-small', ${communityId}, ${subdistrictId}, 2015, '楼道扶手', 'FACILITY', 'org-test', 120000, 6)`);
    try {
      const byHand = await h.rows<{ year: number; category: string; projects: number; beneficiaries: number; fen: number }>(sql`select year,
        category::text as category, count(*)::int as projects, sum(beneficiaries)::int as beneficiaries, sum(planned_budget_fen)::float8 as fen
        from services.micro_projects where subdistrict_id = ${subdistrictId} group by 1, 2 order by 4`);
      const small = byHand.find((row) => row.year === 2015)!;
      const large = byHand.find((row) => row.beneficiaries >= 10)!;
      expect(small.beneficiaries).toBe(6);
      const fields = 'year category projects beneficiaries plannedBudget { amount } suppressed';
      const query = entities(
        'Subdistrict',
        `small: microProjectTotals(year: 2015, category: FACILITY) { ${fields} }
        large: microProjectTotals(year: ${large.year}, category: ${large.category}) { ${fields} }`,
      );
      const representations = [{ __typename: 'Subdistrict', id: subdistrictId }];
      const totals = (row: typeof small, beneficiaries: number | null, suppressed: string[]) => ({
        year: row.year,
        category: row.category,
        projects: row.projects,
        beneficiaries,
        plannedBudget: { amount: row.fen },
        suppressed,
      });
      for (const caller of restricted) {
        const s = (await h.data(query, { representations }, caller))._entities[0];
        expect(s, caller.role).toEqual({ small: totals(small, null, ['beneficiaries']), large: totals(large, large.beneficiaries, []) });
        // The district's 2015 facilities are the one project too.
        const districtQuery = entities('District', 'microProjectTotals(year: 2015) { beneficiaries suppressed }');
        const d = (await h.data(districtQuery, { representations: [district] }, caller))._entities[0];
        expect(d.microProjectTotals).toEqual({ beneficiaries: null, suppressed: ['beneficiaries'] });
      }
      const s = (await h.data(query, { representations }, analyst))._entities[0];
      expect(s).toEqual({ small: totals(small, 6, []), large: totals(large, large.beneficiaries, []) });
    } finally {
      await h.rows(sql`delete from services.micro_projects where id = 'mp-test-small'`);
    }
  });
});
