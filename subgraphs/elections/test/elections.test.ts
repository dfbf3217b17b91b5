import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();

const ok = h.data;

async function badInput(query: string, argument: string, variables?: Record<string, unknown>) {
  const { errors } = await h.query(query, variables);
  expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(errors?.[0]?.extensions?.argument).toBe(argument);
}

/** Every election a root query lists, walking the pages through `endCursor`. */
async function allElections(filters: string, selection: string, pageSize = 50): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await ok(
      `query($after: String) { elections(${filters}${filters ? ', ' : ''}first: ${pageSize}, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${selection} } } } }`,
      { after },
    );
    const page = data.elections;
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    nodes.push(...page.edges.map((edge: any) => edge.node));
    if (!page.pageInfo.hasNextPage) {
      expect(nodes).toHaveLength(page.totalCount);
      return nodes;
    }
    expect(page.edges).toHaveLength(pageSize);
    after = page.pageInfo.endCursor;
  }
}

describe('Query.elections', () => {
  it('lists every election newest first, keyset-paginated without gaps or repeats', async () => {
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from elections.elections`);
    const nodes = await allElections('', 'id heldOn', 25);
    expect(nodes).toHaveLength(n);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(n);
    for (let i = 1; i < nodes.length; i++) expect(nodes[i].heldOn <= nodes[i - 1].heldOn).toBe(true);
    expect(nodes[0].heldOn.startsWith('2019')).toBe(true);
    expect(nodes.at(-1).heldOn.startsWith('2017')).toBe(true);
  });

  it('holds 140 general elections in 2017 electing 957 members, and 2019 by-elections electing 49', async () => {
    const general = await allElections('year: 2017, type: GENERAL', 'year type seats reportStatus candidacies { outcome }', 500);
    expect(general).toHaveLength(140);
    expect(general.every((e) => e.year === 2017 && e.type === 'GENERAL' && e.reportStatus === 'CERTIFIED')).toBe(true);
    const elected2017 = general.flatMap((e) => e.candidacies).filter((c) => c.outcome === 'ELECTED');
    expect(elected2017).toHaveLength(957);
    expect(general.reduce((sum, e) => sum + e.seats, 0)).toBe(957);
    // 差额: more candidates than seats.
    expect(general.every((e) => e.candidacies.length > e.seats)).toBe(true);

    const by = await allElections('year: 2019, type: BY_ELECTION', 'year type seats differential candidacies { outcome }', 500);
    expect(by.length).toBeGreaterThan(0);
    expect(by.every((e) => e.year === 2019 && e.type === 'BY_ELECTION')).toBe(true);
    expect(by.flatMap((e) => e.candidacies).filter((c) => c.outcome === 'ELECTED')).toHaveLength(49);
    expect(by.reduce((sum, e) => sum + e.seats, 0)).toBe(49);
    expect(by.every((e) => e.candidacies.length === e.seats + (e.differential ? 1 : 0))).toBe(true);

    const none = await ok(`{ elections(year: 2018) { totalCount edges { node { id } } } }`);
    expect(none.elections).toEqual({ totalCount: 0, edges: [] });
  });

  it('filters by community and by the sub-district recorded on the election', async () => {
    const { communityId, subdistrictId } = await h.one<{ communityId: string; subdistrictId: string }>(
      sql`select community_id as "communityId", subdistrict_id as "subdistrictId" from elections.elections where type = 'BY_ELECTION' order by id limit 1`,
    );
    const [counts] = await h.rows<{ community: number; subdistrict: number; subdistrict2019: number }>(sql`select
      (select count(*)::int from elections.elections where community_id = ${communityId}) as community,
      (select count(*)::int from elections.elections where subdistrict_id = ${subdistrictId}) as subdistrict,
      (select count(*)::int from elections.elections where subdistrict_id = ${subdistrictId} and held_on between '2019-01-01' and '2019-12-31') as subdistrict2019`);
    const byCommunity = await allElections(`communityId: "${communityId}"`, 'community { id } residentsCommittee { id } heldOn');
    expect(byCommunity).toHaveLength(counts!.community);
    expect(byCommunity.length).toBeGreaterThanOrEqual(2);
    expect(byCommunity.every((e) => e.community.id === communityId)).toBe(true);
    expect(byCommunity[0].heldOn > byCommunity.at(-1).heldOn).toBe(true);

    const bySubdistrict = await allElections(`subdistrictId: "${subdistrictId}"`, 'subdistrict { id }', 20);
    expect(bySubdistrict).toHaveLength(counts!.subdistrict);
    expect(bySubdistrict.every((e) => e.subdistrict.id === subdistrictId)).toBe(true);
    const combined = await ok(`{ elections(subdistrictId: "${subdistrictId}", year: 2019, type: BY_ELECTION) { totalCount } }`);
    expect(combined.elections.totalCount).toBe(counts!.subdistrict2019);
  });

  it('rejects a bad page size, a forged cursor and an impossible year, naming the argument', async () => {
    await badInput(`{ elections(first: -1) { totalCount } }`, 'first');
    await badInput(`{ elections(first: 501) { totalCount } }`, 'first');
    await badInput(`{ elections(after: "not-a-cursor") { totalCount } }`, 'after');
    const forged = Buffer.from('x:0000001/el', 'utf8').toString('base64url');
    await badInput(`query($after: String) { elections(after: $after) { totalCount } }`, 'after', { after: forged });
    await badInput(`{ elections(year: 1800) { totalCount } }`, 'year');
    await badInput(`{ elections(year: 2101) { totalCount } }`, 'year');
    const empty = await ok(`{ elections(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`);
    expect(empty.elections.edges).toEqual([]);
    expect(empty.elections.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  });
});

describe('Election', () => {
  it('derives registered, valid ballots and turnout from the stored count, and pages its registrations', async () => {
    const [row] = await h.rows<{ id: string; registered: number; participated: number; cast: number; rejected: number }>(sql`
      select e.id, (select count(*)::int from elections.voter_registrations r where r.election_id = e.id) as registered,
        e.participated, e.ballots_cast as cast, e.ballots_rejected as rejected
      from elections.elections e order by e.ballots_rejected desc, e.participated desc, e.id limit 1`);
    expect(row).toBeDefined();
    const { election } = await ok(
      `query($id: ID!) { election(id: $id) { id turnout
      result { registered participated ballotsCast ballotsRejected ballotsValid turnout }
      candidacies { position votes outcome person { id } election { id } } } }`,
      { id: row!.id },
    );
    expect(election.result).toEqual({
      registered: row!.registered,
      participated: row!.participated,
      ballotsCast: row!.cast,
      ballotsRejected: row!.rejected,
      ballotsValid: row!.cast - row!.rejected,
      turnout: row!.participated / row!.registered,
    });
    expect(election.turnout).toBe(row!.participated / row!.registered);
    expect(election.candidacies.map((c: any) => c.position)).toEqual(election.candidacies.map((_: unknown, i: number) => i + 1));
    expect(election.candidacies.every((c: any) => c.election.id === row!.id && c.votes !== null)).toBe(true);

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await ok(
        `query($id: ID!, $after: String) { election(id: $id) { registrations(first: 4, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { id hukouBasis registeredOn person { id } } } } } }`,
        { id: row!.id, after },
      );
      const page = data.election.registrations;
      expect(page.totalCount).toBe(row!.registered);
      seen.push(...page.edges.map((edge: any) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(row!.registered);
    expect([...seen].sort()).toEqual(seen);
    await badInput(`query($id: ID!) { election(id: $id) { registrations(first: 1000) { totalCount } } }`, 'first', { id: row!.id });
  });

  it('is an entity: resolves references in a batch, unknown ones as null', async () => {
    const { id } = await h.one<{ id: string }>(sql`select id from elections.elections order by id limit 1`);
    const data = await ok(entities('Election', 'id type residentsCommittee { id }'), {
      representations: [
        { __typename: 'Election', id },
        { __typename: 'Election', id: 'el-missing' },
      ],
    });
    expect(data._entities).toEqual([{ id, type: 'GENERAL', residentsCommittee: { id: id.replace(/^el-(\d+)-.*$/, 'rc-$1') } }, null]);
    expect((await ok(`{ election(id: "el-missing") { id } }`)).election).toBeNull();
  });
});

describe('turnout, weighted by registered voters', () => {
  const district = (year?: number) =>
    ok(entities('District', `turnout${year ? `(year: ${year})` : ''} { year elections registered participated rate }`), {
      representations: [{ __typename: 'District', id: 'dst-440306000000' }],
    }).then((data) => data._entities[0].turnout);

  it('District.turnout(2017) is the ratio of sums computed in SQL, 96 % at this scale', async () => {
    const [expected] = await h.rows<{ elections: number; registered: number; participated: number }>(sql`select
      (select count(*)::int from elections.elections where held_on between '2017-01-01' and '2017-12-31' and participated is not null) as elections,
      (select count(*)::int from elections.voter_registrations r join elections.elections e on e.id = r.election_id
        where e.held_on between '2017-01-01' and '2017-12-31' and e.participated is not null) as registered,
      (select sum(participated)::int from elections.elections where held_on between '2017-01-01' and '2017-12-31') as participated`);
    const turnout = await district(2017);
    expect(turnout).toEqual({ year: 2017, ...expected, rate: expected!.participated / expected!.registered });
    expect(turnout.elections).toBe(140);
    expect(Math.abs(turnout.rate - 0.96)).toBeLessThan(0.001);
  });

  it('defaults to the latest year with elections, and is null for a year without any', async () => {
    expect((await district()).year).toBe(2019);
    expect(await district(2018)).toBeNull();
    const { errors } = await h.query(entities('District', 'turnout(year: 3000) { rate }'), {
      representations: [{ __typename: 'District', id: 'dst-440306000000' }],
    });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
  });

  it('sub-district turnouts of the 10 sub-districts recombine to the district, and are not a mean of rates', async () => {
    const subdistrictIds = (
      await h.rows<{ id: string }>(sql`select distinct subdistrict_id as id from elections.elections order by 1`)
    ).map((row) => row.id);
    expect(subdistrictIds).toHaveLength(10);
    const data = await ok(entities('Subdistrict', 'id turnout(year: 2017) { year elections registered participated rate }'), {
      representations: subdistrictIds.map((id) => ({ __typename: 'Subdistrict', id })),
    });
    const parts = data._entities.map((entity: any) => entity.turnout);
    const whole = await district(2017);
    expect(parts.reduce((sum: number, t: any) => sum + t.registered, 0)).toBe(whole.registered);
    expect(parts.reduce((sum: number, t: any) => sum + t.participated, 0)).toBe(whole.participated);
    expect(parts.reduce((sum: number, t: any) => sum + t.elections, 0)).toBe(whole.elections);
    for (const part of parts) expect(part.rate).toBe(part.participated / part.registered);
    const weighted = parts.reduce((sum: number, t: any) => sum + t.rate * t.registered, 0) / whole.registered;
    expect(weighted).toBeCloseTo(whole.rate, 12);
  });

  it('Community.turnout counts its own elections, by default in its latest year', async () => {
    const [row] = await h.rows<{ id: string; registered: number; participated: number; elections: number }>(sql`
      select e.community_id as id, count(*)::int as elections, sum(e.participated)::int as participated,
        sum((select count(*) from elections.voter_registrations r where r.election_id = e.id))::int as registered
      from elections.elections e where e.held_on between '2019-01-01' and '2019-12-31'
      group by e.community_id order by e.community_id limit 1`);
    const [quiet] = await h.rows<{ id: string }>(sql`select community_id as id from elections.elections
      group by community_id having max(held_on) < '2019-01-01' order by 1 limit 1`);
    const data = await ok(
      entities(
        'Community',
        'id turnout { year elections registered participated rate } t17: turnout(year: 2017) { year } t18: turnout(year: 2018) { year }',
      ),
      {
        representations: [row!.id, quiet!.id].map((id) => ({ __typename: 'Community', id })),
      },
    );
    expect(data._entities[0]).toEqual({
      id: row!.id,
      turnout: {
        year: 2019,
        elections: row!.elections,
        registered: row!.registered,
        participated: row!.participated,
        rate: row!.participated / row!.registered,
      },
      t17: { year: 2017 },
      t18: null,
    });
    expect(data._entities[1].turnout.year).toBe(2017);
  });
});

describe('ResidentsCommittee', () => {
  /** A committee with a seat vacated in the term and filled at the 2019 by-election. */
  async function byElectedCommittee() {
    const [vacated] = await h.rows<{ committeeId: string; personId: string; servedTo: string }>(sql`
      select e.residents_committee_id as "committeeId", c.person_id as "personId", c.served_to::text as "servedTo"
      from elections.candidacies c join elections.elections e on e.id = c.election_id
      where c.served_to is not null order by c.id limit 1`);
    const winners = await h.rows<{ personId: string }>(sql`
      select c.person_id as "personId" from elections.candidacies c join elections.elections e on e.id = c.election_id
      where e.residents_committee_id = ${vacated!.committeeId} and e.type = 'BY_ELECTION' and c.outcome = 'ELECTED' order by c.position`);
    const general = await h.rows<{ personId: string; servedTo: string | null }>(sql`
      select c.person_id as "personId", c.served_to::text as "servedTo" from elections.candidacies c join elections.elections e on e.id = c.election_id
      where e.residents_committee_id = ${vacated!.committeeId} and e.type = 'GENERAL' and c.outcome = 'ELECTED' order by c.position`);
    return { ...vacated!, byElected: winners.map((w) => w.personId), general };
  }

  const members = async (committeeId: string, on?: string) => {
    const data = await ok(entities('ResidentsCommittee', `members${on ? `(on: "${on}")` : ''} { id }`), {
      representations: [{ __typename: 'ResidentsCommittee', id: committeeId }],
    });
    return data._entities[0].members.map((m: any) => m.id) as string[];
  };

  it('members: a vacated seat is held until it is vacated, and the by-elected member sits from the by-election', async () => {
    const committee = await byElectedCommittee();
    expect(committee.byElected.length).toBeGreaterThan(0);
    const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

    expect(await members(committee.committeeId, '2017-04-14')).toEqual([]);
    const elected = committee.general.map((g) => g.personId);
    expect(await members(committee.committeeId, '2017-04-15')).toEqual(elected);
    expect(await members(committee.committeeId, committee.servedTo)).toContain(committee.personId);

    const between = await members(committee.committeeId, dayAfter(committee.servedTo));
    expect(between).not.toContain(committee.personId);
    for (const person of committee.byElected) expect(between).not.toContain(person);

    const after = await members(committee.committeeId, '2019-09-21');
    expect(after).not.toContain(committee.personId);
    const stillServing = committee.general.filter((g) => g.servedTo === null).map((g) => g.personId);
    // The general election's members in ballot order, by-election winners after them.
    expect(after).toEqual([...stillServing, ...committee.byElected]);
    expect(after).toHaveLength(committee.general.length);
    expect(await members(committee.committeeId)).toEqual(after);
  });

  it('members across the district: 957 seats filled after the by-elections, 49 empty just before', async () => {
    const committeeIds = (
      await h.rows<{ id: string }>(sql`select distinct residents_committee_id as id from elections.elections order by 1`)
    ).map((r) => r.id);
    expect(committeeIds).toHaveLength(140);
    const data = await ok(
      entities('ResidentsCommittee', 'before: members(on: "2019-09-20") { id } after: members(on: "2019-10-01") { id }'),
      {
        representations: committeeIds.map((id) => ({ __typename: 'ResidentsCommittee', id })),
      },
    );
    const count = (key: string) => data._entities.reduce((sum: number, c: any) => sum + c[key].length, 0);
    expect(count('after')).toBe(957);
    expect(count('before')).toBe(957 - 49);
    const { errors } = await h.query(entities('ResidentsCommittee', 'members(on: "2019-02-30") { id }'), {
      representations: [{ __typename: 'ResidentsCommittee', id: committeeIds[0] }],
    });
    expect(errors?.[0]?.message).toMatch(/does not exist/);
  });

  it('elections newest first', async () => {
    const committee = await byElectedCommittee();
    const data = await ok(entities('ResidentsCommittee', 'elections { type heldOn residentsCommittee { id } }'), {
      representations: [{ __typename: 'ResidentsCommittee', id: committee.committeeId }],
    });
    expect(data._entities[0].elections).toEqual([
      { type: 'BY_ELECTION', heldOn: '2019-09-21', residentsCommittee: { id: committee.committeeId } },
      { type: 'GENERAL', heldOn: '2017-04-15', residentsCommittee: { id: committee.committeeId } },
    ]);
  });
});

describe('Person.candidacies', () => {
  it('lists a candidate’s candidacies newest election first, with the election', async () => {
    const people = await h.rows<{ id: string; n: number }>(sql`
      select person_id as id, count(*)::int as n from elections.candidacies group by person_id order by count(*) desc, person_id limit 2`);
    const [byElected] = await h.rows<{ id: string }>(sql`select c.person_id as id from elections.candidacies c
      join elections.elections e on e.id = c.election_id where e.type = 'BY_ELECTION' and c.outcome = 'ELECTED' order by c.id limit 1`);
    const ids = [...people.map((p) => p.id), byElected!.id, 'per-nobody'];
    const data = await ok(
      entities('Person', 'id candidacies { id position outcome votes incumbent servedTo person { id } election { id heldOn type } }'),
      {
        representations: ids.map((id) => ({ __typename: 'Person', id })),
      },
    );
    const [first, , third, nobody] = data._entities;
    expect(first.candidacies).toHaveLength(people[0]!.n);
    for (const entity of data._entities) {
      const dates = entity.candidacies.map((c: any) => c.election.heldOn);
      expect([...dates].sort().reverse()).toEqual(dates);
      expect(entity.candidacies.every((c: any) => c.person.id === entity.id)).toBe(true);
    }
    expect(third.candidacies[0]).toMatchObject({
      outcome: 'ELECTED',
      incumbent: false,
      election: { type: 'BY_ELECTION', heldOn: '2019-09-21' },
    });
    expect(nobody).toEqual({ id: 'per-nobody', candidacies: [] });
  });
});
