import { publicCaller, type Caller } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { entities, useSeededPeople } from './harness.ts';

const h = useSeededPeople();

const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-001', department: null, scopes: [] };
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
/** Callers who get small cells withheld. */
const restricted = [publicCaller, partner];

const district = { __typename: 'District', id: 'dst-440306' };
const countFields = 'year total localHukou nonLocalHukou nonLocalShare suppressed';

/** The official count of one community and year, straight from the table. */
async function countByHand(communityId: string, year: number) {
  const { local, nonLocal } = await h.one<{
    local: number;
    nonLocal: number;
  }>(sql`select local_hukou as local, non_local_hukou as "nonLocal"
    from people.population_counts where community_id = ${communityId} and year = ${year}`);
  const total = local + nonLocal;
  return { year, total, localHukou: local, nonLocalHukou: nonLocal, nonLocalShare: nonLocal / total };
}

describe('PopulationCount suppression', () => {
  it('withholds both hukou parts and the share, never the total, from the public and partners when a part is below 10', async () => {
    const { small } = await h.one<{ small: string }>(sql`select community_id as small from people.population_counts
      where year = 2019 and local_hukou < 10 order by community_id limit 1`);
    const { large } = await h.one<{ large: string }>(sql`select community_id as large from people.population_counts
      where year = 2019 and local_hukou >= 10 and non_local_hukou >= 10 order by community_id limit 1`);
    const [smallCount, largeCount] = [await countByHand(small, 2019), await countByHand(large, 2019)];
    expect(smallCount.localHukou).toBeLessThan(10);
    const query = entities(
      'Community',
      `id population(year: 2019) { ${countFields} } populationHistory { year total localHukou suppressed }`,
    );
    const representations = [small, large].map((id) => ({ __typename: 'Community', id }));

    for (const caller of restricted) {
      const [s, l] = (await h.data(query, { representations }, caller))._entities;
      expect(s.population, caller.role).toEqual({
        year: 2019,
        total: smallCount.total,
        localHukou: null,
        nonLocalHukou: null,
        nonLocalShare: null,
        suppressed: ['localHukou', 'nonLocalHukou', 'nonLocalShare'],
      });
      expect(l.population.suppressed).toEqual([]);
      expect({ ...l.population, suppressed: undefined, nonLocalShare: 0 }).toEqual({
        ...largeCount,
        suppressed: undefined,
        nonLocalShare: 0,
      });
      expect(l.population.nonLocalShare).toBeCloseTo(largeCount.nonLocalShare, 12);
      // Every year of the history follows its own parts.
      for (const count of s.populationHistory) {
        const byHand = await countByHand(small, count.year);
        expect(count.total).toBe(byHand.total);
        const withheld = byHand.localHukou < 10 || byHand.nonLocalHukou < 10;
        expect(count.localHukou).toBe(withheld ? null : byHand.localHukou);
        expect(count.suppressed).toEqual(withheld ? ['localHukou', 'nonLocalHukou', 'nonLocalShare'] : []);
      }
    }

    const [s, l] = (await h.data(query, { representations }, analyst))._entities;
    for (const [entity, byHand] of [
      [s, smallCount],
      [l, largeCount],
    ] as const) {
      expect({ ...entity.population, nonLocalShare: 0 }).toEqual({ ...byHand, nonLocalShare: 0, suppressed: [] });
      expect(entity.population.nonLocalShare).toBeCloseTo(byHand.nonLocalShare, 12);
    }
    expect(s.populationHistory.every((count: any) => count.localHukou !== null && count.suppressed.length === 0)).toBe(true);
  });

  it('gives the public the sub-district and district sums exactly (every part is in the hundreds)', async () => {
    const sums = await h.rows<{
      id: string;
      local: number;
      nonLocal: number;
    }>(sql`select subdistrict_id as id, sum(local_hukou)::int as local,
      sum(non_local_hukou)::int as "nonLocal" from people.population_counts where year = 2019 group by 1 order by 1`);
    expect(sums.every((row) => row.local >= 10 && row.nonLocal >= 10)).toBe(true);
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Subdistrict { id population(year: 2019) { localHukou nonLocalHukou suppressed } }
      ... on District { population(year: 2019) { total localHukou suppressed } populationHistory { year total suppressed } } } }`;
    const representations = [...sums.map((row) => ({ __typename: 'Subdistrict', id: row.id })), district];
    for (const caller of [...restricted, analyst]) {
      const entities = (await h.data(query, { representations }, caller))._entities;
      expect(entities.slice(0, -1)).toEqual(
        sums.map((row) => ({ id: row.id, population: { localHukou: row.local, nonLocalHukou: row.nonLocal, suppressed: [] } })),
      );
      const d = entities.at(-1);
      expect(d.population).toEqual({ total: 57_300, localHukou: sums.reduce((sum, row) => sum + row.local, 0), suppressed: [] });
      expect(d.populationHistory.map((count: any) => count.suppressed)).toEqual([[], [], []]);
    }
  });
});

describe('Workforce, EducationCount and workersPer1000Residents suppression', () => {
  const workforceFields = 'year workers recruited recruitedByEducation { education count suppressed } suppressed';

  /** The district's figures of `year`, straight from the tables. */
  async function workforceByHand(year: number) {
    const endOfYear = `${year}-12-31`;
    const { workers, recruited } = await h.one<{ workers: number; recruited: number }>(sql`select
      (select count(*)::int from people.workers where hired_on <= ${endOfYear}::date and coalesce(left_on, 'infinity') >= ${endOfYear}::date) as workers,
      (select count(*)::int from people.workers where recruited_year = ${year}) as recruited`);
    const educations = await h.rows<{ education: string; count: number }>(sql`select p.education::text as education, count(*)::int as count
      from people.workers w join people.persons p on p.id = w.person_id where w.recruited_year = ${year} group by p.education order by p.education`);
    return { year, workers, recruited, educations };
  }

  /** Workers in post during 2019 per community, and its 2019 residents. */
  async function ratesByHand(communityIds: string[]) {
    return Promise.all(
      communityIds.map(async (id) => {
        const { workers, residents } = await h.one<{ workers: number; residents: number }>(sql`select
          (select count(*)::int from people.workers w where w.community_id = ${id}
            and w.hired_on <= '2019-12-31' and (w.left_on is null or w.left_on >= '2019-01-01')) as workers,
          (select local_hukou + non_local_hukou from people.population_counts where community_id = ${id} and year = 2019) as residents`);
        return { id, workers, rate: (workers / residents) * 1000 };
      }),
    );
  }

  it('withholds small worker and education counts, and the rate of a community with few workers, from the public and partners', async () => {
    // The seed recruits a handful a year: add eleven 2001 recruits (ten with a bachelor's degree) to one community.
    const { community } = await h.one<{ community: string }>(sql`select community_id as community from people.population_counts
      where year = 2019 order by community_id limit 1`);
    const { other } = await h.one<{ other: string }>(sql`select w.community_id as other from people.workers w
      where w.community_id <> ${community} and w.hired_on <= '2019-12-31' and w.left_on is null order by w.community_id limit 1`);
    const recruits = [
      ...(await h.rows<{ id: string }>(sql`select id from people.persons where education = 'BACHELOR'
        and id not in (select person_id from people.workers) order by id limit 10`)),
      ...(await h.rows<{ id: string }>(sql`select id from people.persons where education = 'MASTER'
        and id not in (select person_id from people.workers) order by id limit 1`)),
    ];
    expect(recruits).toHaveLength(11);
    expect((await workforceByHand(2001)).recruited).toBe(0);
    for (const [i, { id }] of recruits.entries()) {
      await h.rows(sql`insert into people.workers (id, person_id, community_id, grade, pay_band, recruitment_channel, recruited_year, hired_on)
        values (${`wkr-test-${i}`}, ${id}, ${community}, 'GRADE_1', 1, 'PUBLIC_EXAM', 2001, '2001-03-01')`);
    }
    try {
      const query = entities(
        'District',
        `y2001: workforce(year: 2001) { ${workforceFields} } y2019: workforce(year: 2019) { ${workforceFields} }`,
      );
      const rateQuery = entities('Community', 'id workersPer1000Residents(year: 2019)');
      const communities = { representations: [community, other].map((id) => ({ __typename: 'Community', id })) };
      const [y2001, y2019] = [await workforceByHand(2001), await workforceByHand(2019)];
      const [many, few] = await ratesByHand([community, other]);
      expect(y2001).toMatchObject({
        recruited: 11,
        educations: [
          { education: 'BACHELOR', count: 10 },
          { education: 'MASTER', count: 1 },
        ],
      });
      expect(y2001.workers).toBeGreaterThanOrEqual(10);
      expect(y2019.workers).toBeGreaterThanOrEqual(10);
      expect(y2019.recruited).toBeLessThan(10);
      expect(y2019.educations.length).toBeGreaterThan(0);
      expect(y2019.educations.every((entry) => entry.count < 10)).toBe(true);
      expect(many!.workers).toBeGreaterThanOrEqual(10);
      expect(few!.workers).toBeGreaterThan(0);
      expect(few!.workers).toBeLessThan(10);

      for (const caller of restricted) {
        const d = (await h.data(query, { representations: [district] }, caller))._entities[0];
        expect(d.y2001, caller.role).toEqual({
          year: 2001,
          workers: y2001.workers,
          recruited: 11,
          recruitedByEducation: [
            { education: 'BACHELOR', count: 10, suppressed: [] },
            { education: 'MASTER', count: null, suppressed: ['count'] },
          ],
          suppressed: [],
        });
        expect(d.y2019, caller.role).toEqual({
          year: 2019,
          workers: y2019.workers,
          recruited: null,
          recruitedByEducation: y2019.educations.map(({ education }) => ({ education, count: null, suppressed: ['count'] })),
          suppressed: ['recruited'],
        });
        const [m, f] = (await h.data(rateQuery, communities, caller))._entities;
        expect(m.workersPer1000Residents).toBeCloseTo(many!.rate, 10);
        expect(f).toEqual({ id: other, workersPer1000Residents: null });
      }

      for (const [year, byHand] of [
        [2001, y2001],
        [2019, y2019],
      ] as const) {
        const d = (await h.data(query, { representations: [district] }, analyst))._entities[0];
        expect(d[`y${year}`]).toEqual({
          year,
          workers: byHand.workers,
          recruited: byHand.recruited,
          recruitedByEducation: byHand.educations.map((entry) => ({ ...entry, suppressed: [] })),
          suppressed: [],
        });
      }
      const [m, f] = (await h.data(rateQuery, communities, analyst))._entities;
      expect(m.workersPer1000Residents).toBeCloseTo(many!.rate, 10);
      expect(f.workersPer1000Residents).toBeCloseTo(few!.rate, 10);
    } finally {
      await h.rows(sql`delete from people.workers where id like 'wkr-test-%'`);
    }
  });
});
