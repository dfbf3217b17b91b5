import { adminCaller, publicCaller, today, withClaims, type RowClaims } from '@gongzhi/kit';
import { entitiesQuery as entities, refusalOf } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql } from './harness.ts';
import { analyst, auditOf, codes, evaluate, partner, staff, useProjectWrites, writer } from './project-harness.ts';

const { h, proposed, advance, snapshot } = useProjectWrites();

/** A project taken through the API to COMPLETED (today), ready for its evaluation. */
const completed = async () => advance(await proposed(), 'approve', 'start', 'complete');

let keys = 0;
const evaluation = (change: Record<string, unknown>) => {
  keys += 1;
  return {
    evaluatorOrganisationId: 'org-so-001',
    evaluatedOn: today(),
    score: 75,
    reportRef: `REP-${keys}`,
    idempotencyKey: `eval-${keys}`,
    ...change,
  };
};

/** A seeded standing service with an evaluation, and an organisation that is neither its provider nor its evaluator. */
async function evaluatedService() {
  return h.one<{ id: string; provider: string }>(sql`select s.id, s.provider_organisation_id as provider from services.services s
    where exists (select 1 from services.evaluations e where e.service_id = s.id) order by s.id limit 1`);
}

describe('recordEvaluation', () => {
  it('lets a partner evaluate for its own organisation and refuses it for another, writing nothing', async () => {
    const project = await completed();
    const own = partner('org-so-003');
    const before = await snapshot(project.id);
    for (const other of ['org-so-004', 'org-pc-440306001001']) {
      const refused = await h.query(evaluate, { input: evaluation({ microProjectId: project.id, evaluatorOrganisationId: other }) }, own);
      expect(refused.data ?? null, other).toBeNull();
      expect(
        refused.errors?.map((e) => e.extensions?.code),
        other,
      ).toEqual(['FORBIDDEN']);
    }
    // Checked in SQL as the owner: no evaluation, step, version, audit entry or idempotency key was written.
    expect(await snapshot(project.id)).toEqual(before);
    expect(before).toMatchObject({ project: { version: 4, steps: ['PROPOSED', 'APPROVED', 'IN_PROGRESS', 'COMPLETED'] } });

    const input = evaluation({ microProjectId: project.id, evaluatorOrganisationId: 'org-so-003' });
    const { recordEvaluation: result } = await h.data(evaluate, { input }, own);
    expect(result).toMatchObject({
      replayed: false,
      errors: [],
      evaluation: { evaluator: { id: 'org-so-003' }, score: 75 },
      microProject: { status: 'EVALUATED', version: 5 },
    });
    const stored = await h.one(
      sql`select evaluator_organisation_id as evaluator, micro_project_id as project, score, report_ref as ref from services.evaluations where id = ${result.evaluation.id}`,
    );
    expect(stored).toEqual({ evaluator: 'org-so-003', project: project.id, score: 75, ref: input.reportRef });
    // The partner's retry answers the first evaluation.
    const again = await h.data(evaluate, { input }, own);
    expect(again.recordEvaluation).toMatchObject({ replayed: true, errors: [], evaluation: { id: result.evaluation.id } });
    const audit = await h.data(auditOf, { id: result.evaluation.id }, adminCaller);
    expect(audit.sliceAuditLog.edges.map((e: any) => [e.node.operation, e.node.actorRole, e.node.actor])).toEqual([
      ['recordEvaluation', 'partner', 'p-org-so-003:org-so-003'],
    ]);
  });

  it('is held to the partner’s own organisation by row-level security too, in SQL as the application role', async () => {
    const { id: service } = await evaluatedService();
    const written = Symbol('rolled back');
    /** Inserts an evaluation under `claims` and rolls it back: null when the database took it, else its refusal. */
    const insertAs = (claims: RowClaims, evaluator: string) =>
      refusalOf(async () => {
        try {
          await withClaims(h.database.db, claims, async (tx) => {
            await tx.execute(sql`insert into services.evaluations (id, evaluator_organisation_id, service_id, evaluated_on, score, report_ref)
              values (${`ev-rls-${evaluator}`}, ${evaluator}, ${service}, '2020-01-01', 80, ${`RLS-${evaluator}`})`);
            throw written;
          });
        } catch (error) {
          if (error !== written) throw error;
        }
      });
    const before = await snapshot();
    expect(await insertAs({ role: 'partner', organisationId: 'org-so-005' }, 'org-so-006')).toMatch(/row-level security/);
    expect(await insertAs({ role: 'analyst', organisationId: null }, 'org-so-006')).toMatch(/row-level security/);
    expect(await insertAs({ role: 'public', organisationId: null }, 'org-so-006')).toMatch(/row-level security/);
    expect(await insertAs({ role: 'partner', organisationId: 'org-so-005' }, 'org-so-005')).toBeNull();
    expect(await insertAs({ role: 'staff', organisationId: null }, 'org-so-006')).toBeNull();
    expect(await snapshot()).toEqual(before);
    const { role } = await h.one<{ role: string }>(sql`select current_user as role`);
    expect(role).not.toBe('gongzhi_app'); // the counts above are the owner's, row-level security aside
  });

  it('evaluates a standing service, which has no lifecycle to move, read back through the evaluator', async () => {
    const { id, provider } = await evaluatedService();
    const before = await snapshot();
    const input = evaluation({ serviceId: id, evaluatorOrganisationId: 'org-so-002', score: 0 });
    const { recordEvaluation: result } = await h.data(evaluate, { input }, writer);
    expect(result).toMatchObject({ errors: [], microProject: null, evaluation: { score: 0, service: { id }, microProject: null } });
    expect(await snapshot()).toEqual({ ...before, evaluations: before.evaluations + 1, audit: before.audit + 1, keys: before.keys + 1 });
    const read = await h.data(
      entities('Organisation', 'evaluationsGiven { id score service { id } }'),
      { representations: [{ __typename: 'Organisation', id: 'org-so-002' }] },
      analyst,
    );
    expect(read._entities[0].evaluationsGiven).toContainEqual({ id: result.evaluation.id, score: 0, service: { id } });
    // The provider is no third party.
    const own = await h.data(evaluate, { input: evaluation({ serviceId: id, evaluatorOrganisationId: provider }) }, writer);
    expect(codes(own.recordEvaluation)).toEqual([[['evaluatorOrganisationId'], 'INVALID']]);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const project = await completed();
    const { id: service } = await evaluatedService();
    const taken = await h.one<{ ref: string }>(sql`select report_ref as ref from services.evaluations order by id limit 1`);
    const proposer = await h.one<{ id: string }>(
      sql`select proposer_organisation_id as id from services.micro_projects where id = ${project.id}`,
    );
    // A seeded project completed on a past day: an evaluation cannot precede that.
    const seeded = await h.one<{
      id: string;
      on: string;
    }>(sql`select s.micro_project_id as id, s."on"::text as on from services.micro_project_steps s
      where s.status = 'COMPLETED' and not exists (select 1 from services.micro_project_steps x where x.micro_project_id = s.micro_project_id and x.status = 'EVALUATED')
      order by 1 limit 1`);
    const dayBefore = new Date(Date.parse(`${seeded.on}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const before = await snapshot(project.id);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{}, ['microProjectId'], 'REQUIRED'],
      [{ microProjectId: project.id, serviceId: service }, ['serviceId'], 'INVALID'],
      [{ microProjectId: project.id, score: 101 }, ['score'], 'INVALID'],
      [{ microProjectId: project.id, score: -1 }, ['score'], 'INVALID'],
      [{ microProjectId: project.id, reportRef: ' ' }, ['reportRef'], 'REQUIRED'],
      [{ microProjectId: project.id, reportRef: taken.ref }, ['reportRef'], 'CONFLICT'],
      [{ microProjectId: project.id, evaluatorOrganisationId: ' ' }, ['evaluatorOrganisationId'], 'REQUIRED'],
      [{ microProjectId: project.id, evaluatorOrganisationId: 'someone' }, ['evaluatorOrganisationId'], 'INVALID'],
      [{ microProjectId: project.id, evaluatorOrganisationId: proposer.id }, ['evaluatorOrganisationId'], 'INVALID'],
      [{ microProjectId: project.id, evaluatedOn: tomorrow }, ['evaluatedOn'], 'INVALID'],
      [{ microProjectId: seeded.id, evaluatedOn: dayBefore }, ['evaluatedOn'], 'INVALID'],
      [{ microProjectId: 'mp-none' }, ['microProjectId'], 'NOT_FOUND'],
      [{ serviceId: 'svc-none' }, ['serviceId'], 'NOT_FOUND'],
      [{ microProjectId: project.id, idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
    ];
    for (const [change, path, code] of cases) {
      const { recordEvaluation: result } = await h.data(evaluate, { input: evaluation(change) }, writer);
      expect([result.evaluation, result.microProject], JSON.stringify(change)).toEqual([null, null]);
      expect(codes(result), JSON.stringify(change)).toEqual([[path, code]]);
    }
    expect(await snapshot(project.id)).toEqual(before);
  });

  it('is refused to the public, analysts and staff without write:services, changing nothing', async () => {
    const project = await completed();
    const before = await snapshot(project.id);
    for (const caller of [publicCaller, analyst, staff(['read:personal'])]) {
      const result = await h.query(evaluate, { input: evaluation({ microProjectId: project.id }) }, caller);
      expect(result.data ?? null, caller.role).toBeNull();
      expect(
        result.errors?.map((e) => e.extensions?.code),
        caller.role,
      ).toEqual(['FORBIDDEN']);
    }
    expect(await snapshot(project.id)).toEqual(before);
  });

  it('answers 50 concurrent retries with one evaluation, and lets only one of many evaluations of a project through', async () => {
    const project = await completed();
    const input = evaluation({ microProjectId: project.id, idempotencyKey: 'eval-retry-50' });
    const before = await snapshot();
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(evaluate, { input }, writer)));
    expect(new Set(answers.map((a: any) => a.recordEvaluation.evaluation.id)).size).toBe(1);
    expect(answers.filter((a: any) => !a.recordEvaluation.replayed)).toHaveLength(1);
    expect(await snapshot()).toEqual({
      ...before,
      evaluations: before.evaluations + 1,
      steps: before.steps + 1,
      audit: before.audit + 2,
      keys: before.keys + 1,
    });

    const next = await completed();
    const rivals = await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        h.data(evaluate, { input: evaluation({ microProjectId: next.id, evaluatorOrganisationId: `org-so-00${k}` }) }, writer),
      ),
    );
    const results = rivals.map((a: any) => a.recordEvaluation);
    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => JSON.stringify(codes(r)) === JSON.stringify([[['microProjectId'], 'ILLEGAL_TRANSITION']]))).toHaveLength(
      9,
    );
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from services.evaluations where micro_project_id = ${next.id}`);
    expect(n).toBe(1);
  });
});
