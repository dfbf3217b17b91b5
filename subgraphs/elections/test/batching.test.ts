import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();

/** SQL statements one operation sends. */
async function statementsFor(query: string, variables?: Record<string, unknown>) {
  const before = h.database.statementCount();
  const result = await h.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { statements: h.database.statementCount() - before, data: result.data! };
}

const representations = (typename: string, ids: readonly string[]) => ids.map((id) => ({ __typename: typename, id }));

/** Every k-th id, so a small set has the same mix (general and by-elections, old and new) as the whole. */
const spread = <T>(items: readonly T[], size: number): T[] =>
  items.filter((_, i) => i % Math.floor(items.length / size) === 0).slice(0, size);

async function ids(statement: ReturnType<typeof sql>): Promise<string[]> {
  return (await h.rows<{ id: string }>(statement)).map((row) => row.id);
}

/** Runs `query` on 10 and on all `all` representations and expects the same number of statements. */
async function sameStatements(typename: string, selection: string, all: string[]) {
  const query = entities(typename, selection);
  const small = await statementsFor(query, { representations: representations(typename, spread(all, 10)) });
  const large = await statementsFor(query, { representations: representations(typename, all) });
  expect(small.data._entities).toHaveLength(10);
  expect(large.data._entities).toHaveLength(all.length);
  expect(large.data._entities.every((entity: unknown) => entity !== null)).toBe(true);
  expect(large.statements).toBe(small.statements);
  return { small, large };
}

describe('no N+1', () => {
  it('resolves 10 or 140 ResidentsCommittee references with elections, members and meetings in the same number of statements', async () => {
    const committeeIds = await ids(sql`select distinct residents_committee_id as id from elections.elections order by 1`);
    expect(committeeIds).toHaveLength(140);
    const { small, large } = await sameStatements(
      'ResidentsCommittee',
      `id elections { id type year turnout result { registered ballotsValid } candidacies { position person { id } election { id } }
         registrations(first: 2) { totalCount edges { node { id person { id } } } } community { id } subdistrict { id } residentsCommittee { id } }
       members { id } before: members(on: "2019-09-01") { id }
       meetings { id kind organisation { id } residentsCommittee { id } motions { id carried votes { for against abstain } } }
       councils2018: meetings(kind: RESIDENTS_COUNCIL, year: 2018) { id }`,
      committeeIds,
    );
    const withByElection = (data: any) => data._entities.some((c: any) => c.elections.some((e: any) => e.type === 'BY_ELECTION'));
    expect(withByElection(small.data) && withByElection(large.data)).toBe(true);
    expect(large.data._entities.reduce((sum: number, c: any) => sum + c.members.length, 0)).toBe(957);
    // elections, registered counts, registrations page and count, candidacies, seats, both meeting filters, motions
    expect(large.statements).toBeLessThanOrEqual(9);
  });

  it('resolves 10 or 124 Community references with turnout and matters in the same number of statements', async () => {
    const communityIds = await ids(sql`select distinct community_id as id from elections.elections order by 1`);
    expect(communityIds).toHaveLength(124);
    const { large } = await sameStatements(
      'Community',
      `id turnout { year elections registered participated rate } t17: turnout(year: 2017) { rate }
       matters(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id stage title community { id } residentsCommittee { id }
         stages { stage heldOn votes { for against abstain } } } } }
       finished: matters(stage: RESULT_PUBLISHED, first: 1) { totalCount edges { node { id } } }`,
      communityIds,
    );
    expect(large.data._entities.every((c: any) => c.turnout !== null && c.matters.edges.length === 2)).toBe(true);
    // turnout, two pages and two counts of matters, stages
    expect(large.statements).toBeLessThanOrEqual(6);
  });

  it('resolves 10 or 200 Person references (candidates) with their candidacies in the same number of statements', async () => {
    const personIds =
      await ids(sql`select distinct c.person_id as id from elections.candidacies c join elections.elections e on e.id = c.election_id
      order by 1`);
    expect(personIds.length).toBeGreaterThanOrEqual(200);
    const byElectedIds = new Set(
      await ids(
        sql`select c.person_id as id from elections.candidacies c join elections.elections e on e.id = c.election_id where e.type = 'BY_ELECTION'`,
      ),
    );
    // 200 candidates, one in seven from a by-election, so the 10 taken from them hold both kinds too.
    const general = personIds.filter((id) => !byElectedIds.has(id));
    const byElection = personIds.filter((id) => byElectedIds.has(id));
    const large = Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? byElection[i / 7]! : general[i]!));
    expect(new Set(large).size).toBe(200);
    const { small } = await sameStatements(
      'Person',
      `id candidacies { id position incumbent outcome votes servedTo person { id }
         election { id type heldOn turnout result { registered participated } residentsCommittee { id } candidacies { id }
           registrations(first: 1) { totalCount edges { node { id } } } } }`,
      large,
    );
    expect(small.data._entities.some((p: any) => p.candidacies.some((c: any) => c.election.type === 'BY_ELECTION'))).toBe(true);
  });

  it('resolves 10 or 184 Election references in the same number of statements', async () => {
    const electionIds = await ids(sql`select id from elections.elections order by id`);
    const { large } = await sameStatements(
      'Election',
      `id year type differential seats announcedOn heldOn reportStatus certifiedOn turnout
       result { registered participated ballotsCast ballotsRejected ballotsValid turnout }
       candidacies { id position person { id } election { id } }
       registrations(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { id hukouBasis person { id } } } }
       residentsCommittee { id } community { id } subdistrict { id }`,
      electionIds,
    );
    expect(large.data._entities.every((e: any) => e.result.registered === e.registrations.totalCount)).toBe(true);
    // elections, registered counts, candidacies, registrations page and count
    expect(large.statements).toBeLessThanOrEqual(5);
  });

  it('resolves 10 or 379 Matter references with their stages in the same number of statements', async () => {
    const matterIds = await ids(sql`select id from elections.matters order by id`);
    expect(matterIds.length).toBeGreaterThanOrEqual(200);
    await sameStatements(
      'Matter',
      'id stage title summary community { id } residentsCommittee { id } stages { stage heldOn body minutesRef votes { for } }',
      matterIds,
    );
  });

  it('resolves 2 or 10 Subdistrict references and the District with turnout in the same number of statements', async () => {
    const subdistrictIds = await ids(sql`select distinct subdistrict_id as id from elections.elections order by 1`);
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Subdistrict { id turnout { rate } t17: turnout(year: 2017) { registered } }
      ... on District { id turnout { rate } t17: turnout(year: 2017) { registered } } } }`;
    const district = { __typename: 'District', id: 'dst-440306000000' };
    const small = await statementsFor(query, {
      representations: [district, ...representations('Subdistrict', subdistrictIds.slice(0, 2))],
    });
    const large = await statementsFor(query, { representations: [district, ...representations('Subdistrict', subdistrictIds)] });
    expect(large.data._entities).toHaveLength(11);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBe(2);
  });

  it('answers electionTotals for 1 or 10 sub-districts, and the district with deliberation, with one aggregate statement per field and filter', async () => {
    const subdistrictIds = await ids(sql`select distinct subdistrict_id as id from elections.elections order by 1`);
    expect(subdistrictIds).toHaveLength(10);
    const totals =
      'all: electionTotals(year: 2017) { elections registered turnout } by: electionTotals(year: 2019, type: BY_ELECTION) { seats membersElected }';
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Subdistrict { id ${totals} }
      ... on District { id ${totals} deliberation { communities matters published stagesRecorded } } } }`;
    const district = { __typename: 'District', id: 'dst-440306' };
    const one = await statementsFor(query, { representations: [district, ...representations('Subdistrict', subdistrictIds.slice(0, 1))] });
    const ten = await statementsFor(query, { representations: [district, ...representations('Subdistrict', subdistrictIds)] });
    expect(ten.data._entities).toHaveLength(11);
    expect(ten.data._entities.slice(1).reduce((sum: number, s: any) => sum + s.all.elections, 0)).toBe(ten.data._entities[0].all.elections);
    expect(ten.statements).toBe(one.statements);
    // two filters for the district and two for the sub-districts, and deliberation
    expect(ten.statements).toBe(5);
  });

  it('lists 10 or 184 elections with nested fields from the root in a constant number of statements', async () => {
    const query = `query($n: Int) { elections(first: $n) { totalCount edges { node { id result { registered } turnout
      candidacies { person { id } } registrations(first: 2) { totalCount edges { node { id } } } } } } }`;
    const ten = await statementsFor(query, { n: 10 });
    const all = await statementsFor(query, { n: 200 });
    expect(all.data.elections.edges).toHaveLength(all.data.elections.totalCount);
    expect(all.statements).toBe(ten.statements);
  });
});
