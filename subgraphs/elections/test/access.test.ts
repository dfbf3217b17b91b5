import { ids } from '@gongzhi/dataset';
import { publicCaller, type Caller } from '@gongzhi/kit';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();

const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-001', department: null, scopes: [] };
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const restricted: [string, Caller][] = [
  ['the public', publicCaller],
  ['a partner', partner],
];
const district = { __typename: 'District', id: ids.district('440306') };

/** The disclosure threshold the slice runs with (the default). */
const threshold = 10;
/** A count as the public sees it. */
const shown = (n: number) => (n < threshold ? null : n);

/** The furthest stage of each matter, and whether the public sees it (RESOLUTION_PUBLISHED or later). */
const furthest = sql`(select max(s.stage) from elections.matter_stages s where s.matter_id = m.id)`;
const published = sql`${furthest} >= 'RESOLUTION_PUBLISHED'`;

async function count(statement: ReturnType<typeof sql>): Promise<number> {
  return (await h.one<{ n: number }>(statement)).n;
}

describe('matters: the public and partners see them from RESOLUTION_PUBLISHED on', () => {
  it('in Query.matters, its totalCount and its filters', async () => {
    const all = await count(sql`select count(*)::int as n from elections.matters m`);
    const visible = await count(sql`select count(*)::int as n from elections.matters m where ${published}`);
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(all);
    const query = `query($stage: MatterStage, $communityId: ID) { matters(stage: $stage, communityId: $communityId, first: 500) {
      totalCount edges { node { id stage stages { stage } } } } }`;
    for (const [who, caller] of restricted) {
      const { matters } = await h.data(query, {}, caller);
      expect(matters.totalCount, who).toBe(visible);
      expect(matters.edges, who).toHaveLength(visible);
      for (const { node } of matters.edges) {
        expect(['RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED'], who).toContain(node.stage);
        // Every stage of a visible matter is visible.
        expect(node.stages.at(-1).stage).toBe(node.stage);
      }
      const resolved = await h.data(query, { stage: 'RESOLVED' }, caller);
      expect(resolved.matters, who).toEqual({ totalCount: 0, edges: [] });
    }
    const { matters } = await h.data(query, {}, analyst);
    expect(matters.totalCount).toBe(all);
    expect(matters.edges).toHaveLength(all);
    const resolved = await count(sql`select count(*)::int as n from elections.matters m where ${furthest} = 'RESOLVED'`);
    expect(resolved).toBeGreaterThan(0);
    expect((await h.data(query, { stage: 'RESOLVED' }, analyst)).matters.totalCount).toBe(resolved);

    const { communityId } = await h.one<{ communityId: string }>(
      sql`select m.community_id as "communityId" from elections.matters m where not ${published} order by m.id limit 1`,
    );
    const inCommunity = (where: ReturnType<typeof sql>) =>
      count(sql`select count(*)::int as n from elections.matters m where m.community_id = ${communityId} and ${where}`);
    expect((await h.data(query, { communityId }, publicCaller)).matters.totalCount).toBe(await inCommunity(published));
    expect((await h.data(query, { communityId }, analyst)).matters.totalCount).toBe(await inCommunity(sql`true`));
  });

  it('in Query.matter and the Matter reference resolver: null when unpublished', async () => {
    const hidden = await h.one<{ id: string }>(sql`select m.id from elections.matters m where not ${published} order by m.id limit 1`);
    const open = await h.one<{
      id: string;
      stages: number;
    }>(sql`select m.id, (select count(*)::int from elections.matter_stages s where s.matter_id = m.id) as stages
      from elections.matters m where ${furthest} = 'RESOLUTION_PUBLISHED' order by m.id limit 1`);
    const query = `query($id: ID!) { matter(id: $id) { id stage stages { stage } } }`;
    for (const [who, caller] of restricted) {
      expect((await h.data(query, { id: hidden.id }, caller)).matter, who).toBeNull();
      const { matter } = await h.data(query, { id: open.id }, caller);
      expect(matter, who).toMatchObject({ id: open.id, stage: 'RESOLUTION_PUBLISHED' });
      expect(matter.stages, who).toHaveLength(open.stages);
    }
    expect((await h.data(query, { id: hidden.id }, analyst)).matter).toMatchObject({ id: hidden.id });

    const rows = await h.rows<{ id: string; visible: boolean }>(
      sql`select m.id, ${published} as visible from elections.matters m order by m.id`,
    );
    const representations = rows.map(({ id }) => ({ __typename: 'Matter', id }));
    for (const [who, caller] of restricted) {
      const { _entities } = await h.data(entities('Matter', 'id stage'), { representations }, caller);
      expect(
        _entities.map((m: any) => m !== null),
        who,
      ).toEqual(rows.map((row) => row.visible));
    }
    const { _entities } = await h.data(entities('Matter', 'id'), { representations }, analyst);
    expect(_entities.every((m: any) => m !== null)).toBe(true);
  });

  it('in Community.matters: pages and totalCount', async () => {
    const rows = await h.rows<{ id: string; all: number; visible: number }>(sql`select m.community_id as id, count(*)::int as all,
      (count(*) filter (where ${published}))::int as visible from elections.matters m group by 1 order by 1`);
    expect(rows.some((row) => row.visible < row.all)).toBe(true);
    const representations = rows.map(({ id }) => ({ __typename: 'Community', id }));
    const query = entities(
      'Community',
      'id matters(first: 50) { totalCount edges { node { id stage } } } resolved: matters(stage: RESOLVED) { totalCount }',
    );
    for (const [who, caller] of restricted) {
      const { _entities } = await h.data(query, { representations }, caller);
      for (const [i, row] of rows.entries()) {
        expect(_entities[i].matters.totalCount, `${who} ${row.id}`).toBe(row.visible);
        expect(_entities[i].matters.edges, `${who} ${row.id}`).toHaveLength(row.visible);
        expect(_entities[i].resolved.totalCount).toBe(0);
      }
      expect(_entities.flatMap((c: any) => c.matters.edges).every((e: any) => e.node.stage.endsWith('_PUBLISHED'))).toBe(true);
    }
    const { _entities } = await h.data(query, { representations }, analyst);
    expect(_entities.map((c: any) => c.matters.totalCount)).toEqual(rows.map((row) => row.all));
  });
});

describe('election counts: the public and partners see them once certified', () => {
  /** The counted election this file takes back to UNOFFICIAL (restored afterwards): the largest, so no cell of it is small. */
  let uncertified: {
    id: string;
    certifiedOn: string;
    communityId: string;
    subdistrictId: string;
    year: number;
    registered: number;
    participated: number;
  };

  beforeAll(async () => {
    uncertified =
      await h.one(sql`select e.id, e.certified_on::text as "certifiedOn", e.community_id as "communityId", e.subdistrict_id as "subdistrictId",
        extract(year from e.held_on)::int as year, e.participated,
        (select count(*)::int from elections.voter_registrations r where r.election_id = e.id) as registered
      from elections.elections e where e.report_status = 'CERTIFIED' order by e.participated desc, e.id limit 1`);
    expect(uncertified.participated).toBeGreaterThanOrEqual(threshold);
    await h.rows(sql`update elections.elections set report_status = 'UNOFFICIAL', certified_on = null where id = ${uncertified.id}`);
  });

  afterAll(async () => {
    await h.rows(
      sql`update elections.elections set report_status = 'CERTIFIED', certified_on = ${uncertified.certifiedOn} where id = ${uncertified.id}`,
    );
  });

  const selection = 'id reportStatus turnout result { registered participated turnout suppressed } candidacies { outcome votes }';

  it('withholds the result, turnout, votes and outcomes of an uncertified election, by id, by reference and through its candidates', async () => {
    const query = `query($id: ID!) { election(id: $id) { ${selection} } }`;
    const { personId } = await h.one<{ personId: string }>(
      sql`select person_id as "personId" from elections.candidacies where election_id = ${uncertified.id} limit 1`,
    );
    const person = entities('Person', 'candidacies { outcome votes election { id turnout result { participated } } }');
    for (const [who, caller] of restricted) {
      const { election } = await h.data(query, { id: uncertified.id }, caller);
      expect(election, who).toMatchObject({ reportStatus: 'UNOFFICIAL', turnout: null, result: null });
      expect(election.candidacies.length).toBeGreaterThan(0);
      expect(
        election.candidacies.every((c: any) => c.outcome === null && c.votes === null),
        who,
      ).toBe(true);

      const { _entities } = await h.data(
        entities('Election', selection),
        { representations: [{ __typename: 'Election', id: uncertified.id }] },
        caller,
      );
      expect(_entities[0], who).toEqual(election);

      const { _entities: people } = await h.data(person, { representations: [{ __typename: 'Person', id: personId }] }, caller);
      const candidacy = people[0].candidacies.find((c: any) => c.election.id === uncertified.id);
      expect(candidacy, who).toEqual({ outcome: null, votes: null, election: { id: uncertified.id, turnout: null, result: null } });
    }
    const { election } = await h.data(query, { id: uncertified.id }, analyst);
    expect(election.result).toEqual({
      registered: uncertified.registered,
      participated: uncertified.participated,
      turnout: uncertified.participated / uncertified.registered,
      suppressed: [],
    });
    expect(election.turnout).toBe(uncertified.participated / uncertified.registered);
    expect(election.candidacies.every((c: any) => c.outcome !== null && c.votes !== null)).toBe(true);
  });

  it('leaves uncertified elections out of the public Turnout and ElectionTotals, and keeps them for the analyst', async () => {
    const { year } = uncertified;
    const expected = async (certifiedOnly: boolean, area?: ReturnType<typeof sql>) => {
      const filter = sql`e.held_on between ${`${year}-01-01`} and ${`${year}-12-31`} ${certifiedOnly ? sql`and e.report_status = 'CERTIFIED'` : sql``}
        ${area ? sql`and ${area}` : sql``}`;
      return h.one<{ elections: number; seats: number; membersElected: number; registered: number; participated: number }>(sql`select
        (select count(*)::int from elections.elections e where ${filter}) as elections,
        (select coalesce(sum(e.seats), 0)::int from elections.elections e where ${filter}) as seats,
        (select count(*)::int from elections.candidacies c join elections.elections e on e.id = c.election_id where c.outcome = 'ELECTED' and ${filter}) as "membersElected",
        (select count(*)::int from elections.voter_registrations r join elections.elections e on e.id = r.election_id
          where e.participated is not null and ${filter}) as registered,
        (select coalesce(sum(e.participated), 0)::int from elections.elections e where ${filter}) as participated`);
    };
    const figures = (row: Awaited<ReturnType<typeof expected>>, exact: boolean) => {
      const registered = exact ? row.registered : shown(row.registered);
      const participated = exact ? row.participated : shown(row.participated);
      const rate = registered === null || participated === null || registered === 0 ? null : participated / registered;
      const suppressed = [...(participated === null ? ['participated'] : []), ...(registered === null ? ['registered'] : [])];
      return { registered, participated, rate, suppressed };
    };
    const query = `query($representations: [_Any!]!, $year: Int!) { _entities(representations: $representations) {
      ... on District { turnout(year: $year) { elections registered participated rate suppressed }
        electionTotals(year: $year) { elections seats membersElected registered participated turnout suppressed } }
      ... on Subdistrict { turnout(year: $year) { elections registered participated rate suppressed }
        electionTotals(year: $year) { elections seats membersElected registered participated turnout suppressed } }
      ... on Community { turnout(year: $year) { elections registered participated rate suppressed } } } }`;
    const representations = [
      district,
      { __typename: 'Subdistrict', id: uncertified.subdistrictId },
      { __typename: 'Community', id: uncertified.communityId },
    ];
    const areas = [undefined, sql`e.subdistrict_id = ${uncertified.subdistrictId}`, sql`e.community_id = ${uncertified.communityId}`];

    for (const [who, caller] of [...restricted, ['an analyst', analyst] as [string, Caller]]) {
      const exact = caller === analyst;
      const { _entities } = await h.data(query, { representations, year }, caller);
      for (const [i, area] of areas.entries()) {
        const row = await expected(!exact, area);
        const turnout = _entities[i].turnout;
        if (row.elections === 0) {
          // The community held only the uncertified election that year: the public sees no turnout at all.
          expect(turnout, `${who} ${i}`).toBeNull();
          continue;
        }
        const { registered, participated, rate, suppressed } = figures(row, exact);
        const withheld = (field: string, source: string[]) => (source.some((s) => suppressed.includes(s)) ? [field] : []);
        expect(turnout, `${who} ${i}`).toEqual({
          elections: row.elections,
          registered,
          participated,
          rate,
          suppressed: [...suppressed, ...withheld('rate', suppressed)].sort(),
        });
        if (i < 2) {
          expect(_entities[i].electionTotals, `${who} ${i}`).toEqual({
            elections: row.elections,
            seats: row.seats,
            membersElected: row.membersElected,
            registered,
            participated,
            turnout: rate,
            suppressed: [...suppressed, ...withheld('turnout', suppressed)].sort(),
          });
        }
      }
    }
    // The district's figures are large enough to show, and differ by exactly the uncertified election.
    const [{ turnout: open }] = (await h.data(query, { representations: [district], year }, publicCaller))._entities;
    const [{ turnout: all }] = (await h.data(query, { representations: [district], year }, analyst))._entities;
    expect(open.suppressed).toEqual([]);
    expect(all.elections - open.elections).toBe(1);
    expect(all.participated - open.participated).toBe(uncertified.participated);
    expect(all.registered - open.registered).toBe(uncertified.registered);
  });
});

describe('small cells: counts below the threshold are withheld from the public and partners, and named', () => {
  it('in an election result and its turnout', async () => {
    const small = await h.one<{ id: string; registered: number; participated: number; cast: number; rejected: number }>(sql`
      select e.id, (select count(*)::int from elections.voter_registrations r where r.election_id = e.id) as registered,
        e.participated, e.ballots_cast as cast, e.ballots_rejected as rejected
      from elections.elections e where e.report_status = 'CERTIFIED' and e.participated < ${threshold} order by e.participated, e.id limit 1`);
    const large = await h.one<{ id: string; registered: number; participated: number; cast: number; rejected: number }>(sql`
      select e.id, (select count(*)::int from elections.voter_registrations r where r.election_id = e.id) as registered,
        e.participated, e.ballots_cast as cast, e.ballots_rejected as rejected
      from elections.elections e where e.report_status = 'CERTIFIED' and e.participated >= ${threshold} and e.ballots_cast >= ${threshold}
      order by e.participated desc, e.id limit 1`);
    const query = `query($id: ID!) { election(id: $id) { turnout candidacies { votes outcome }
      result { registered participated ballotsCast ballotsRejected ballotsValid turnout suppressed } } }`;
    const exactOf = (e: typeof small) => ({
      registered: e.registered,
      participated: e.participated,
      ballotsCast: e.cast,
      ballotsRejected: e.rejected,
      ballotsValid: e.cast - e.rejected,
      turnout: e.participated / e.registered,
    });
    /** As the public sees it: `ballotsValid` goes with either count it is the difference of, so none is recovered by subtraction. */
    const publicOf = (e: typeof small) => {
      const exact = exactOf(e);
      const withheld = new Set<string>(
        (['registered', 'participated', 'ballotsCast', 'ballotsRejected', 'ballotsValid'] as const).filter((f) => exact[f] < threshold),
      );
      if (withheld.has('registered') || withheld.has('participated')) withheld.add('turnout');
      if (withheld.has('ballotsCast') || withheld.has('ballotsRejected')) withheld.add('ballotsValid');
      return { ...exact, ...Object.fromEntries([...withheld].map((f) => [f, null])), suppressed: [...withheld].sort() };
    };
    for (const [who, caller] of restricted) {
      const { election } = await h.data(query, { id: small.id }, caller);
      expect(election.result, who).toEqual(publicOf(small));
      expect(election.result.participated, who).toBeNull();
      expect(election.result.suppressed, who).toContain('participated');
      expect(election.turnout, who).toBeNull();
      // A certified election's votes and outcomes are open.
      expect(
        election.candidacies.every((c: any) => c.votes !== null && c.outcome !== null),
        who,
      ).toBe(true);

      const open = (await h.data(query, { id: large.id }, caller)).election;
      expect(open.result, who).toEqual(publicOf(large));
      expect(open.result.participated, who).toBe(large.participated);
      expect(open.turnout, who).toBe(open.result.turnout);
    }
    for (const e of [small, large]) {
      const { election } = await h.data(query, { id: e.id }, analyst);
      expect(election.result).toEqual({ ...exactOf(e), suppressed: [] });
      expect(election.turnout).toBe(e.participated / e.registered);
    }
  });

  it("in a sub-district's Turnout and ElectionTotals", async () => {
    const cell = await h.one<{ id: string; year: number; elections: number; seats: number; registered: number; participated: number }>(sql`
      select e.subdistrict_id as id, extract(year from e.held_on)::int as year, count(*)::int as elections, sum(e.seats)::int as seats,
        sum((select count(*) from elections.voter_registrations r where r.election_id = e.id))::int as registered, sum(e.participated)::int as participated
      from elections.elections e where e.report_status = 'CERTIFIED' group by 1, 2 having sum(e.participated) < ${threshold} order by 1, 2 limit 1`);
    const query = `query($representations: [_Any!]!, $year: Int!) { _entities(representations: $representations) { ... on Subdistrict {
      turnout(year: $year) { year elections registered participated rate suppressed }
      electionTotals(year: $year) { elections seats registered participated turnout suppressed } } } }`;
    const variables = { representations: [{ __typename: 'Subdistrict', id: cell.id }], year: cell.year };
    const suppressed = [...(cell.registered < threshold ? ['registered'] : []), 'participated'];
    for (const [who, caller] of restricted) {
      const [{ turnout, electionTotals }] = (await h.data(query, variables, caller))._entities;
      expect(turnout, who).toEqual({
        year: cell.year,
        elections: cell.elections,
        registered: shown(cell.registered),
        participated: null,
        rate: null,
        suppressed: [...suppressed, 'rate'].sort(),
      });
      expect(electionTotals, who).toEqual({
        elections: cell.elections,
        seats: cell.seats,
        registered: shown(cell.registered),
        participated: null,
        turnout: null,
        suppressed: [...suppressed, 'turnout'].sort(),
      });
    }
    const [{ turnout, electionTotals }] = (await h.data(query, variables, analyst))._entities;
    const rate = cell.participated / cell.registered;
    expect(turnout).toEqual({
      year: cell.year,
      elections: cell.elections,
      registered: cell.registered,
      participated: cell.participated,
      rate,
      suppressed: [],
    });
    expect(electionTotals).toEqual({
      elections: cell.elections,
      seats: cell.seats,
      registered: cell.registered,
      participated: cell.participated,
      turnout: rate,
      suppressed: [],
    });
  });
});

describe('no N+1 for the public either', () => {
  async function statementsFor(query: string, variables: Record<string, unknown>) {
    const before = h.database.statementCount();
    await h.data(query, variables, publicCaller);
    return h.database.statementCount() - before;
  }

  it('resolves 10 or every Community and Person reference with matters, turnout and candidacies in the same number of statements', async () => {
    const communities = (await h.rows<{ id: string }>(sql`select distinct community_id as id from elections.matters order by 1`)).map(
      (r) => r.id,
    );
    const people = (await h.rows<{ id: string }>(sql`select distinct person_id as id from elections.candidacies order by 1 limit 200`)).map(
      (r) => r.id,
    );
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Community { id turnout { rate suppressed } matters(first: 2) { totalCount edges { node { id stage stages { stage } } } } }
      ... on Person { id candidacies { votes outcome election { id turnout result { participated suppressed } } } } } }`;
    const reps = (c: string[], p: string[]) => [
      ...c.map((id) => ({ __typename: 'Community', id })),
      ...p.map((id) => ({ __typename: 'Person', id })),
    ];
    const small = await statementsFor(query, { representations: reps(communities.slice(0, 10), people.slice(0, 10)) });
    const large = await statementsFor(query, { representations: reps(communities, people) });
    expect(large).toBe(small);
  });
});
