import { developmentToken, type RunningGateway } from '@gongzhi/gateway';
import { testEngines } from '@gongzhi/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestGraph } from './seeded-graph.ts';

/** Today in Shenzhen: workflow steps are dated today and may not be dated in the future. */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/**
 * Department front-end flows end to end, through the gateway, as the callers who do them: every step
 * is a mutation of the slice that owns the data, and every read crosses slices the way a front end does.
 */
describe.each(testEngines())('writes through the gateway on $name', ({ engine }) => {
  let graph: Awaited<ReturnType<typeof serveTestGraph>>;
  let gateway: RunningGateway;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    graph = await serveTestGraph(engine);
    gateway = graph.gateway;
    tokens.admin = await developmentToken({ role: 'admin' });
    tokens.services = await developmentToken({
      role: 'staff',
      subject: 'clerk-services',
      department: 'workstation',
      scopes: ['write:services'],
    });
    tokens.servicesPersonal = await developmentToken({
      role: 'staff',
      subject: 'clerk-services',
      department: 'workstation',
      scopes: ['write:services', 'read:personal'],
    });
    tokens.funding = await developmentToken({ role: 'staff', subject: 'clerk-funding', department: 'finance', scopes: ['write:funding'] });
  }, 300_000);
  afterAll(async () => graph?.stop());

  /** One request through the gateway; `as` names the token (none: the public). */
  async function ask(query: string, variables: Record<string, unknown> = {}, as?: string) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(as && { authorization: `Bearer ${tokens[as] ?? as}` }),
    };
    const response = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return {
      status: response.status,
      ...((await response.json()) as { data: any; errors?: { message: string; extensions?: { code?: string } }[] }),
    };
  }
  /** A mutation that must succeed: no GraphQL errors, no field errors; answers the payload. */
  async function perform(query: string, input: Record<string, unknown>, as?: string) {
    const answer = await ask(query, { input }, as);
    expect(answer.errors, query).toBeUndefined();
    const payload = Object.values(answer.data)[0] as { errors: unknown[] };
    expect(payload.errors, query).toEqual([]);
    return payload as any;
  }
  const operationsOf = async (entityId: string) =>
    (
      await ask(`query($id: ID!) { auditLog(entityId: $id) { edges { node { operation actorRole } } } }`, { id: entityId }, 'admin')
    ).data.auditLog.edges.map((e: any) => e.node.operation);

  it('a request submitted by the public is handled by staff, resolved, rated, and audited', async () => {
    const { data } = await ask(`{ communities(first: 1) { edges { node { id } } } }`);
    const communityId = data.communities.edges[0].node.id;

    const submitted = await perform(
      `mutation($input: SubmitServiceRequestInput!) { submitServiceRequest(input: $input) { receipt replayed errors { path code } request { id status version } } }`,
      {
        communityId,
        category: 'ENVIRONMENT',
        description: 'Rubbish left by the east gate for three days',
        submitterName: '陈小明',
        submitterPhone: '13800138000',
        idempotencyKey: 'flow-request-1',
      },
    );
    const id = submitted.request.id;
    expect(submitted.request.status).toBe('SUBMITTED');
    expect(submitted.receipt).toEqual(expect.any(String));
    // The public gets no personal data back, not even its own.
    const asPublic = await ask(`query($id: ID!) { serviceRequest(id: $id) { status submitterName submitterPhone } }`, { id });
    expect(JSON.stringify(asPublic.data)).not.toMatch(/陈小明|13800138000/);
    expect(asPublic.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);

    const step =
      (name: string, extra: Record<string, unknown> = {}) =>
      async (version: number) =>
        (
          await perform(
            `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { errors { path code } request { status version } } }`,
            { id, expectedVersion: version, ...extra },
            'services',
          )
        ).request;
    let request = await step('acknowledgeServiceRequest', { note: 'Passed to the property manager' })(submitted.request.version);
    expect(request.status).toBe('ACKNOWLEDGED');
    request = await step('startServiceRequest')(request.version);
    request = await step('resolveServiceRequest', { resolution: 'Cleared; bins added by the gate' })(request.version);
    expect(request.status).toBe('RESOLVED');

    // The submitter rates it with the receipt only they hold.
    const rated = await perform(
      `mutation($input: RateServiceRequestInput!) { rateServiceRequest(input: $input) { errors { path code } request { satisfaction } } }`,
      { id, receipt: submitted.receipt, rating: 5, comment: 'Quick, thank you' },
    );
    expect(rated.request.satisfaction).toBe(5);

    const seen = await ask(
      `query($id: ID!) { serviceRequest(id: $id) { status satisfaction submitterName history { status } community { id name } } }`,
      { id },
      'servicesPersonal',
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data.serviceRequest).toMatchObject({
      status: 'RESOLVED',
      satisfaction: 5,
      submitterName: '陈小明',
      community: { id: communityId },
    });
    expect(seen.data.serviceRequest.history.map((s: any) => s.status)).toEqual(['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED']);
    expect(await operationsOf(id)).toEqual([
      'submitServiceRequest',
      'acknowledgeServiceRequest',
      'startServiceRequest',
      'resolveServiceRequest',
      'rateServiceRequest',
    ]);
    // The audit log is for admins only.
    const refused = await ask(`query($id: ID!) { auditLog(entityId: $id) { edges { node { operation } } } }`, { id }, 'services');
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  }, 120_000);

  it('a micro-project is proposed, approved, funded, completed and evaluated', async () => {
    const { data } = await ask(`{
      committees: organisations(kind: RESIDENTS_COMMITTEE, first: 1) { edges { node { id community { id } } } }
      socials: organisations(kind: SOCIAL_ORGANISATION, first: 2) { edges { node { id } } }
      programmes(kind: MICRO_PROJECT_FUND) { id }
    }`);
    const committee = data.committees.edges[0].node;
    const [implementer, evaluator] = data.socials.edges.map((e: any) => e.node.id);
    const programmeId = data.programmes[0].id;

    const proposed = await perform(
      `mutation($input: ProposeMicroProjectInput!) { proposeMicroProject(input: $input) { replayed errors { path code } microProject { id status version } } }`,
      {
        communityId: committee.community.id,
        year: Number(today.slice(0, 4)),
        title: 'Shade canopy for the elders’ corner',
        category: 'FACILITY',
        proposerOrganisationId: committee.id,
        plannedBudget: 4_800_000,
        beneficiaries: 320,
        idempotencyKey: 'flow-project-1',
      },
      'services',
    );
    const id = proposed.microProject.id;
    const lifecycle =
      (name: string, extra: Record<string, unknown> = {}) =>
      async (version: number) =>
        (
          await perform(
            `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { errors { path code } microProject { status version } } }`,
            { id, expectedVersion: version, ...extra },
            'services',
          )
        ).microProject;
    let project = await lifecycle('approveMicroProject')(proposed.microProject.version);
    expect(project.status).toBe('APPROVED');

    // Funded: the finance department awards a grant for it and pays the first tranche.
    const awarded = await perform(
      `mutation($input: CreateGrantInput!) { createGrant(input: $input) { errors { path code } grant { id status microProject { id title } } } }`,
      {
        programmeId,
        recipientOrganisationId: committee.id,
        implementingOrganisationId: implementer,
        communityId: committee.community.id,
        microProjectId: id,
        title: 'Shade canopy',
        amount: 4_800_000,
        awardedOn: today,
        idempotencyKey: 'flow-grant-1',
      },
      'funding',
    );
    expect(awarded.grant.microProject).toEqual({ id, title: 'Shade canopy for the elders’ corner' });
    for (const type of ['COMMITMENT', 'DISBURSEMENT']) {
      await perform(
        `mutation($input: RecordGrantTransactionInput!) { recordGrantTransaction(input: $input) { errors { path code } transaction { id } } }`,
        {
          grantId: awarded.grant.id,
          type,
          on: today,
          amount: 4_800_000,
          description: `${type.toLowerCase()} for the canopy`,
          idempotencyKey: `flow-${type}`,
        },
        'funding',
      );
    }

    project = await lifecycle('startMicroProject')(project.version);
    project = await lifecycle('completeMicroProject')(project.version);
    expect(project.status).toBe('COMPLETED');
    const evaluated = await perform(
      `mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { errors { path code } microProject { status } } }`,
      {
        microProjectId: id,
        evaluatorOrganisationId: evaluator,
        evaluatedOn: today,
        score: 88,
        reportRef: 'EVAL-2019-CANOPY',
        idempotencyKey: 'flow-evaluation-1',
      },
      'services',
    );
    expect(evaluated.microProject.status).toBe('EVALUATED');

    // One read across three slices: the project (services), its grant and money (funding), its proposer (organisations).
    const seen = await ask(
      `query($id: ID!) { microProject(id: $id) { status history { status } proposer { id } evaluations { score }
        grants { id amountAwarded { amount } balance { disbursed { amount } } } } }`,
      { id },
      'admin',
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data.microProject).toMatchObject({ status: 'EVALUATED', proposer: { id: committee.id }, evaluations: [{ score: 88 }] });
    expect(seen.data.microProject.history.map((s: any) => s.status)).toEqual([
      'PROPOSED',
      'APPROVED',
      'IN_PROGRESS',
      'COMPLETED',
      'EVALUATED',
    ]);
    expect(seen.data.microProject.grants).toEqual([
      { id: awarded.grant.id, amountAwarded: { amount: 4_800_000 }, balance: { disbursed: { amount: 4_800_000 } } },
    ]);
    expect(await operationsOf(id)).toEqual([
      'proposeMicroProject',
      'approveMicroProject',
      'startMicroProject',
      'completeMicroProject',
      'recordEvaluation',
    ]);
    expect(await operationsOf(awarded.grant.id)).toEqual(['createGrant']);
  }, 120_000);
});
