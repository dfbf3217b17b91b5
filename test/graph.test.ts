import { sql } from 'drizzle-orm';
import { developmentToken, type RunningGateway } from '@gongzhi/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestGraph, type ServedSlice } from './seeded-graph.ts';

/** Every slice on its own fresh, seeded database, composed by the gateway: the graph as clients see it. */
let graph: Awaited<ReturnType<typeof serveTestGraph>>;
let served: Map<string, ServedSlice>;
let gateway: RunningGateway;
const adminToken = developmentToken({ role: 'admin' });

beforeAll(async () => {
  graph = await serveTestGraph();
  ({ served, gateway } = graph);
}, 300_000);

afterAll(async () => graph?.stop());

async function query(text: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    // As an admin: these tests are about the graph's answers; who may see what is test/access.test.ts.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken}` },
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
    const data = await query(
      `{ district { turnout(year: 2017) { registered participated rate elections } population(year: 2019) { total nonLocalShare } } }`,
    );
    const elections = served.get('elections')!.database;
    const [direct] = await elections.ownerRows<{ registered: number; participated: number }>(sql`select
        (select count(*)::int from elections.voter_registrations r join elections.elections e on e.id = r.election_id
          where extract(year from e.held_on) = 2017) as registered,
        (select sum(participated)::int from elections.elections where extract(year from held_on) = 2017) as participated`);
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
    const data = await query(
      `{ communities(first: 200) { edges { node { residentsCommittees { id members(on: "2018-01-01") { id name } } } } } }`,
    );
    const members = data.communities.edges.flatMap((e: any) => e.node.residentsCommittees.flatMap((rc: any) => rc.members));
    expect(members).toHaveLength(957);
    expect(members.every((m: any) => typeof m.name === 'string' && m.name.length >= 2)).toBe(true);
  });

  it('costs the same number of SQL statements for 10 communities as for all 124, across all five slices', async () => {
    const text = `query($n: Int) { communities(first: $n) { edges { node { name partyCommittee { name members { person { name } } }
      residentsCommittees { members { name hukou candidacies { votes election { heldOn } } } elections { turnout } }
      turnout { rate } population { total nonLocalShare } workersPer1000Residents crossAppointments { person { name } }
      microProjects(year: 2019) { totalCount edges { node { title status grants { amountAwarded { amount } balance { netSpent { amount } } } } } }
      requestResolution { received medianHours } services { name provider { name } }
      budget { amount { amount } } microProjectSpendPerResident } } } }`;
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

describe('indicators across organisations, people, services and funding', () => {
  it('answers, per sub-district, 2019 micro-projects, spend, spend per resident, grants to social organisations and request resolution, equal to SQL over each slice', async () => {
    const data = await query(`{ district { subdistricts { id name
      microProjects(year: 2019) { totalCount }
      microProjectSpend(year: 2019) { amount currency }
      microProjectSpendPerResident(year: 2019)
      population(year: 2019) { total }
      grants(year: 2019, kind: SOCIAL_ORGANISATION_SUPPORT, first: 100) { totalCount edges { node { recipient { name kind } amountAwarded { amount } } } }
      requestResolution(year: 2019) { received resolved medianHours } } } }`);
    const db = (name: string) => served.get(name)!.database;
    const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
    const projects = byId(
      await db('services').ownerRows<{ id: string; n: number }>(
        sql`select subdistrict_id as id, count(*)::int as n from services.micro_projects where year = 2019 group by subdistrict_id`,
      ),
    );
    const spend = byId(
      await db('funding').ownerRows<{ id: string; fen: string }>(
        sql`select g.beneficiary_subdistrict_id as id,
        sum(case t.type when 'EXPENDITURE' then t.amount_fen when 'REFUND' then -t.amount_fen else 0 end)::text as fen
        from funding.grants g join funding.transactions t on t.grant_id = g.id
        where g.programme_id = 'prog-micro-projects' and g.year = 2019 group by g.beneficiary_subdistrict_id`,
      ),
    );
    const support = byId(
      await db('funding').ownerRows<{ id: string; n: number; fen: string }>(
        sql`select beneficiary_subdistrict_id as id, count(*)::int as n, sum(amount_fen)::text as fen from funding.grants
        where programme_id = 'prog-social-organisation-support' and year = 2019 group by beneficiary_subdistrict_id`,
      ),
    );
    const population = byId(
      await db('people').ownerRows<{ id: string; total: number }>(
        sql`select subdistrict_id as id, sum(local_hukou + non_local_hukou)::int as total from people.population_counts
        where year = 2019 group by subdistrict_id`,
      ),
    );
    const requests = byId(
      await db('services').ownerRows<{ id: string; received: number; resolved: number; median: number | null }>(
        sql`select r.subdistrict_id as id, count(*)::int as received, count(resolved.at)::int as resolved,
        percentile_cont(0.5) within group (order by extract(epoch from resolved.at - r.submitted_at) / 3600) as median
        from services.service_requests r
        left join lateral (select min(s.at) as at from services.service_request_steps s
          where s.service_request_id = r.id and s.status = 'RESOLVED') resolved on true
        where extract(year from r.submitted_at at time zone 'UTC') = 2019 group by r.subdistrict_id`,
      ),
    );

    const subdistricts = data.district.subdistricts;
    expect(subdistricts).toHaveLength(10);
    let projectTotal = 0;
    let supportTotal = 0;
    for (const s of subdistricts) {
      expect(s.microProjects.totalCount).toBe(projects.get(s.id)?.n ?? 0);
      projectTotal += s.microProjects.totalCount;
      const fen = spend.get(s.id) ? Number(spend.get(s.id)!.fen) : null;
      expect(s.microProjectSpend?.amount ?? null).toBe(fen);
      expect(s.population.total).toBe(population.get(s.id)!.total);
      if (fen === null) expect(s.microProjectSpendPerResident).toBeNull();
      else expect(s.microProjectSpendPerResident).toBeCloseTo(fen / 100 / population.get(s.id)!.total, 9);
      expect(s.grants.totalCount).toBe(support.get(s.id)?.n ?? 0);
      for (const edge of s.grants.edges) {
        expect(edge.node.recipient.kind).toBe('SOCIAL_ORGANISATION');
        expect(edge.node.recipient.name.length).toBeGreaterThan(4);
      }
      const awarded = s.grants.edges.reduce((sum: number, e: any) => sum + e.node.amountAwarded.amount, 0);
      expect(awarded).toBe(Number(support.get(s.id)?.fen ?? 0));
      supportTotal += awarded;
      const expected = requests.get(s.id)!;
      expect(s.requestResolution.received).toBe(expected.received);
      expect(s.requestResolution.resolved).toBe(expected.resolved);
      expect(s.requestResolution.medianHours).toBeCloseTo(Number(expected.median), 6);
    }
    expect(projectTotal).toBe(34); // 3,408 × 0.01
    expect(supportTotal).toBe(5_000_000 * 0.01 * 100); // 5 M CNY × 0.01, in fen
  });

  it('keeps spend per resident a ratio of sums: the district equals total spend over total residents', async () => {
    const data =
      await query(`{ district { microProjectSpend(year: 2019) { amount } microProjectSpendPerResident(year: 2019) population(year: 2019) { total }
      subdistricts { microProjectSpend(year: 2019) { amount } } } }`);
    const { district } = data;
    const sum = district.subdistricts.reduce((total: number, s: any) => total + (s.microProjectSpend?.amount ?? 0), 0);
    expect(district.microProjectSpend.amount).toBe(sum);
    expect(district.microProjectSpendPerResident).toBeCloseTo(sum / 100 / district.population.total, 9);
  });
});
