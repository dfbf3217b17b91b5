import { sql } from 'drizzle-orm';
import { readSupergraph, serveGateway, type RunningGateway } from '@gongzhi/gateway';
import { defaultSupergraphPath } from '@gongzhi/gateway/env';
import { serveTestSubgraph } from '@gongzhi/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../scripts/subgraphs.ts';

/** Every slice on its own fresh, seeded database, composed by the gateway: the graph as clients see it. */
type Served = Awaited<ReturnType<typeof serveTestSubgraph>>;
const served = new Map<string, Served>();
let gateway: RunningGateway;

beforeAll(async () => {
  for (const definition of subgraphs) served.set(definition.name, await serveTestSubgraph(definition as never));
  gateway = await serveGateway({
    supergraphSdl: readSupergraph(defaultSupergraphPath),
    subgraphUrls: Object.fromEntries([...served].map(([name, s]) => [name, s.url])),
    port: 0,
    host: '127.0.0.1',
  });
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  for (const s of served.values()) await s.stop();
});

async function query(text: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = (await response.json()) as { data: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const statements = () => [...served.values()].reduce((sum, s) => sum + s.database.statementCount(), 0);


const communityPortrait = `query($code: String) { community(code: $code) { name
  partyCommittee { name } workstation { name }
  residentsCommittees { name members { name hukou memberships { role organisation { name } } } }
  turnout { year registered participated rate }
  population { total localHukou nonLocalHukou nonLocalShare }
  crossAppointments { person { name } memberships { role organisation { kind name } } } } }`;

describe('the community graph across organisations, people and elections', () => {
  it('portrays one community in a single query: trinity, members as persons, turnout, population, cross-appointments', async () => {
    const { community } = await query(communityPortrait, { code: '440306001001' });
    expect(community.partyCommittee.name).toMatch(/委员会$/);
    expect(community.workstation.name).toMatch(/工作站$/);
    const members = community.residentsCommittees.flatMap((rc: any) => rc.members);
    expect(members.length).toBeGreaterThanOrEqual(6);
    for (const member of members) {
      expect(member.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect(['LOCAL', 'NON_LOCAL']).toContain(member.hukou);
      expect(member.memberships.some((m: any) => m.organisation.name.endsWith('居民委员会'))).toBe(true);
    }
    expect(community.turnout.year).toBe(2017);
    expect(community.turnout.rate).toBeCloseTo(community.turnout.participated / community.turnout.registered, 10);
    const { total, localHukou, nonLocalHukou, nonLocalShare } = community.population;
    expect(localHukou + nonLocalHukou).toBe(total);
    expect(nonLocalShare).toBeCloseTo(nonLocalHukou / total, 10);
    for (const appointment of community.crossAppointments) {
      const bodies = new Set(appointment.memberships.map((m: any) => m.organisation.kind));
      expect(bodies.size).toBeGreaterThanOrEqual(2);
    }
  });

  it('finds cross-appointed people in most communities (the secretary chairing the committee)', async () => {
    const data = await query(`{ communities(first: 200) { edges { node { crossAppointments { person { id } } } } } }`);
    const withCross = data.communities.edges.filter((e: any) => e.node.crossAppointments.length > 0).length;
    expect(withCross).toBeGreaterThan(124 / 2);
  });

  it('computes district turnout as registered-weighted, equal to SQL over the seed', async () => {
    const data = await query(`{ district { turnout(year: 2017) { registered participated rate elections } population(year: 2019) { total nonLocalShare } } }`);
    const elections = served.get('elections')!.database;
    const [direct] = (await elections.rows<{ registered: number; participated: number }>(sql`select
        (select count(*)::int from elections.voter_registrations r join elections.elections e on e.id = r.election_id
          where extract(year from e.held_on) = 2017) as registered,
        (select sum(participated)::int from elections.elections where extract(year from held_on) = 2017) as participated`));
    expect(data.district.turnout.registered).toBe(direct!.registered);
    expect(data.district.turnout.participated).toBe(direct!.participated);
    expect(data.district.turnout.rate).toBeCloseTo(direct!.participated / direct!.registered, 12);
    expect(data.district.turnout.rate).toBeCloseTo(0.96, 2);
    expect(data.district.turnout.elections).toBe(140);
    expect(data.district.population.nonLocalShare).toBeCloseTo(0.925, 3);
  });

  it('sums sub-district population and turnout back to the district exactly', async () => {
    const data = await query(`{ district { population(year: 2019) { total } turnout(year: 2017) { registered participated }
      subdistricts { population(year: 2019) { total } turnout(year: 2017) { registered participated } } } }`);
    const { district } = data;
    expect(district.subdistricts.reduce((sum: number, s: any) => sum + s.population.total, 0)).toBe(district.population.total);
    expect(district.subdistricts.reduce((sum: number, s: any) => sum + s.turnout.registered, 0)).toBe(district.turnout.registered);
    expect(district.subdistricts.reduce((sum: number, s: any) => sum + s.turnout.participated, 0)).toBe(district.turnout.participated);
  });

  it('resolves every elected member to a person: no dangling references across slices', async () => {
    const data = await query(`{ communities(first: 200) { edges { node { residentsCommittees { id members(on: "2018-01-01") { id name } } } } } }`);
    const members = data.communities.edges.flatMap((e: any) => e.node.residentsCommittees.flatMap((rc: any) => rc.members));
    expect(members).toHaveLength(957);
    expect(members.every((m: any) => typeof m.name === 'string' && m.name.length >= 2)).toBe(true);
  });

  it('costs the same number of SQL statements for 10 communities as for all 124, across all slices', async () => {
    const text = `query($n: Int) { communities(first: $n) { edges { node { name partyCommittee { name members { person { name } } }
      residentsCommittees { members { name hukou candidacies { votes election { heldOn } } } elections { turnout } }
      turnout { rate } population { total nonLocalShare } workersPer1000Residents crossAppointments { person { name } } } } } }`;
    await query(text, { n: 3 });
    const before10 = statements();
    await query(text, { n: 10 });
    const ten = statements() - before10;
    const before124 = statements();
    await query(text, { n: 124 });
    const all = statements() - before124;
    expect(all).toBe(ten);
  });
});
