import { adminCaller, publicCaller, today } from '@gongzhi/kit';
import { describe, expect, it } from 'vitest';
import { sql } from './harness.ts';
import {
  analyst,
  auditOf,
  codes,
  evaluate,
  partner,
  propose,
  readProject,
  staff,
  steps,
  useProjectWrites,
  writer,
} from './project-harness.ts';

const { h, placedCommunity, proposal, proposed, advance, count, snapshot } = useProjectWrites();

describe('proposeMicroProject', () => {
  it('proposes a project PROPOSED today, under its community’s sub-district, audited in the same transaction', async () => {
    const { community, subdistrict } = await placedCommunity();
    const before = await snapshot();
    const { proposeMicroProject: result } = await h.data(propose, { input: await proposal() }, writer);
    expect(result).toMatchObject({ replayed: false, errors: [] });
    const read = await h.data(readProject, { id: result.microProject.id });
    expect(read.microProject).toEqual({ ...result.microProject, evaluations: [] });
    expect(read.microProject).toMatchObject({
      version: 1,
      status: 'PROPOSED',
      year: 2020,
      title: '楼道照明改造',
      category: 'FACILITY',
      beneficiaries: 320,
      plannedBudget: { amount: 12_345_600, currency: 'CNY' },
      community: { id: community },
      subdistrict: { id: subdistrict },
      proposer: { id: `org-pc-${community.slice(4)}` },
      history: [{ status: 'PROPOSED', on: today(), note: '', reason: null }],
    });
    const listed = await h.data(
      `query($c: ID!) { microProjects(communityId: $c, status: PROPOSED, year: 2020, first: 100) { edges { node { id } } } }`,
      { c: community },
    );
    expect(listed.microProjects.edges.map((e: any) => e.node.id)).toContain(result.microProject.id);
    expect(await snapshot()).toEqual({
      ...before,
      projects: before.projects + 1,
      steps: before.steps + 1,
      audit: before.audit + 1,
      keys: before.keys + 1,
    });

    const audit = await h.data(auditOf, { id: result.microProject.id }, adminCaller);
    expect(audit.sliceAuditLog.edges).toHaveLength(1);
    expect(audit.sliceAuditLog.edges[0].node).toMatchObject({
      entityType: 'MicroProject',
      operation: 'proposeMicroProject',
      actorRole: 'staff',
      actor: 'clerk-1',
      before: null,
    });
    expect(JSON.parse(audit.sliceAuditLog.edges[0].node.after)).toMatchObject({
      id: result.microProject.id,
      status: 'PROPOSED',
      version: 1,
      plannedBudgetFen: 12_345_600,
    });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ title: '  ' }, ['title'], 'REQUIRED'],
      [{ title: 'x'.repeat(201) }, ['title'], 'INVALID'],
      [{ year: 1999 }, ['year'], 'INVALID'],
      [{ year: 2101 }, ['year'], 'INVALID'],
      [{ plannedBudget: 0 }, ['plannedBudget'], 'INVALID'],
      [{ plannedBudget: -100 }, ['plannedBudget'], 'INVALID'],
      [{ beneficiaries: -1 }, ['beneficiaries'], 'INVALID'],
      [{ communityId: ' ' }, ['communityId'], 'REQUIRED'],
      [{ communityId: 'com-000000000000' }, ['communityId'], 'NOT_FOUND'],
      [{ proposerOrganisationId: '' }, ['proposerOrganisationId'], 'REQUIRED'],
      [{ proposerOrganisationId: 'acme ltd' }, ['proposerOrganisationId'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
    ];
    for (const [change, path, code] of cases) {
      const { proposeMicroProject: result } = await h.data(propose, { input: await proposal(change) }, writer);
      expect(result.microProject, JSON.stringify(change)).toBeNull();
      expect(codes(result), JSON.stringify(change)).toEqual([[path, code]]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 50 concurrent retries of one proposal with one project, the same to each', async () => {
    const before = await snapshot();
    const input = await proposal({ idempotencyKey: 'propose-retry-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(propose, { input }, writer)));
    const ids = new Set(answers.map((a: any) => a.proposeMicroProject.microProject.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.proposeMicroProject.replayed)).toHaveLength(1);
    expect(await snapshot()).toEqual({
      ...before,
      projects: before.projects + 1,
      steps: before.steps + 1,
      audit: before.audit + 1,
      keys: before.keys + 1,
    });
    const again = await h.data(propose, { input }, writer);
    expect(again.proposeMicroProject).toMatchObject({ replayed: true, errors: [], microProject: { id: [...ids][0], status: 'PROPOSED' } });
  });
});

describe('the micro-project lifecycle', () => {
  it('runs proposed → approved → started → completed → evaluated, each step read back and audited', async () => {
    const created = await proposed();
    const evaluator = 'org-so-001';
    const approved = await advance(created, 'approve');
    expect(approved).toMatchObject({ status: 'APPROVED', version: 2 });
    const started = await advance(approved, 'start');
    expect(started).toMatchObject({ status: 'IN_PROGRESS', version: 3 });
    const { completeMicroProject: completed } = await h.data(
      steps.complete,
      { input: { id: created.id, expectedVersion: 3, note: ' 验收合格 ' } },
      writer,
    );
    expect(completed).toMatchObject({ replayed: false, errors: [], microProject: { status: 'COMPLETED', version: 4 } });

    const input = {
      microProjectId: created.id,
      evaluatorOrganisationId: evaluator,
      evaluatedOn: today(),
      score: 88,
      reportRef: `REP-${created.id}`,
      idempotencyKey: 'lifecycle-eval',
    };
    const { recordEvaluation: evaluated } = await h.data(evaluate, { input }, partner(evaluator));
    expect(evaluated).toMatchObject({
      replayed: false,
      errors: [],
      evaluation: {
        score: 88,
        evaluatedOn: today(),
        reportRef: `REP-${created.id}`,
        evaluator: { id: evaluator },
        microProject: { id: created.id },
        service: null,
      },
      microProject: { status: 'EVALUATED', version: 5 },
    });

    const read = await h.data(readProject, { id: created.id }, analyst);
    const on = today();
    expect(read.microProject).toMatchObject({
      status: 'EVALUATED',
      version: 5,
      history: [
        { status: 'PROPOSED', on, note: '', reason: null },
        { status: 'APPROVED', on, note: '', reason: null },
        { status: 'IN_PROGRESS', on, note: '', reason: null },
        { status: 'COMPLETED', on, note: '验收合格', reason: null },
        { status: 'EVALUATED', on, note: `report REP-${created.id}`, reason: null },
      ],
      evaluations: [{ id: evaluated.evaluation.id, score: 88, evaluator: { id: evaluator } }],
    });
    const listed = await h.data(`{ microProjects(status: EVALUATED, year: 2020, first: 100) { edges { node { id } } } }`);
    expect(listed.microProjects.edges.map((e: any) => e.node.id)).toContain(created.id);

    const audit = await h.data(auditOf, { id: created.id }, adminCaller);
    const entries = audit.sliceAuditLog.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => e.operation)).toEqual([
      'proposeMicroProject',
      'approveMicroProject',
      'startMicroProject',
      'completeMicroProject',
      'recordEvaluation',
    ]);
    expect(
      entries
        .slice(1)
        .map((e: any) => [
          JSON.parse(e.before).status,
          JSON.parse(e.before).version,
          JSON.parse(e.after).status,
          JSON.parse(e.after).version,
        ]),
    ).toEqual([
      ['PROPOSED', 1, 'APPROVED', 2],
      ['APPROVED', 2, 'IN_PROGRESS', 3],
      ['IN_PROGRESS', 3, 'COMPLETED', 4],
      ['COMPLETED', 4, 'EVALUATED', 5],
    ]);
    expect(entries[4]).toMatchObject({ actorRole: 'partner', actor: `p-${evaluator}:${evaluator}` });
    const evaluationAudit = await h.data(auditOf, { id: evaluated.evaluation.id }, adminCaller);
    expect(evaluationAudit.sliceAuditLog.edges.map((e: any) => [e.node.entityType, e.node.operation, e.node.before])).toEqual([
      ['Evaluation', 'recordEvaluation', null],
    ]);
  });

  it('rejects a proposed project with its reason; a rejected project takes no further step', async () => {
    const created = await proposed();
    const missing = await h.data(steps.reject, { input: { id: created.id, expectedVersion: 1, reason: '  ' } }, writer);
    expect(codes(missing.rejectMicroProject)).toEqual([[['reason'], 'REQUIRED']]);
    const { rejectMicroProject: result } = await h.data(
      steps.reject,
      { input: { id: created.id, expectedVersion: 1, reason: ' 超出预算 ', note: '请修改后重报' } },
      writer,
    );
    expect(result).toMatchObject({ errors: [], microProject: { status: 'REJECTED', version: 2 } });
    expect(result.microProject.history.at(-1)).toEqual({ status: 'REJECTED', on: today(), note: '请修改后重报', reason: '超出预算' });
    const before = await snapshot(created.id);
    const again = await h.data(steps.approve, { input: { id: created.id, expectedVersion: 2 } }, writer);
    expect(codes(again.approveMicroProject)).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
    expect(await snapshot(created.id)).toEqual(before);
  });

  it('refuses each illegal transition with ILLEGAL_TRANSITION, changing nothing', async () => {
    const approved = await advance(await proposed(), 'approve');
    const fresh = await proposed();
    const inProgress = await advance(await proposed(), 'approve', 'start');
    const cases: [string, keyof typeof steps | 'evaluate', { id: string; version: number }, string[]][] = [
      ['approve twice', 'approve', approved, ['id']],
      ['start a proposed one', 'start', fresh, ['id']],
      ['complete an approved one', 'complete', approved, ['id']],
      ['complete a proposed one', 'complete', fresh, ['id']],
      ['reject an approved one', 'reject', approved, ['id']],
      ['evaluate an in-progress one', 'evaluate', inProgress, ['microProjectId']],
      ['evaluate an approved one', 'evaluate', approved, ['microProjectId']],
    ];
    for (const [what, name, target, path] of cases) {
      const before = await snapshot(target.id);
      const result =
        name === 'evaluate'
          ? (
              await h.data(
                evaluate,
                {
                  input: {
                    microProjectId: target.id,
                    evaluatorOrganisationId: 'org-so-002',
                    evaluatedOn: today(),
                    score: 70,
                    reportRef: `R-${what}`,
                    idempotencyKey: what,
                  },
                },
                writer,
              )
            ).recordEvaluation
          : (Object.values(
              await h.data(
                steps[name],
                { input: { id: target.id, expectedVersion: target.version, ...(name === 'reject' && { reason: 'r' }) } },
                writer,
              ),
            )[0] as any);
      expect(result.microProject, what).toBeNull();
      expect(codes(result), what).toEqual([[path, 'ILLEGAL_TRANSITION']]);
      expect(result.errors[0].message, what).toMatch(/^the project is [A-Z_]+: only a [A-Z_]+ project can be/);
      expect(await snapshot(target.id), what).toEqual(before);
    }
    // Seeded projects too: an evaluated one cannot be evaluated again.
    const { id } = await h.one<{ id: string }>(
      sql`select micro_project_id as id from services.micro_project_steps where status = 'EVALUATED' order by 1 limit 1`,
    );
    const again = await h.data(
      evaluate,
      {
        input: {
          microProjectId: id,
          evaluatorOrganisationId: 'org-so-002',
          evaluatedOn: today(),
          score: 70,
          reportRef: 'R-again',
          idempotencyKey: 'again',
        },
      },
      writer,
    );
    expect(codes(again.recordEvaluation)).toEqual([[['microProjectId'], 'ILLEGAL_TRANSITION']]);
  });

  it('answers an unknown project, a stale version and a date out of order with field errors, changing nothing', async () => {
    // A seeded proposal, with the date of its proposal in the past.
    const seeded = await h.one<{
      id: string;
      proposed: string;
      version: number;
    }>(sql`select p.id, s."on"::text as proposed, p.version from services.micro_projects p
      join services.micro_project_steps s on s.micro_project_id = p.id
     where s.status = 'PROPOSED' and not exists (select 1 from services.micro_project_steps x where x.micro_project_id = p.id and x.status <> 'PROPOSED')
     order by p.id limit 1`);
    const dayBefore = new Date(Date.parse(`${seeded.proposed}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${today()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const before = await snapshot(seeded.id);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ id: 'mp-none' }, ['id'], 'NOT_FOUND'],
      [{ expectedVersion: seeded.version + 1 }, ['expectedVersion'], 'CONFLICT'],
      [{ expectedVersion: seeded.version - 1 }, ['expectedVersion'], 'CONFLICT'],
      [{ on: dayBefore }, ['on'], 'INVALID'],
      [{ on: tomorrow }, ['on'], 'INVALID'],
      [{ note: 'x'.repeat(501) }, ['note'], 'INVALID'],
    ];
    for (const [change, path, code] of cases) {
      const { approveMicroProject: result } = await h.data(
        steps.approve,
        { input: { id: seeded.id, expectedVersion: seeded.version, ...change } },
        writer,
      );
      expect(result.microProject, JSON.stringify(change)).toBeNull();
      expect(codes(result), JSON.stringify(change)).toEqual([[path, code]]);
    }
    expect(await snapshot(seeded.id)).toEqual(before);
    // The day of the proposal itself is fine: dates may stay, never go back.
    const { approveMicroProject: result } = await h.data(
      steps.approve,
      { input: { id: seeded.id, expectedVersion: seeded.version, on: seeded.proposed } },
      writer,
    );
    expect(result).toMatchObject({ errors: [], microProject: { status: 'APPROVED', version: seeded.version + 1 } });
    expect(result.microProject.history.map((s: any) => s.on)).toEqual([seeded.proposed, seeded.proposed]);
  });

  it('lets exactly one of 50 concurrent approvals with one expected version through; the rest are CONFLICT', async () => {
    const created = await proposed();
    const audited = await count('audit_log');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => h.data(steps.approve, { input: { id: created.id, expectedVersion: 1 } }, writer)),
    );
    const results = answers.map((a: any) => a.approveMicroProject);
    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(1);
    const refused = results.filter((r) => r.errors.length > 0);
    expect(refused).toHaveLength(49);
    expect(
      refused.every((r) => r.microProject === null && JSON.stringify(codes(r)) === JSON.stringify([[['expectedVersion'], 'CONFLICT']])),
    ).toBe(true);
    expect(await snapshot(created.id)).toMatchObject({ project: { version: 2, steps: ['PROPOSED', 'APPROVED'] } });
    expect(await count('audit_log')).toBe(audited + 1);
    const audit = await h.data(auditOf, { id: created.id }, adminCaller);
    expect(audit.sliceAuditLog.edges.map((e: any) => e.node.operation)).toEqual(['proposeMicroProject', 'approveMicroProject']);
  });

  it('is open to admins as to staff with write:services', async () => {
    const { proposeMicroProject: created } = await h.data(propose, { input: await proposal({ idempotencyKey: 'by-admin' }) }, adminCaller);
    expect(created).toMatchObject({ errors: [], microProject: { status: 'PROPOSED', version: 1 } });
    const approved = await advance(created.microProject, 'approve');
    expect(approved).toMatchObject({ status: 'APPROVED', version: 2 });
    const audit = await h.data(auditOf, { id: approved.id }, adminCaller);
    expect(audit.sliceAuditLog.edges.map((e: any) => e.node.actorRole)).toEqual(['admin', 'staff']);
  });

  it('is refused to the public, analysts, partners and staff without write:services, changing nothing', async () => {
    const created = await proposed();
    const before = await snapshot(created.id);
    const input = await proposal({ idempotencyKey: 'forbidden' });
    for (const caller of [publicCaller, analyst, partner('org-so-001'), staff(['read:personal'])]) {
      const operations: [string, Record<string, unknown>][] = [
        [propose, input],
        [steps.approve, { id: created.id, expectedVersion: 1 }],
        [steps.reject, { id: created.id, expectedVersion: 1, reason: 'no' }],
        [steps.start, { id: created.id, expectedVersion: 1 }],
        [steps.complete, { id: created.id, expectedVersion: 1 }],
      ];
      for (const [operation, variables] of operations) {
        const result = await h.query(operation, { input: variables }, caller);
        expect(result.data ?? null, `${caller.role} ${operation.slice(0, 40)}`).toBeNull();
        expect(
          result.errors?.map((e) => e.extensions?.code),
          caller.role,
        ).toEqual(['FORBIDDEN']);
      }
    }
    expect(await snapshot(created.id)).toEqual(before);
  });
});
