import { publicCaller, rowsOf, withClaims, type Caller, type RowClaims } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useSeededServices } from './harness.ts';

const h = useSeededServices();
const partner = (organisationId: string): Caller => ({ role: 'partner', subject: 'p', organisationId, department: null, scopes: [] });
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };

describe('third-party evaluations', () => {
  it('are for signed-in callers; a partner reads only those it carried out, on every path', async () => {
    const { project, evaluator } = await h.one<{ project: string; evaluator: string }>(
      sql`select micro_project_id as project, evaluator_organisation_id as evaluator from services.evaluations where micro_project_id is not null order by id limit 1`,
    );
    const { given } = await h.one<{ given: number }>(
      sql`select count(*)::int as given from services.evaluations where evaluator_organisation_id = ${evaluator}`,
    );
    const query = `query($project: ID!, $org: _Any!) {
      microProject(id: $project) { evaluations { evaluator { id } } }
      _entities(representations: [$org]) { ... on Organisation { evaluationsGiven { id } } } }`;
    const variables = { project, org: { __typename: 'Organisation', id: evaluator } };

    const refused = await h.query(query, variables, publicCaller);
    expect(refused.errors?.map((e) => [e.extensions?.code, e.path?.join('.')]).sort()).toEqual([
      ['FORBIDDEN', '_entities.0.evaluationsGiven'],
      ['FORBIDDEN', 'microProject.evaluations'],
    ]);

    const own = await h.data(query, variables, partner(evaluator));
    expect(own.microProject.evaluations.map((e: any) => e.evaluator.id)).toEqual([evaluator]);
    expect(own._entities[0].evaluationsGiven).toHaveLength(given);

    const other = await h.data(query, variables, partner('org-so-099'));
    expect(other.microProject.evaluations).toEqual([]);
    expect(other._entities[0].evaluationsGiven).toEqual([]);

    const all = await h.data(query, variables, analyst);
    expect(all._entities[0].evaluationsGiven).toHaveLength(given);
  });

  it('are under row-level security: in SQL as the application role, a partner counts only its own, no claims none', async () => {
    const count = async (claims?: RowClaims) => {
      const run = async (tx: typeof h.database.db) =>
        (await rowsOf<{ n: number; role: string }>(tx, sql`select count(*)::int as n, current_user as role from services.evaluations`))[0]!;
      return claims ? withClaims(h.database.db, claims, run) : run(h.database.db);
    };
    const { evaluator, mine, all } = await h.one<{ evaluator: string; mine: number; all: number }>(sql`
      select e.evaluator_organisation_id as evaluator,
             (select count(*)::int from services.evaluations x where x.evaluator_organisation_id = e.evaluator_organisation_id) as mine,
             (select count(*)::int from services.evaluations) as all
        from services.evaluations e order by e.id limit 1`);
    expect(mine).toBeLessThan(all);
    expect(await count()).toEqual({ n: 0, role: 'gongzhi_app' });
    expect((await count({ role: 'partner', organisationId: evaluator })).n).toBe(mine);
    expect((await count({ role: 'public', organisationId: null })).n).toBe(0);
    expect((await count({ role: 'analyst', organisationId: null })).n).toBe(all);
  });
});
