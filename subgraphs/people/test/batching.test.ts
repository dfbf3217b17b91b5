import { districtStructure } from '@gongzhi/dataset';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { entities, useSeededPeople } from './harness.ts';

const h = useSeededPeople();

/** SQL statements one operation sends. */
async function statementsFor(query: string, variables?: Record<string, unknown>) {
  const before = h.database.statementCount();
  const result = await h.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { statements: h.database.statementCount() - before, data: result.data! };
}

async function ids(query: ReturnType<typeof sql>): Promise<string[]> {
  return (await h.rows<{ id: string }>(query)).map((row) => row.id);
}

/** `small` and `large` representations mixing the same kinds in the same proportions (10 and 200 in all). */
function mix(typename: string, groups: [ids: string[], small: number, large: number][]) {
  const pick = (which: 1 | 2) =>
    groups.flatMap((group) => {
      const count = group[which];
      expect(group[0].length).toBeGreaterThanOrEqual(count);
      return group[0].slice(0, count).map((id) => ({ __typename: typename, id }));
    });
  return { small: pick(1), large: pick(2) };
}

const membershipFields = 'id role validFrom validTo person { id name } post { id } organisation { id }';
const personFields = `id name gender birthYear hukou education community { id } idNumber phone address birthDate
  memberships(includeEnded: true) { ${membershipFields} }
  worker { id grade person { id } community { id } post { id } trainings { id title } evaluations { id year rating } }
  volunteer { id skills person { id } community { id } }
  deputyRoles { id body person { id } receptionCommunity { id } }`;

describe('no N+1', () => {
  it('resolves 10 or 200 Person references with every nested field in the same number of statements', async () => {
    // Area directors are workers, building heads are volunteers, deputies hold no post: 20 / 30 / 50 % of each set.
    const { small, large } = mix('Person', [
      [await ids(sql`select person_id as id from people.workers where post_id is not null order by id`), 2, 40],
      [await ids(sql`select person_id as id from people.deputies order by id`), 3, 60],
      [await ids(sql`select person_id as id from people.memberships where role = 'BUILDING_HEAD' order by id`), 5, 100],
    ]);
    const query = entities('Person', personFields);
    const ten = await statementsFor(query, { representations: small });
    const twoHundred = await statementsFor(query, { representations: large });
    expect(ten.data._entities).toHaveLength(10);
    expect(twoHundred.data._entities).toHaveLength(200);
    const people = twoHundred.data._entities;
    expect(people.every((p: any) => p !== null && (p.worker || p.volunteer || p.deputyRoles.length > 0))).toBe(true);
    expect(people.filter((p: any) => p.worker?.trainings.length > 0)).toHaveLength(40);
    expect(twoHundred.statements).toBe(ten.statements);
    expect(ten.statements).toBeLessThanOrEqual(8);
  });

  it('resolves 10, 124 or 200 Community references with their @requires fields in the same number of statements', async () => {
    const structure = districtStructure();
    const representation = (community: (typeof structure.communities)[number]) => ({
      __typename: 'Community',
      id: community.id,
      partyCommittee: { id: `org-pc-${community.code}` },
      workstation: { id: `org-ws-${community.code}` },
      residentsCommittees: structure.residentsCommittees
        .filter((committee) => committee.communityId === community.id)
        .map((committee) => ({ organisation: { id: `org-rc-${committee.code}` } })),
    });
    // The 10 are communities with workers and deputies, so every nested field has rows in both sets.
    const full = new Set(
      await ids(
        sql`select distinct w.community_id as id from people.workers w join people.deputies d on d.reception_community_id = w.community_id`,
      ),
    );
    const small = structure.communities
      .filter((community) => full.has(community.id))
      .slice(0, 10)
      .map(representation);
    const all = structure.communities.map(representation);
    // 200: every community, the first 76 asked twice (as a gateway merging two paths might).
    const twoHundred = [...all, ...all.slice(0, 76)];
    const query = entities(
      'Community',
      `id population { ${'year total localHukou nonLocalHukou nonLocalShare'} } earlier: population(year: 2017) { total }
       workersPer1000Residents earlierWorkers: workersPer1000Residents(year: 2017)
       workers(first: 5) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${'id person { name } community { id } post { id } trainings { title } evaluations { year }'} } } }
       residents(first: 3, hukou: LOCAL) { totalCount edges { node { id name memberships { id } } } }
       volunteers(first: 3) { totalCount edges { node { id person { name } } } }
       deputies { id person { name } receptionCommunity { id } }
       crossAppointments { person { id name worker { id } } memberships { ${membershipFields} } }`,
    );
    const ten = await statementsFor(query, { representations: small });
    const every = await statementsFor(query, { representations: all });
    const doubled = await statementsFor(query, { representations: twoHundred });
    expect(ten.data._entities).toHaveLength(10);
    expect(ten.data._entities.every((c: any) => c.workers.totalCount > 0 && c.deputies.length > 0 && c.volunteers.totalCount > 0)).toBe(
      true,
    );
    expect(ten.data._entities.some((c: any) => c.crossAppointments.length > 0)).toBe(true);
    expect(every.data._entities).toHaveLength(124);
    expect(doubled.data._entities).toHaveLength(200);
    expect(doubled.data._entities[124]).toEqual(every.data._entities[0]);
    expect(every.statements).toBe(ten.statements);
    expect(doubled.statements).toBe(ten.statements);
  });

  it('resolves 10 or 200 Post references, vacated seats among them, in the same number of statements', async () => {
    const { small, large } = mix('Post', [
      [
        await ids(
          sql`select post_id as id from people.memberships where post_id like 'post-rc-%' group by post_id having count(*) = 1 order by post_id`,
        ),
        9,
        180,
      ],
      [await ids(sql`select post_id as id from people.memberships where valid_to is not null order by post_id`), 1, 20],
    ]);
    const query = entities(
      'Post',
      `id holder { id name memberships { id } } past: holder(on: "2019-06-01") { id name } holders { ${membershipFields} }`,
    );
    const ten = await statementsFor(query, { representations: small });
    const twoHundred = await statementsFor(query, { representations: large });
    expect(twoHundred.data._entities).toHaveLength(200);
    expect(twoHundred.data._entities.filter((p: any) => p.holders.length === 2)).toHaveLength(20);
    expect(twoHundred.data._entities.every((p: any) => p.holder !== null)).toBe(true);
    expect(twoHundred.statements).toBe(ten.statements);
  });

  it('resolves 10 or 200 Organisation references with their members in the same number of statements', async () => {
    const organisations = (prefix: string) =>
      ids(sql`select distinct organisation_id as id from people.memberships where organisation_id like ${`${prefix}%`} order by id`);
    const { small, large } = mix('Organisation', [
      [await organisations('org-pc-'), 4, 80],
      [await organisations('org-ws-'), 3, 60],
      [await organisations('org-rc-'), 3, 60],
    ]);
    const query = entities(
      'Organisation',
      `id members { ${membershipFields} } founding: members(activeOn: "2017-01-01") { id person { id } }`,
    );
    const ten = await statementsFor(query, { representations: small });
    const twoHundred = await statementsFor(query, { representations: large });
    expect(twoHundred.data._entities).toHaveLength(200);
    expect(twoHundred.data._entities.every((o: any) => o.members.length > 0)).toBe(true);
    expect(twoHundred.statements).toBe(ten.statements);
  });

  it('resolves 1 or every Subdistrict reference with its populations in the same number of statements', async () => {
    const subdistricts = await ids(sql`select distinct subdistrict_id as id from people.population_counts order by id`);
    const query = entities('Subdistrict', 'id population { total } earlier: population(year: 2017) { total }');
    const one = await statementsFor(query, { representations: subdistricts.slice(0, 1).map((id) => ({ __typename: 'Subdistrict', id })) });
    const all = await statementsFor(query, { representations: subdistricts.map((id) => ({ __typename: 'Subdistrict', id })) });
    expect(all.data._entities.length).toBeGreaterThanOrEqual(10);
    expect(all.statements).toBe(one.statements);
  });

  it('pages people and workers from the root in a constant number of statements', async () => {
    // Nested `person` fields reuse the page's rows; trainings are left out, as few of any page are workers.
    const pagedPersonFields = `id name idNumber community { id } memberships(includeEnded: true) { ${membershipFields} }
      worker { id person { id } post { id } } volunteer { id person { id } } deputyRoles { id person { id } }`;
    const people = `query($n: Int) { people(first: $n, hukou: LOCAL) { totalCount edges { node { ${pagedPersonFields} } } } }`;
    const ten = await statementsFor(people, { n: 10 });
    const twoHundred = await statementsFor(people, { n: 200 });
    expect(twoHundred.data.people.edges).toHaveLength(200);
    expect(twoHundred.statements).toBe(ten.statements);

    const workers = `query($n: Int) { communityWorkers(first: $n) { totalCount edges { node { id person { ${personFields} } trainings { id } evaluations { id } } } } }`;
    const few = await statementsFor(workers, { n: 5 });
    const allWorkers = await statementsFor(workers, { n: 51 });
    expect(allWorkers.data.communityWorkers.edges).toHaveLength(51);
    expect(allWorkers.statements).toBe(few.statements);
  });
});
