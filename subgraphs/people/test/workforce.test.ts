import { facts, referenceDataset, scaled } from '@gongzhi/dataset';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { entities, useSeededPeople } from './harness.ts';

const h = useSeededPeople();

const district = { __typename: 'District', id: 'dst-440306' };
const workforceFields = 'year workers recruited recruitedByEducation { education count }';
/** The GraphQL enum's order, written out so the answer's order is checked against something else than the SQL. */
const educationOrder = ['PRIMARY', 'JUNIOR_SECONDARY', 'SENIOR_SECONDARY', 'VOCATIONAL', 'ASSOCIATE', 'BACHELOR', 'MASTER', 'DOCTORATE'];

/** The district's `selection` (one `_entities` call). */
async function districtData(selection: string) {
  const data = await h.data(entities('District', selection), { representations: [district] });
  return data._entities[0];
}

/** Every figure of `year`, computed directly over the slice's tables. */
async function byHand(year: number) {
  const endOfYear = `${year}-12-31`;
  const { workers, recruited } = await h.one<{ workers: number; recruited: number }>(sql`select
      (select count(*)::int from people.workers where hired_on <= ${endOfYear}::date and coalesce(left_on, 'infinity') >= ${endOfYear}::date) as workers,
      (select count(*)::int from people.workers where recruited_year = ${year}) as recruited`);
  const educations = await h.rows<{ education: string; count: number }>(sql`select p.education::text as education, count(*)::int as count
    from people.workers w join people.persons p on p.id = w.person_id where w.recruited_year = ${year} group by p.education`);
  const recruitedByEducation = educations.sort((a, b) => educationOrder.indexOf(a.education) - educationOrder.indexOf(b.education));
  return { year, workers, recruited, recruitedByEducation };
}

describe('District.workforce', () => {
  it('answers every figure of a year as SQL over the workers and their persons computes it', async () => {
    const { first } = await h.one<{ first: number }>(sql`select min(recruited_year) as first from people.workers`);
    const { busiest } = await h.one<{ busiest: number }>(
      sql`select recruited_year as busiest from people.workers where recruited_year > ${first} and recruited_year < 2019
        group by 1 order by count(*) desc, 1 limit 1`,
    );
    // 2019, the busiest year between the first recruits and 2019, one before any worker, one after the last recruitment.
    const years = [2019, busiest, first - 5, 2024];
    const d = await districtData(years.map((year) => `y${year}: workforce(year: ${year}) { ${workforceFields} }`).join(' '));
    for (const year of years) expect(d[`y${year}`], String(year)).toEqual(await byHand(year));
    // The years differ in what they exercise, so a figure computed wrongly shows in at least one of them.
    expect(d[`y${busiest}`].recruited).toBeGreaterThan(1);
    expect(d[`y${busiest}`].workers).toBeGreaterThan(d[`y${busiest}`].recruited);
    expect(d.y2019.recruitedByEducation.length).toBeGreaterThanOrEqual(2);
    expect(d[`y${first - 5}`]).toEqual({ year: first - 5, workers: 0, recruited: 0, recruitedByEducation: [] });
    expect(d.y2024.recruited).toBe(0);
    expect(d.y2024.workers).toBeGreaterThan(d.y2019.recruited);
  });

  it('defaults to the latest year any worker was recruited, and shows the published 2019 figures at this scale', async () => {
    const { latest } = await h.one<{ latest: number }>(sql`select max(recruited_year) as latest from people.workers`);
    const d = await districtData(`latest: workforce { ${workforceFields} } y2019: workforce(year: 2019) { ${workforceFields} }`);
    expect(d.latest.year).toBe(latest);
    expect(d.latest).toEqual(await byHand(latest));
    expect(d.latest).toEqual(d.y2019);
    const { scale } = referenceDataset().options;
    expect(d.latest.workers).toBe(scaled(facts.communityWorkers.count, scale));
    expect(d.latest.recruited).toBe(scaled(facts.communityWorkers.recruited2019, scale));
    // Every 2019 recruit holds at least the published minimum education, and each is counted once.
    const minimum = educationOrder.indexOf(facts.communityWorkers.recruited2019MinEducation);
    for (const { education, count } of d.latest.recruitedByEducation) {
      expect(educationOrder.indexOf(education)).toBeGreaterThanOrEqual(minimum);
      expect(count).toBeGreaterThan(0);
    }
    expect(d.latest.recruitedByEducation.reduce((sum: number, entry: any) => sum + entry.count, 0)).toBe(d.latest.recruited);
  });

  it('costs one statement per year asked, whatever the fields and aliases', async () => {
    const before = h.database.statementCount();
    const d = await districtData(
      `latest: workforce { ${workforceFields} } again: workforce { workers } y2019: workforce(year: 2019) { year recruited } y2018: workforce(year: 2018) { workers }`,
    );
    // The default year and 2019 are asked apart (the default is found inside the statement): three statements.
    expect(h.database.statementCount() - before).toBe(3);
    expect(d.again.workers).toBe(d.latest.workers);
    expect(d.y2018.workers).toBeLessThan(d.latest.workers);
  });

  it('rejects a year outside 1900–2100 as bad input naming `year`', async () => {
    const { errors } = await h.query(entities('District', 'workforce(year: 1899) { year }'), { representations: [district] });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
  });

  // The seed has no leaver; these tests change the data, so they run last.
  it('counts a worker who left on 31 December as in post that day, and one who left the day before as gone', async () => {
    const [onTheDay, dayBefore] = await h.rows<{ id: string }>(
      sql`select id from people.workers where hired_on < '2018-01-01' and left_on is null order by id limit 2`,
    );
    const before = await districtData('y2018: workforce(year: 2018) { workers } y2019: workforce(year: 2019) { workers }');
    await h.rows(sql`update people.workers set left_on = '2018-12-31' where id = ${onTheDay!.id}`);
    await h.rows(sql`update people.workers set left_on = '2018-12-30' where id = ${dayBefore!.id}`);
    const after = await districtData(
      `y2018: workforce(year: 2018) { ${workforceFields} } y2019: workforce(year: 2019) { ${workforceFields} }`,
    );
    expect(after.y2018.workers).toBe(before.y2018.workers - 1);
    expect(after.y2019.workers).toBe(before.y2019.workers - 2);
    expect(after.y2018).toEqual(await byHand(2018));
    expect(after.y2019).toEqual(await byHand(2019));
  });

  it('is null by default when the slice holds no worker, and zero for a year asked', async () => {
    await h.rows(sql`delete from people.trainings`);
    await h.rows(sql`delete from people.evaluations`);
    await h.rows(sql`delete from people.workers`);
    const d = await districtData(`latest: workforce { year } y2019: workforce(year: 2019) { ${workforceFields} }`);
    expect(d.latest).toBeNull();
    expect(d.y2019).toEqual({ year: 2019, workers: 0, recruited: 0, recruitedByEducation: [] });
  });
});
