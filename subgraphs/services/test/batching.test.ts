import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

/** SQL statements one operation sends. */
async function statementsFor(query: string, variables?: Record<string, unknown>) {
  const before = h.database.statementCount();
  const result = await h.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { statements: h.database.statementCount() - before, data: result.data! };
}

const representations = (typename: string, ids: readonly string[]) => ids.map((id) => ({ __typename: typename, id }));

/** Every k-th id, so a small set has the same mix (old and new, every kind) as the whole. */
const spread = <T>(items: readonly T[], size: number): T[] =>
  items.filter((_, i) => i % Math.floor(items.length / size) === 0).slice(0, size);

async function ids(statement: ReturnType<typeof sql>): Promise<string[]> {
  return (await h.rows<{ id: string }>(statement)).map((row) => row.id);
}

/** Runs `query` on the `small` and `large` representations and expects the same number of statements. */
async function sameStatements(typename: string, selection: string, small: string[], large: string[]) {
  const query = entities(typename, selection);
  const few = await statementsFor(query, { representations: representations(typename, small) });
  const many = await statementsFor(query, { representations: representations(typename, large) });
  expect(few.data._entities).toHaveLength(small.length);
  expect(many.data._entities).toHaveLength(large.length);
  expect(many.data._entities.every((entity: unknown) => entity !== null)).toBe(true);
  expect(many.statements).toBe(few.statements);
  return { small: few, large: many };
}

const projectSelection = `id year title category status beneficiaries plannedBudget { amount currency } community { id } subdistrict { id } proposer { id }
  history { status on note } evaluations { id score evaluatedOn reportRef evaluator { id } microProject { id status } service { id } }`;
const requestSelection = `id category channel description status submittedAt acknowledgedAt resolvedAt hoursToResolve satisfaction submitterName submitterPhone
  community { id } history { status at note }`;
const resolutionSelection = 'year received resolved medianHours';

describe('no N+1', () => {
  it('resolves 10 or all 97 MicroProject references with every nested field in the same number of statements', async () => {
    const all = await ids(sql`select id from services.micro_projects order by id`);
    expect(all.length).toBeLessThan(200);
    const { small, large } = await sameStatements('MicroProject', projectSelection, spread(all, 10), all);
    const evaluated = (data: any) => data._entities.some((p: any) => p.evaluations.length > 0);
    expect(evaluated(small.data) && evaluated(large.data)).toBe(true);
    // projects, steps, evaluations (after the statement of the caller's claims: evaluations are under row-level security)
    expect(large.statements).toBe(4);
  });

  it('resolves 10 or 200 ServiceRequest references in the same number of statements', async () => {
    // One in ten unresolved in both sets, so both read requests at every stage.
    const resolved = await ids(
      sql`select service_request_id as id from services.service_request_steps where status = 'RESOLVED' order by 1`,
    );
    const open =
      await ids(sql`select id from services.service_requests where id not in (select service_request_id from services.service_request_steps
      where status = 'RESOLVED') order by 1`);
    const large = [...spread(resolved, 180), ...spread(open, 20)];
    const small = [...spread(resolved, 9), ...spread(open, 1)];
    expect(new Set(large).size).toBe(200);
    const { small: few } = await sameStatements('ServiceRequest', requestSelection, small, large);
    expect(few.data._entities.some((r: any) => r.resolvedAt !== null)).toBe(true);
    expect(few.data._entities.some((r: any) => r.resolvedAt === null)).toBe(true);
    // requests, steps
    expect(few.statements).toBe(2);
  });

  it('resolves 10 or 124 Community references with micro-projects, requests, events, services and resolution in the same number of statements', async () => {
    const all = await ids(sql`select distinct community_id as id from services.service_requests order by 1`);
    expect(all).toHaveLength(124);
    const hosts = new Set(await ids(sql`select distinct community_id as id from services.events`));
    // Ten with the mix of the whole: some host events, some do not.
    const small = [
      ...spread(
        all.filter((id) => !hosts.has(id)),
        7,
      ),
      ...spread([...hosts].sort(), 3),
    ];
    const { large } = await sameStatements(
      'Community',
      `id
       microProjects(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${projectSelection} } } }
       current: microProjects(year: 2019, status: IN_PROGRESS, category: FACILITY) { totalCount edges { node { id status } } }
       serviceRequests(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${requestSelection} } } }
       resolved: serviceRequests(status: CLOSED, submittedFrom: "2019-01-01", submittedTo: "2019-06-30", first: 1) { totalCount edges { node { id status } } }
       events(first: 2) { totalCount pageInfo { hasNextPage } edges { cursor node { id kind title startsAt attendance community { id } organiser { id } } } }
       y2018: events(from: "2018-01-01", to: "2018-12-31") { totalCount edges { node { id } } }
       services { id kind name location schedule community { id } provider { id }
         evaluations { id score evaluator { id } service { id kind } microProject { id } } }
       requestResolution { ${resolutionSelection} } r2017: requestResolution(year: 2017) { ${resolutionSelection} }`,
      small,
      all,
    );
    const everyone = large.data._entities;
    expect(
      everyone.every((c: any) => c.services.length >= 3 && c.requestResolution.year === 2019 && c.serviceRequests.edges.length === 3),
    ).toBe(true);
    expect(everyone.some((c: any) => c.events.totalCount > 0) && everyone.some((c: any) => c.events.totalCount === 0)).toBe(true);
    expect(everyone.some((c: any) => c.microProjects.edges.some((e: any) => e.node.evaluations.length > 0))).toBe(true);
    // Per micro-project list a page and a count, then the steps of both lists' rows and evaluations for the first (6);
    // per request list a page and a count, then the steps of both (5); per event list a page and a count (4); services
    // and their evaluations (2); resolution for two years (2); and a claims statement before each of the two evaluation reads.
    expect(large.statements).toBe(21);
  });

  it('resolves 2 or 10 Subdistrict references and the District in the same number of statements', async () => {
    const subdistricts = await ids(sql`select distinct subdistrict_id as id from services.service_requests order by 1`);
    expect(subdistricts).toHaveLength(10);
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Subdistrict { id microProjects(first: 3) { totalCount edges { node { ${projectSelection} } } }
        evaluated: microProjects(status: EVALUATED, year: 2018) { totalCount }
        requestResolution { ${resolutionSelection} } r2018: requestResolution(year: 2018) { ${resolutionSelection} } }
      ... on District { id requestResolution { ${resolutionSelection} } r2018: requestResolution(year: 2018) { ${resolutionSelection} } } } }`;
    const district = { __typename: 'District', id: 'dst-440306' };
    const small = await statementsFor(query, { representations: [district, ...representations('Subdistrict', subdistricts.slice(0, 2))] });
    const large = await statementsFor(query, { representations: [district, ...representations('Subdistrict', subdistricts)] });
    expect(large.data._entities).toHaveLength(11);
    expect(large.statements).toBe(small.statements);
    // micro-projects: 2 pages + 2 counts, steps and evaluations (with its claims) of the first list; resolution: 2 years × (sub-districts, district)
    expect(large.statements).toBe(11);
  });

  it('resolves 10 or all 179 Organisation references with the evaluations they gave in the same number of statements', async () => {
    const evaluators = await ids(sql`select distinct evaluator_organisation_id as id from services.evaluations order by 1`);
    const others = await ids(sql`select distinct id from (select provider_organisation_id as id from services.services
      union select proposer_organisation_id from services.micro_projects union select organiser_organisation_id from services.events) o order by 1`);
    // Every organisation this slice knows of (fewer than 200), the evaluators first.
    const large = [...evaluators, ...others.filter((id) => !evaluators.includes(id))];
    expect(large).toHaveLength(179);
    const { small } = await sameStatements(
      'Organisation',
      `id evaluationsGiven { id score evaluatedOn reportRef evaluator { id }
        microProject { ${projectSelection} } service { id kind name community { id } evaluations { id } } }`,
      [...evaluators.slice(0, 2), ...spread(large.slice(evaluators.length), 8)],
      large,
    );
    const given = small.data._entities.flatMap((o: any) => o.evaluationsGiven);
    expect(given.some((e: any) => e.microProject) && given.some((e: any) => e.service)).toBe(true);
  });

  it('lists 10 or 200 items from the root with nested fields in a constant number of statements', async () => {
    const query = `query($n: Int) {
      microProjects(first: $n) { totalCount edges { node { ${projectSelection} } } }
      serviceRequests(first: $n) { totalCount edges { node { ${requestSelection} } } }
      events(first: $n) { totalCount edges { node { id startsAt community { id } } } }
      dutyItems { id } }`;
    const ten = await statementsFor(query, { n: 10 });
    const many = await statementsFor(query, { n: 200 });
    expect(many.data.microProjects.edges).toHaveLength(many.data.microProjects.totalCount);
    expect(many.data.serviceRequests.edges).toHaveLength(200);
    expect(many.statements).toBe(ten.statements);
  });
});
