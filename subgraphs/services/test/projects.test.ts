import { microProjectBudgetsFen, referenceDataset, scaled } from '@gongzhi/dataset';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

const statuses = ['PROPOSED', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'EVALUATED', 'REJECTED'];
const lifecycle = ['PROPOSED', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'EVALUATED'];

const ok = h.data;

/** The BAD_USER_INPUT error of an operation, with the argument it names. */
async function badInput(query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await h.query(query, variables);
  expect(errors?.[0]?.extensions?.code, JSON.stringify(data)).toBe('BAD_USER_INPUT');
  return errors![0]!.extensions!.argument;
}

/** Each project's status by SQL, from its step with the latest date (independent of the enum's order). */
async function latestStepStatus(): Promise<Map<string, string>> {
  const rows = await h.rows<{
    id: string;
    status: string;
  }>(sql`select distinct on (micro_project_id) micro_project_id as id, status::text as status
    from services.micro_project_steps order by micro_project_id, "on" desc`);
  return new Map(rows.map((row) => [row.id, row.status]));
}

const allProjects = `{ microProjects(first: 500) { totalCount pageInfo { hasNextPage } edges { cursor node { id year title category status beneficiaries
  community { id } subdistrict { id } proposer { id } plannedBudget { amount currency } history { status on note }
  evaluations { id score evaluatedOn reportRef evaluator { id } microProject { id } service { id } } } } } }`;

describe('micro-projects', () => {
  it('2019 holds the published number of projects at this scale', async () => {
    const data = await ok(`{ microProjects(year: 2019) { totalCount } all: microProjects { totalCount } }`);
    expect(data.microProjects.totalCount).toBe(scaled(3408, referenceDataset().options.scale));
    expect(data.microProjects.totalCount).toBe(34);
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from services.micro_projects`);
    expect(data.all.totalCount).toBe(n);
  });

  it('plan within each community’s share of the micro-project budget, in integer fen', async () => {
    const data = await ok(allProjects);
    const { structure, people, options } = referenceDataset();
    const budgets = microProjectBudgetsFen(structure, people, options);
    const planned = new Map<string, number>();
    for (const { node } of data.microProjects.edges) {
      expect(node.plannedBudget.currency).toBe('CNY');
      expect(Number.isSafeInteger(node.plannedBudget.amount)).toBe(true);
      expect(node.plannedBudget.amount).toBeGreaterThan(0);
      const key = `${node.community.id}:${node.year}`;
      planned.set(key, (planned.get(key) ?? 0) + node.plannedBudget.amount);
    }
    expect(planned.size).toBeGreaterThan(0);
    for (const [key, fen] of planned) {
      expect(budgets.has(key), key).toBe(true);
      expect(fen, key).toBeLessThanOrEqual(budgets.get(key)!);
    }
    // The same sums in SQL, against the stored column.
    const sums = await h.rows<{
      key: string;
      fen: string;
    }>(sql`select community_id || ':' || year as key, sum(planned_budget_fen)::text as fen
      from services.micro_projects group by community_id, year`);
    expect(new Map(sums.map((row) => [row.key, Number(row.fen)]))).toEqual(planned);
  });

  it('are at the status of their latest step, and their steps follow the lifecycle', async () => {
    const data = await ok(allProjects);
    const latest = await latestStepStatus();
    const nodes = data.microProjects.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(latest.size);
    expect(data.microProjects.pageInfo.hasNextPage).toBe(false);
    for (const project of nodes) {
      const steps = project.history.map((step: any) => step.status);
      expect(project.status).toBe(steps.at(-1));
      expect(project.status).toBe(latest.get(project.id));
      const expected = steps.includes('REJECTED') ? ['PROPOSED', 'REJECTED'] : lifecycle.slice(0, steps.length);
      expect(steps).toEqual(expected);
      const dates = project.history.map((step: any) => step.on);
      expect([...dates].sort()).toEqual(dates);
      expect(dates[0].slice(0, 4)).toBe(String(project.year));
      expect(project.evaluations.length > 0).toBe(project.status === 'EVALUATED');
      for (const evaluation of project.evaluations) {
        expect(evaluation).toMatchObject({ microProject: { id: project.id }, service: null, evaluatedOn: project.history.at(-1).on });
        expect(evaluation.evaluator.id).toMatch(/^org-so-/);
      }
      expect(project.proposer.id).toMatch(/^org-(rc|pc)-/);
      expect(project.subdistrict.id).toMatch(/^sd-/);
    }
    // Every status is seen somewhere in the data but PROPOSED: the dataset's 2019 projects were all decided.
    expect(new Set(nodes.map((p: any) => p.status))).toEqual(new Set(statuses.filter((status) => status !== 'PROPOSED')));
  });

  it('filter by community, recorded sub-district, year, current status and category, as SQL counts them', async () => {
    const latest = await latestStepStatus();
    const rows = await h.rows<{ id: string; community_id: string; subdistrict_id: string; year: number; category: string }>(
      sql`select id, community_id, subdistrict_id, year, category::text as category from services.micro_projects order by id`,
    );
    const query = `query($communityId: ID, $subdistrictId: ID, $year: Int, $status: MicroProjectStatus, $category: MicroProjectCategory) {
      microProjects(communityId: $communityId, subdistrictId: $subdistrictId, year: $year, status: $status, category: $category, first: 500) {
        totalCount edges { node { id } } } }`;
    const expectFilter = async (variables: Record<string, unknown>, keep: (row: (typeof rows)[number]) => boolean) => {
      const expected = rows.filter(keep).map((row) => row.id);
      const data = await ok(query, variables);
      expect(data.microProjects.totalCount, JSON.stringify(variables)).toBe(expected.length);
      expect(data.microProjects.edges.map((edge: any) => edge.node.id)).toEqual(expected);
    };
    let total = 0;
    for (const status of statuses) {
      await expectFilter({ status }, (row) => latest.get(row.id) === status);
      total += rows.filter((row) => latest.get(row.id) === status).length;
    }
    expect(total).toBe(rows.length);
    for (const category of ['FACILITY', 'SERVICE', 'TRAINING', 'ACTIVITY'])
      await expectFilter({ category }, (row) => row.category === category);
    const { community_id: communityId, subdistrict_id: subdistrictId } = rows[0]!;
    await expectFilter({ communityId }, (row) => row.community_id === communityId);
    await expectFilter({ subdistrictId }, (row) => row.subdistrict_id === subdistrictId);
    await expectFilter({ subdistrictId, year: 2019 }, (row) => row.subdistrict_id === subdistrictId && row.year === 2019);
    await expectFilter({ year: 2019, status: 'IN_PROGRESS' }, (row) => row.year === 2019 && latest.get(row.id) === 'IN_PROGRESS');
    await expectFilter({ year: 2016 }, () => false);
  });

  it('page by id with cursors, and refuse a bad page size, a malformed cursor and an impossible year', async () => {
    const first = await ok(
      `{ microProjects(first: 3) { totalCount edges { cursor node { id } } pageInfo { endCursor hasNextPage hasPreviousPage startCursor } } }`,
    );
    expect(first.microProjects.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.microProjects.edges[0].cursor,
    });
    const next = await ok(
      `query($after: String) { microProjects(first: 3, after: $after) { edges { node { id } } pageInfo { hasPreviousPage } } }`,
      {
        after: first.microProjects.pageInfo.endCursor,
      },
    );
    const ids = [...first.microProjects.edges, ...next.microProjects.edges].map((edge: any) => edge.node.id);
    expect(new Set(ids).size).toBe(6);
    expect([...ids].sort()).toEqual(ids);
    expect(next.microProjects.pageInfo.hasPreviousPage).toBe(true);
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from services.micro_projects`);
    const rest = await ok(
      `query($after: String) { microProjects(first: 500, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`,
      {
        after: first.microProjects.pageInfo.endCursor,
      },
    );
    expect(rest.microProjects.edges).toHaveLength(n - 3);
    expect(rest.microProjects.pageInfo.hasNextPage).toBe(false);
    expect((await ok(`{ microProjects(first: 0) { edges { cursor } pageInfo { hasNextPage } } }`)).microProjects).toEqual({
      edges: [],
      pageInfo: { hasNextPage: true },
    });

    expect(await badInput(`{ microProjects(first: -1) { totalCount } }`)).toBe('first');
    expect(await badInput(`{ microProjects(first: 501) { totalCount } }`)).toBe('first');
    expect(await badInput(`{ microProjects(after: "bogus") { totalCount } }`)).toBe('after');
    expect(await badInput(`{ microProjects(year: 20190) { totalCount } }`)).toBe('year');
    const community = { __typename: 'Community', id: 'com-440306001001' };
    expect(await badInput(entities('Community', 'microProjects(year: 1800) { totalCount }'), { representations: [community] })).toBe(
      'year',
    );
    expect(await badInput(entities('Community', 'microProjects(after: "k:") { totalCount }'), { representations: [community] })).toBe(
      'after',
    );
    expect(
      await badInput(entities('Subdistrict', 'microProjects(first: 1000) { totalCount }'), {
        representations: [{ __typename: 'Subdistrict', id: 'sd-440306001' }],
      }),
    ).toBe('first');
  });

  it('Community.microProjects and Subdistrict.microProjects are the root list with the same filters, in pages', async () => {
    const areas = await h.rows<{
      community: string;
      subdistrict: string;
    }>(sql`select community_id as community, min(subdistrict_id) as subdistrict
      from services.micro_projects group by community_id order by count(*) desc, community_id limit 4`);
    const selection = `id microProjects(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
      inProgress: microProjects(year: 2019, status: IN_PROGRESS) { totalCount edges { node { id status year } } }
      facilities: microProjects(category: FACILITY, first: 500) { totalCount edges { node { id category } } }`;
    const rootQuery = (key: 'communityId' | 'subdistrictId') => `query($id: ID) {
      microProjects(${key}: $id, first: 2) { totalCount edges { node { id } } }
      inProgress: microProjects(${key}: $id, year: 2019, status: IN_PROGRESS) { totalCount edges { node { id } } }
      facilities: microProjects(${key}: $id, category: FACILITY, first: 500) { totalCount edges { node { id } } } }`;
    const ids = (connection: any) => connection.edges.map((edge: any) => edge.node.id);
    for (const [typename, key, entityIds] of [
      ['Community', 'communityId', areas.map((a) => a.community)],
      ['Subdistrict', 'subdistrictId', [...new Set(areas.map((a) => a.subdistrict))]],
    ] as const) {
      const data = await ok(entities(typename, selection), { representations: entityIds.map((id) => ({ __typename: typename, id })) });
      for (const entity of data._entities) {
        const root = await ok(rootQuery(key), { id: entity.id });
        for (const field of ['microProjects', 'inProgress', 'facilities']) {
          expect(entity[field].totalCount).toBe(root[field].totalCount);
          expect(ids(entity[field])).toEqual(ids(root[field]));
        }
        expect(entity.microProjects.totalCount).toBeGreaterThan(2);
        expect(entity.microProjects.pageInfo.hasNextPage).toBe(true);
        expect(entity.inProgress.edges.every((e: any) => e.node.status === 'IN_PROGRESS' && e.node.year === 2019)).toBe(true);
        expect(entity.facilities.edges.every((e: any) => e.node.category === 'FACILITY')).toBe(true);
        const rest = await ok(
          entities(typename, 'microProjects(first: 500, after: $after) { edges { node { id } } }').replace(
            '$representations: [_Any!]!',
            '$representations: [_Any!]!, $after: String',
          ),
          { representations: [{ __typename: typename, id: entity.id }], after: entity.microProjects.pageInfo.endCursor },
        );
        expect(rest._entities[0].microProjects.edges).toHaveLength(entity.microProjects.totalCount - 2);
      }
    }
    // A community with no project has an empty list, not an error.
    const none = await ok(entities('Community', 'microProjects { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }'), {
      representations: [{ __typename: 'Community', id: 'com-nowhere' }],
    });
    expect(none._entities[0].microProjects).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('MicroProject is an entity and can be looked up by id', async () => {
    const { id } = await h.one<{ id: string }>(sql`select id from services.micro_projects order by id desc limit 1`);
    const byId = await ok(`query($id: ID!) { microProject(id: $id) { id title status history { status } plannedBudget { amount } } }`, {
      id,
    });
    const data = await ok(entities('MicroProject', 'id title status history { status } plannedBudget { amount }'), {
      representations: [
        { __typename: 'MicroProject', id },
        { __typename: 'MicroProject', id: 'mp-missing' },
      ],
    });
    expect(data._entities).toEqual([byId.microProject, null]);
    expect(byId.microProject.id).toBe(id);
    expect((await ok(`{ microProject(id: "mp-missing") { id } }`)).microProject).toBeNull();
  });
});
