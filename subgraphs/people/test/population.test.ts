import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { entities, useSeededPeople } from './harness.ts';

const h = useSeededPeople();

const countFields = 'year total localHukou nonLocalHukou nonLocalShare';

async function communityIds(): Promise<string[]> {
  return (await h.rows<{ id: string }>(sql`select distinct community_id as id from people.population_counts order by id`)).map((r) => r.id);
}

async function subdistrictIds(year: number): Promise<string[]> {
  return (
    await h.rows<{ id: string }>(sql`select distinct subdistrict_id as id from people.population_counts where year = ${year} order by id`)
  ).map((r) => r.id);
}

const district = { __typename: 'District', id: 'dst-440306' };

describe('population', () => {
  it('publishes every counted year, oldest first, for other slices to @require', async () => {
    const [sd] = await subdistrictIds(2019);
    const { data, errors } = await h.query(entities('District', `populationHistory { year total } population(year: 2019) { total }`), {
      representations: [district],
    });
    expect(errors).toBeUndefined();
    const [d] = data!._entities;
    expect(d.populationHistory.map((c: any) => c.year)).toEqual([2017, 2018, 2019]);
    expect(d.populationHistory[2].total).toBe(d.population.total);
    const sub = await h.query(entities('Subdistrict', `populationHistory { year total } population(year: 2018) { total }`), {
      representations: [{ __typename: 'Subdistrict', id: sd }],
    });
    const [s] = sub.data!._entities;
    expect(s.populationHistory.find((c: any) => c.year === 2018).total).toBe(s.population.total);
    const com = await h.query(entities('Community', `populationHistory { year localHukou nonLocalHukou total }`), {
      representations: [{ __typename: 'Community', id: (await communityIds())[0] }],
    });
    for (const count of com.data!._entities[0].populationHistory) expect(count.total).toBe(count.localHukou + count.nonLocalHukou);
  });

  it('sums the 2019 community totals to the district total, 92.5 % non-local', async () => {
    const ids = await communityIds();
    expect(ids).toHaveLength(124);
    const communities = await h.query(entities('Community', `id population(year: 2019) { ${countFields} }`), {
      representations: ids.map((id) => ({ __typename: 'Community', id })),
    });
    expect(communities.errors).toBeUndefined();
    const counts = communities.data!._entities.map((c: any) => c.population);
    for (const count of counts) {
      expect(count.year).toBe(2019);
      expect(count.total).toBe(count.localHukou + count.nonLocalHukou);
      expect(count.nonLocalShare).toBeCloseTo(count.nonLocalHukou / count.total, 12);
    }
    const { data, errors } = await h.query(entities('District', `population(year: 2019) { ${countFields} }`), {
      representations: [district],
    });
    expect(errors).toBeUndefined();
    const total = data!._entities[0].population;
    expect(total.total).toBe(counts.reduce((sum: number, c: any) => sum + c.total, 0));
    expect(total.localHukou).toBe(counts.reduce((sum: number, c: any) => sum + c.localHukou, 0));
    expect(total.total).toBe(57_300);
    expect(Math.abs(total.nonLocalShare - 0.925)).toBeLessThanOrEqual(0.0005);
    // One registered resident per counted resident of 2019.
    const residents = await h.query(entities('Community', 'residents { totalCount } local: residents(hukou: LOCAL) { totalCount }'), {
      representations: ids.slice(0, 5).map((id) => ({ __typename: 'Community', id })),
    });
    residents.data!._entities.forEach((community: any, i: number) => {
      expect(community.residents.totalCount).toBe(counts[i].total);
      expect(community.local.totalCount).toBe(counts[i].localHukou);
    });
  });

  it('sums each sub-district exactly over the counts recorded under it, and the sub-districts to the district', async () => {
    for (const year of [2017, 2019]) {
      const ids = await subdistrictIds(year);
      expect(ids).toHaveLength(10);
      const expected = await h.rows<{ id: string; local: number; non_local: number }>(
        sql`select subdistrict_id as id, sum(local_hukou)::int as local, sum(non_local_hukou)::int as non_local
          from people.population_counts where year = ${year} group by subdistrict_id order by subdistrict_id`,
      );
      const { data, errors } = await h.query(
        `query($representations: [_Any!]!, $year: Int) { _entities(representations: $representations) {
          ... on Subdistrict { id population(year: $year) { ${countFields} } } ... on District { population(year: $year) { total } } } }`,
        { representations: [...ids.map((id) => ({ __typename: 'Subdistrict', id })), district], year },
      );
      expect(errors).toBeUndefined();
      const subdistricts = data!._entities.slice(0, 10);
      expect(subdistricts.map((s: any) => [s.id, s.population.localHukou, s.population.nonLocalHukou])).toEqual(
        expected.map((row) => [row.id, row.local, row.non_local]),
      );
      expect(subdistricts.reduce((sum: number, s: any) => sum + s.population.total, 0)).toBe(data!._entities[10].population.total);
    }
  });

  it('defaults to the latest year counted and is null for a year without counts', async () => {
    const [community] = await communityIds();
    const [subdistrict] = await subdistrictIds(2019);
    const { data, errors } = await h.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Community { latest: population { year total } y2019: population(year: 2019) { total } y2017: population(year: 2017) { total }
          none: population(year: 2030) { total } }
        ... on Subdistrict { latest: population { year total } none: population(year: 2000) { total } }
        ... on District { latest: population { year total } none: population(year: 1999) { total } } } }`,
      { representations: [{ __typename: 'Community', id: community }, { __typename: 'Subdistrict', id: subdistrict }, district] },
    );
    expect(errors).toBeUndefined();
    const [c, s, d] = data!._entities;
    expect(c.latest).toEqual({ year: 2019, total: c.y2019.total });
    expect(c.y2017.total).toBeLessThan(c.y2019.total);
    expect(s.latest.year).toBe(2019);
    expect(d.latest).toEqual({ year: 2019, total: 57_300 });
    for (const entity of [c, s, d]) expect(entity.none).toBeNull();
    const unknown = await h.query(entities('Community', 'population { total } workersPer1000Residents'), {
      representations: [{ __typename: 'Community', id: 'com-nowhere' }],
    });
    expect(unknown.data!._entities).toEqual([{ population: null, workersPer1000Residents: null }]);
  });

  it('rejects a year outside 1900–2100 as bad input naming `year`', async () => {
    for (const [typename, field] of [
      ['Community', 'population(year: 1899) { total }'],
      ['District', 'population(year: 2101) { total }'],
      ['Subdistrict', 'population(year: -5) { total }'],
      ['Community', 'workersPer1000Residents(year: 12019)'],
    ] as const) {
      const { errors } = await h.query(entities(typename, field), { representations: [{ __typename: typename, id: 'x' }] });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
    }
  });
});

describe('workersPer1000Residents', () => {
  it('divides the workers in post during the year by that year’s residents, as computed by hand', async () => {
    const ids = await communityIds();
    const { data, errors } = await h.query(
      entities(
        'Community',
        'id latest: workersPer1000Residents y2019: workersPer1000Residents(year: 2019) y2017: workersPer1000Residents(year: 2017) none: workersPer1000Residents(year: 2030)',
      ),
      {
        representations: ids.map((id) => ({ __typename: 'Community', id })),
      },
    );
    expect(errors).toBeUndefined();
    for (const year of [2017, 2019]) {
      const byHand = await h.rows<{ id: string; workers: number; residents: number }>(
        sql`select pc.community_id as id, pc.local_hukou + pc.non_local_hukou as residents,
            (select count(*)::int from people.workers w where w.community_id = pc.community_id
              and w.hired_on <= make_date(${year}, 12, 31) and (w.left_on is null or w.left_on >= make_date(${year}, 1, 1))) as workers
          from people.population_counts pc where pc.year = ${year} order by pc.community_id`,
      );
      const expected = new Map(byHand.map((row) => [row.id, (row.workers / row.residents) * 1000]));
      for (const community of data!._entities) {
        expect(community[`y${year}`]).toBeCloseTo(expected.get(community.id)!, 10);
        expect(community.none).toBeNull();
      }
      if (year === 2019) {
        expect(byHand.filter((row) => row.workers > 0).length).toBeGreaterThan(10);
        for (const community of data!._entities) expect(community.latest).toBe(community.y2019);
      }
    }
    // Workers hired in 2018 and 2019 were not yet in post in 2017.
    const sum = (key: string) => data!._entities.reduce((total: number, c: any) => total + c[key], 0);
    expect(sum('y2017')).toBeLessThan(sum('y2019'));
  });
});
