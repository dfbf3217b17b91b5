import { type Caller } from '@gongzhi/kit';
import { expect } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

/*
 * What the micro-project and evaluation write tests share: callers, operations, and a seeded services
 * subgraph with helpers that propose and advance projects through the API.
 */

export const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-1',
  organisationId: null,
  department: 'workstation',
  scopes,
});
export const writer = staff(['write:services']);
export const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
export const partner = (organisationId: string): Caller => ({
  role: 'partner',
  subject: `p-${organisationId}`,
  organisationId,
  department: null,
  scopes: ['write:services'],
});

export const project = `id version status year title category beneficiaries plannedBudget { amount currency }
  community { id } subdistrict { id } proposer { id } history { status on note reason }`;
const payload = `replayed errors { path code message } microProject { ${project} }`;
export const propose = `mutation($input: ProposeMicroProjectInput!) { proposeMicroProject(input: $input) { ${payload} } }`;
export const steps = {
  approve: `mutation($input: ApproveMicroProjectInput!) { approveMicroProject(input: $input) { ${payload} } }`,
  reject: `mutation($input: RejectMicroProjectInput!) { rejectMicroProject(input: $input) { ${payload} } }`,
  start: `mutation($input: StartMicroProjectInput!) { startMicroProject(input: $input) { ${payload} } }`,
  complete: `mutation($input: CompleteMicroProjectInput!) { completeMicroProject(input: $input) { ${payload} } }`,
};
export const evaluate = `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { replayed errors { path code message }
  evaluation { id score evaluatedOn reportRef evaluator { id } microProject { id } service { id } } microProject { ${project} } } }`;
export const readProject = `query($id: ID!) { microProject(id: $id) { ${project} evaluations { id score evaluator { id } } } }`;
export const auditOf = `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { entityType operation actorRole actor before after } } } }`;

export const codes = (result: any) => result.errors.map((e: any) => [e.path, e.code]);

/** A seeded services subgraph for the calling test file, with helpers that write micro-projects through the API. */
export function useProjectWrites() {
  const h = useSeededServices();
  /** A community whose projects and requests are recorded under a sub-district, and that sub-district (its latest, by SQL). */
  async function placedCommunity() {
    return h.one<{ community: string; subdistrict: string }>(sql`
      select community_id as community, subdistrict_id as subdistrict from (
        select community_id, subdistrict_id, year from services.micro_projects
        union all select community_id, subdistrict_id, submitted_year from services.service_requests) placed
       where community_id = (select min(community_id) from services.micro_projects)
       order by year desc limit 1`);
  }

  let proposals = 0;
  /** Input of a valid proposal, with a fresh idempotency key. */
  async function proposal(change: Record<string, unknown> = {}) {
    const { community } = await placedCommunity();
    proposals += 1;
    return {
      communityId: community,
      year: 2020,
      title: ' 楼道照明改造 ',
      category: 'FACILITY',
      proposerOrganisationId: `org-pc-${community.slice(4)}`,
      plannedBudget: 12_345_600,
      beneficiaries: 320,
      idempotencyKey: `proposal-${proposals}`,
      ...change,
    };
  }

  /** A freshly proposed project (version 1). */
  async function proposed(): Promise<{ id: string; version: number }> {
    const { proposeMicroProject: result } = await h.data(propose, { input: await proposal() }, writer);
    expect(result.errors).toEqual([]);
    return result.microProject;
  }

  /** Takes lifecycle steps on a project, each against the version the last one left; answers the project. */
  async function advance(start: { id: string; version: number }, ...names: (keyof typeof steps)[]) {
    let current: any = start;
    for (const name of names) {
      const result = (await h.data(
        steps[name],
        { input: { id: current.id, expectedVersion: current.version, ...(name === 'reject' && { reason: 'r' }) } },
        writer,
      )) as any;
      const answer = Object.values(result)[0] as any;
      expect(answer.errors, name).toEqual([]);
      current = answer.microProject;
    }
    return current;
  }

  const count = async (table: string) =>
    (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`services.${table}`)}`)).n;
  /** Everything a project write could change: rows of each table, and the project's version and steps. */
  const snapshot = async (id?: string) => ({
    projects: await count('micro_projects'),
    steps: await count('micro_project_steps'),
    evaluations: await count('evaluations'),
    audit: await count('audit_log'),
    keys: await count('idempotency_keys'),
    ...(id && {
      project:
        await h.one(sql`select version, (select array_agg(status::text order by status) from services.micro_project_steps where micro_project_id = p.id) as steps
        from services.micro_projects p where id = ${id}`),
    }),
  });
  return { h, placedCommunity, proposal, proposed, advance, count, snapshot };
}
