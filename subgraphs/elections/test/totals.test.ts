import { ids } from '@gongzhi/dataset';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();

const ok = h.data;
const district = { __typename: 'District', id: ids.district('440306') };
const totals = 'year type elections seats membersElected registered participated turnout';
const counts = ['elections', 'seats', 'membersElected', 'registered', 'participated'] as const;

/**
 * Every seeded election is counted and every matter finishes in the seed's own way, where a figure that
 * ignored its definition could still pass. So this file adds a 2019 by-election not yet held (registrations
 * and candidacies, no count), and a matter of a new community stopped at RESOLUTION_PUBLISHED.
 */
beforeAll(async () => {
  await h.rows(sql`insert into elections.elections
      (id, residents_committee_id, community_id, subdistrict_id, type, differential, seats, announced_on, held_on, report_status)
    select 'el-test-2019-by', residents_committee_id, community_id, subdistrict_id, 'BY_ELECTION', true, 2, '2019-11-01', '2019-12-14', 'PRE_ELECTION'
    from elections.elections where id = (select min(id) from elections.elections)`);
  for (const n of [1, 2, 3]) {
    await h.rows(sql`insert into elections.voter_registrations (id, election_id, person_id, hukou_basis, registered_on)
      values (${`vr-test-${n}`}, 'el-test-2019-by', ${`per-test-${n}`}, 'LOCAL', '2019-11-10')`);
    await h.rows(sql`insert into elections.candidacies (id, election_id, person_id, position, incumbent, outcome)
      values (${`cand-test-${n}`}, 'el-test-2019-by', ${`per-test-${n}`}, ${n}, false, 'PENDING')`);
  }
  await h.rows(sql`insert into elections.matters values ('mat-test', 'com-test', 'rc-test', 'title', 'summary')`);
  for (const [n, stage] of ['PROPOSED', 'DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED'].entries()) {
    await h.rows(sql`insert into elections.matter_stages (id, matter_id, stage, held_on, body, minutes_ref)
      values (${`mst-test-${n}`}, 'mat-test', ${stage}, ${`2019-0${n + 1}-01`}, 'body', ${`MIN-test-${n}`})`);
  }
});

/** The totals computed directly over the tables: for the district, or for the elections recorded under one sub-district. */
async function expected(year: number, type: string | null, subdistrictId?: string) {
  const filter = sql`e.held_on between ${`${year}-01-01`} and ${`${year}-12-31`}
    ${type ? sql`and e.type = ${type}` : sql``} ${subdistrictId ? sql`and e.subdistrict_id = ${subdistrictId}` : sql``}`;
  const [row] = await h.rows<Record<(typeof counts)[number], number>>(sql`select
    (select count(*)::int from elections.elections e where ${filter}) as elections,
    (select coalesce(sum(e.seats), 0)::int from elections.elections e where ${filter}) as seats,
    (select count(*)::int from elections.candidacies c join elections.elections e on e.id = c.election_id
      where c.outcome = 'ELECTED' and ${filter}) as "membersElected",
    (select count(*)::int from elections.voter_registrations r join elections.elections e on e.id = r.election_id
      where e.participated is not null and ${filter}) as registered,
    (select coalesce(sum(e.participated), 0)::int from elections.elections e where ${filter}) as participated`);
  return { year, type, ...row!, turnout: row!.registered === 0 ? null : row!.participated / row!.registered };
}

const subdistrictIds = async () =>
  (await h.rows<{ id: string }>(sql`select distinct subdistrict_id as id from elections.elections order by 1`)).map((row) => row.id);

const filters: [number, string | null][] = [
  [2017, null],
  [2017, 'GENERAL'],
  [2019, null],
  [2019, 'BY_ELECTION'],
  [2019, 'GENERAL'],
  [2018, null],
];

describe('District.electionTotals and Subdistrict.electionTotals', () => {
  it.each(filters)(
    'in %s of type %s: the district and every sub-district equal SQL, and the sub-districts sum to the district',
    async (year, type) => {
      const areas = await subdistrictIds();
      expect(areas).toHaveLength(10);
      const data = await ok(
        `query($representations: [_Any!]!, $year: Int!, $type: ElectionType) { _entities(representations: $representations) {
        ... on District { electionTotals(year: $year, type: $type) { ${totals} } }
        ... on Subdistrict { id electionTotals(year: $year, type: $type) { ${totals} } } } }`,
        { representations: [district, ...areas.map((id) => ({ __typename: 'Subdistrict', id }))], year, type },
      );
      const [whole, ...parts] = data._entities.map((entity: any) => entity.electionTotals);
      expect(whole).toEqual(await expected(year, type));
      for (const [i, id] of areas.entries()) expect(parts[i], id).toEqual(await expected(year, type, id));
      for (const field of counts)
        expect(
          parts.reduce((sum: number, part: any) => sum + part[field], 0),
          field,
        ).toBe(whole[field]);
    },
  );

  it('hold the published figures: 140 general elections for 957 seats in 2017, 49 by-elected in 2019', async () => {
    const data = await ok(
      entities(
        'District',
        `g17: electionTotals(year: 2017, type: GENERAL) { ${totals} } by19: electionTotals(year: 2019, type: BY_ELECTION) { ${totals} }
      none: electionTotals(year: 2018) { ${totals} }`,
      ),
      { representations: [district] },
    );
    const { g17, by19, none } = data._entities[0];
    expect(g17).toMatchObject({ year: 2017, type: 'GENERAL', elections: 140, seats: 957, membersElected: 957 });
    expect(Math.abs(g17.turnout - 0.96)).toBeLessThan(0.001);
    // The by-election not yet held adds an election and its two seats, but no winner and no participation.
    expect(by19).toMatchObject({ year: 2019, type: 'BY_ELECTION', membersElected: 49 });
    const { held } = await h.one<{ held: number }>(
      sql`select count(*)::int as held from elections.elections where type = 'BY_ELECTION' and participated is not null`,
    );
    expect(by19.elections).toBe(held + 1);
    expect(by19.seats).toBe(49 + 2);
    expect(none).toEqual({
      year: 2018,
      type: null,
      elections: 0,
      seats: 0,
      membersElected: 0,
      registered: 0,
      participated: 0,
      turnout: null,
    });
  });

  it('count registered and participated as turnout does: the registrations of an election not yet counted are left out', async () => {
    const data = await ok(
      entities(
        'District',
        'electionTotals(year: 2019) { registered participated turnout } turnout(year: 2019) { registered participated rate }',
      ),
      {
        representations: [district],
      },
    );
    const { electionTotals, turnout } = data._entities[0];
    expect(electionTotals).toEqual({ registered: turnout.registered, participated: turnout.participated, turnout: turnout.rate });
    const { all } = await h.one<{ all: number }>(sql`select count(*)::int as "all" from elections.voter_registrations r
      join elections.elections e on e.id = r.election_id where e.held_on between '2019-01-01' and '2019-12-31'`);
    expect(electionTotals.registered).toBe(all - 3);
  });

  it('rejects an impossible year, naming the argument', async () => {
    for (const typename of ['District', 'Subdistrict']) {
      const { errors } = await h.query(entities(typename, 'electionTotals(year: 20170) { elections }'), {
        representations: [{ __typename: typename, id: typename === 'District' ? district.id : 'sd-440306001' }],
      });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
    }
  });
});

describe('District.deliberation', () => {
  it('equals SQL over the matters and their stages; published counts the matters at RESOLUTION_PUBLISHED or later', async () => {
    const data = await ok(entities('District', 'deliberation { communities matters published stagesRecorded }'), {
      representations: [district],
    });
    const [row] = await h.rows(sql`select
      (select count(distinct community_id)::int from elections.matters) as communities,
      (select count(*)::int from elections.matters) as matters,
      (select count(distinct matter_id)::int from elections.matter_stages where stage in ('RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED')) as published,
      (select count(*)::int from elections.matter_stages) as "stagesRecorded"`);
    const deliberation = data._entities[0].deliberation;
    expect(deliberation).toEqual(row);
    // Every community of the seed, and the one added here, has its matters; some are still under way.
    expect(deliberation.communities).toBe(125);
    expect(deliberation.published).toBeLessThan(deliberation.matters);
    const { finished } = await h.one<{ finished: number }>(
      sql`select count(*)::int as finished from elections.matter_stages where stage = 'RESULT_PUBLISHED'`,
    );
    expect(deliberation.published).toBeGreaterThan(finished);
  });
});
