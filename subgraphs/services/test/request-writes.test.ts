import { createHash } from 'node:crypto';
import { adminCaller, EnvError, publicCaller, serveSubgraph, type Caller } from '@gongzhi/kit';
import { entitiesQuery, gatewayCredential, refusalOf, testSubgraphSecret } from '@gongzhi/kit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestTransitions } from '../src/db/schema.ts';
import { submissionLimits, submissionLimitsFrom } from '../src/schema/requests/submissions.ts';
import { staffSteps } from '../src/schema/requests/workflow.ts';
import { servicesSubgraph } from '../src/server.ts';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

const visitor = (origin: string): Caller => ({ ...publicCaller, origin });
const staff = (scopes: string[], subject = 'clerk-7'): Caller => ({
  role: 'staff',
  subject,
  organisationId: null,
  department: 'workstation',
  scopes,
});
const writer = staff(['write:services']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:services'] };

const requestFields = `id status version channel category description submittedAt acknowledgedAt resolvedAt hoursToResolve satisfaction
  community { id } history { status at note }`;
const submit = `mutation($input: SubmitServiceRequestInput!) { submitServiceRequest(input: $input) {
  replayed receipt errors { path code message } request { ${requestFields} } } }`;
const stepNames = [
  'acknowledgeServiceRequest',
  'startServiceRequest',
  'resolveServiceRequest',
  'closeServiceRequest',
  'reopenServiceRequest',
] as const;
type StepName = (typeof stepNames)[number] | 'rateServiceRequest';
const stepMutation = (name: StepName) =>
  `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { errors { path code message } request { ${requestFields} } } }`;
const readBack = `query($id: ID!) { serviceRequest(id: $id) { ${requestFields} submitterName submitterPhone satisfactionComment } }`;
const auditOf = async (id: string) =>
  (
    await h.data(
      `query($id: ID!) { sliceAuditLog(entityId: $id, first: 100) { edges { node { operation actorRole actor before after } } } }`,
      { id },
      adminCaller,
    )
  ).sliceAuditLog.edges.map((e: any) => ({ ...e.node, before: JSON.parse(e.node.before), after: JSON.parse(e.node.after) }));

interface Footprint {
  requests: number;
  steps: number;
  audit: number;
  keys: number;
  submissions: number;
  versions: number;
  ratings: number;
}

/** Every table a request write touches, counted (submissions summed over the windows). */
const footprint = () =>
  h.one<Footprint>(sql`select
    (select count(*)::int from services.service_requests) as requests,
    (select count(*)::int from services.service_request_steps) as steps,
    (select count(*)::int from services.audit_log) as audit,
    (select count(*)::int from services.idempotency_keys) as keys,
    (select coalesce(sum(submissions), 0)::int from services.submission_windows) as submissions,
    (select coalesce(sum(version), 0)::int from services.service_requests) as versions,
    (select count(satisfaction)::int from services.service_requests) as ratings`);

let communities: string[] = [];
beforeAll(async () => {
  communities = (
    await h.rows<{ id: string }>(sql`select distinct community_id as id from services.service_requests order by 1 limit 13`)
  ).map((r) => r.id);
});

let keys = 0;
const input = (community: number, change: Record<string, unknown> = {}) => ({
  communityId: communities[community],
  category: 'FACILITY_REPAIR',
  description: ' The lift in building 3 stops between floors. ',
  idempotencyKey: `key-${++keys}`,
  ...change,
});

/** Submits as `caller` (a member of staff unless told), expecting success. */
async function submitted(community: number, caller: Caller = writer, change: Record<string, unknown> = {}) {
  const { submitServiceRequest: result } = await h.data(submit, { input: input(community, change) }, caller);
  expect(result.errors).toEqual([]);
  return result as { request: any; receipt: string; replayed: boolean };
}

/** Takes a staff step at the request's current version, expecting success; answers the request after it. */
async function stepped(
  name: (typeof stepNames)[number],
  request: { id: string; version: number },
  extra: Record<string, unknown> = {},
  caller: Caller = writer,
) {
  const { [name]: result } = await h.data(
    stepMutation(name),
    { input: { id: request.id, expectedVersion: request.version, ...extra } },
    caller,
  );
  expect(result.errors, name).toEqual([]);
  return result.request;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Waits out the end of a rate-limit window when it is near, so a burst of submissions falls in one window. */
async function awayFromWindowEdge() {
  const { left } = await h.one<{ left: number }>(
    sql`select (${submissionLimits.windowSeconds} - mod(extract(epoch from clock_timestamp())::numeric, ${submissionLimits.windowSeconds}))::float8 as left`,
  );
  if (left < 20) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 500));
}

describe('submitServiceRequest', () => {
  it('records a public submission as SUBMITTED on the community website, with its step, its audit entry and a receipt of which only the hash is kept', async () => {
    const before = await footprint();
    const result = await submitted(0, visitor('203.0.113.7'), { submitterName: ' 张小明 ', submitterPhone: '13912345678' });
    expect(result.replayed).toBe(false);
    expect(result.receipt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const request = result.request;
    expect(request).toMatchObject({
      status: 'SUBMITTED',
      version: 1,
      channel: 'COMMUNITY_WEBSITE',
      category: 'FACILITY_REPAIR',
      description: 'The lift in building 3 stops between floors.',
      community: { id: communities[0] },
      acknowledgedAt: null,
      resolvedAt: null,
      hoursToResolve: null,
      satisfaction: null,
    });
    expect(request.history).toEqual([{ status: 'SUBMITTED', at: request.submittedAt, note: '' }]);
    expect(Math.abs(Date.parse(request.submittedAt) - Date.now())).toBeLessThan(60_000);

    // Read back (staff with read:personal see the submitter).
    const { serviceRequest } = await h.data(readBack, { id: request.id }, staff(['read:personal']));
    expect(serviceRequest).toMatchObject({ ...request, submitterName: '张小明', submitterPhone: '13912345678' });
    const stored = await h.one<{
      hash: string;
      subdistrict: string;
      expected: string;
    }>(sql`select receipt_hash as hash, subdistrict_id as subdistrict,
      (select subdistrict_id from services.service_requests where community_id = ${communities[0]} and id <> ${request.id} order by submitted_at desc limit 1) as expected
      from services.service_requests where id = ${request.id}`);
    expect(stored.hash).toBe(sha256(result.receipt));
    expect(stored.subdistrict).toBe(stored.expected);
    const leaks = await h.one<{ n: number }>(sql`select
      (select count(*) from services.service_requests r where r::text like ${`%${result.receipt}%`}) +
      (select count(*) from services.audit_log a where a::text like ${`%${result.receipt}%`}) +
      (select count(*) from services.idempotency_keys k where k::text like ${`%${result.receipt}%`}) as n`);
    expect(Number(leaks.n)).toBe(0);

    const audit = await auditOf(request.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ operation: 'submitServiceRequest', actorRole: 'public', actor: 'public@203.0.113.7', before: null });
    expect(audit[0].after).toMatchObject({ id: request.id, status: 'SUBMITTED', version: 1, communityId: communities[0] });
    expect(JSON.stringify(audit[0].after)).not.toMatch(/张小明|13912345678/);

    expect(await footprint()).toEqual({
      ...before,
      requests: before.requests + 1,
      steps: before.steps + 1,
      audit: before.audit + 1,
      keys: before.keys + 1,
      submissions: before.submissions + 1,
      versions: before.versions + 1,
    });
  });

  it('shows the public nothing of the submitter: not in the request, not anywhere else in the payload', async () => {
    const origin = '203.0.113.8';
    const personal = `mutation($input: SubmitServiceRequestInput!) { submitServiceRequest(input: $input) {
      replayed receipt errors { path code message } request { ${requestFields} submitterName submitterPhone satisfactionComment } } }`;
    const first = input(1, { submitterName: '李秀英', submitterPhone: '13800138000' });
    const answer = await h.query(personal, { input: first }, visitor(origin));
    expect(answer.errors?.map((e) => [e.extensions?.code, e.path?.join('.')]).sort()).toEqual([
      ['FORBIDDEN', 'submitServiceRequest.request.satisfactionComment'],
      ['FORBIDDEN', 'submitServiceRequest.request.submitterName'],
      ['FORBIDDEN', 'submitServiceRequest.request.submitterPhone'],
    ]);
    const payload = answer.data!.submitServiceRequest;
    expect(payload.errors).toEqual([]);
    expect(payload.request).toMatchObject({ status: 'SUBMITTED', submitterName: null, submitterPhone: null });
    expect(JSON.stringify(answer)).not.toMatch(/李秀英|13800138000/);
    // It was recorded all the same, for staff who may read it.
    const { serviceRequest } = await h.data(readBack, { id: payload.request.id });
    expect(serviceRequest).toMatchObject({ submitterName: '李秀英', submitterPhone: '13800138000' });
    // A replay answers no more than the first answer did.
    const replay = await h.query(personal, { input: first }, visitor(origin));
    expect(replay.data!.submitServiceRequest).toMatchObject({
      replayed: true,
      request: { id: payload.request.id, submitterName: null, submitterPhone: null },
    });
    expect(JSON.stringify(replay)).not.toMatch(/李秀英|13800138000/);
  });

  it('leaves name and phone out when they are blank, and lets staff with write:services record another channel', async () => {
    const anonymous = await submitted(2, visitor('203.0.113.9'), { submitterName: '  ', submitterPhone: '' });
    expect((await h.data(readBack, { id: anonymous.request.id })).serviceRequest).toMatchObject({
      submitterName: null,
      submitterPhone: null,
    });
    const call = await submitted(2, writer, { channel: 'HOTLINE', submitterPhone: '15012345678' });
    expect(call.request.channel).toBe('HOTLINE');
    expect((await auditOf(call.request.id))[0]).toMatchObject({ actorRole: 'staff', actor: 'clerk-7' });
    // Admins may too; a member of staff without the scope may not.
    expect((await submitted(2, adminCaller, { channel: 'IN_PERSON' })).request.channel).toBe('IN_PERSON');
    const { submitServiceRequest: refused } = await h.data(submit, { input: input(2, { channel: 'IN_PERSON' }) }, staff(['read:personal']));
    expect(refused.errors.map((e: any) => [e.path, e.code])).toEqual([[['channel'], 'INVALID']]);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const origin = visitor('203.0.113.10');
    const before = await footprint();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ description: '   ' }, ['description'], 'REQUIRED'],
      [{ description: 'x'.repeat(2001) }, ['description'], 'INVALID'],
      [{ submitterPhone: '12345' }, ['submitterPhone'], 'INVALID'],
      [{ submitterPhone: '12812345678' }, ['submitterPhone'], 'INVALID'],
      [{ submitterPhone: '139123456789' }, ['submitterPhone'], 'INVALID'],
      [{ submitterPhone: '+8613912345678' }, ['submitterPhone'], 'INVALID'],
      [{ submitterName: '名'.repeat(51) }, ['submitterName'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
      [{ idempotencyKey: 'k'.repeat(201) }, ['idempotencyKey'], 'INVALID'],
      [{ communityId: '' }, ['communityId'], 'REQUIRED'],
      [{ communityId: 'com-nowhere' }, ['communityId'], 'NOT_FOUND'],
      [{ channel: 'HOTLINE' }, ['channel'], 'INVALID'],
    ];
    for (const [change, path, code] of cases) {
      const { submitServiceRequest: result } = await h.data(submit, { input: input(3, change) }, origin);
      expect(result.request, JSON.stringify(change)).toBeNull();
      expect(result.receipt, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
      expect(result.errors[0].message).toBeTruthy();
    }
    // Refused inputs do not count against the address either.
    expect(await footprint()).toEqual(before);
  });

  it('answers a retry with the first request and the same receipt; the same key from another caller is another submission', async () => {
    const first = await submitted(3, visitor('203.0.113.11'));
    const key = `key-${keys}`;
    const before = await footprint();
    const { submitServiceRequest: again } = await h.data(submit, { input: { ...input(3), idempotencyKey: key } }, visitor('203.0.113.11'));
    expect(again).toMatchObject({ replayed: true, receipt: first.receipt, errors: [], request: { id: first.request.id } });
    expect(await footprint()).toEqual(before);
    const other = await submitted(3, visitor('203.0.113.12'), { idempotencyKey: key });
    expect(other.replayed).toBe(false);
    expect(other.request.id).not.toBe(first.request.id);
    expect(other.receipt).not.toBe(first.receipt);
  });

  it('answers 50 concurrent retries of one submission with one request, the same id and receipt to each, counted once', async () => {
    await awayFromWindowEdge();
    const origin = visitor('203.0.113.13');
    const before = await footprint();
    const same = input(4, { idempotencyKey: 'retry-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(submit, { input: same }, origin)));
    const results = answers.map((a: any) => a.submitServiceRequest);
    expect(results.every((r) => r.errors.length === 0)).toBe(true);
    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.receipt)).size).toBe(1);
    expect(results[0].receipt).toBeTruthy();
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await footprint()).toMatchObject({
      requests: before.requests + 1,
      steps: before.steps + 1,
      audit: before.audit + 1,
      keys: before.keys + 1,
      submissions: before.submissions + 1,
    });
  }, 120_000);
});

describe('rate limiting of public submissions', () => {
  it(`allows ${submissionLimits.limit} public submissions per address and window, then answers RATE_LIMITED and writes nothing; other addresses, replays and signed-in callers are not held back`, async () => {
    expect(submissionLimits).toMatchObject({ limit: 5, windowSeconds: 600 });
    await awayFromWindowEdge();
    const origin = '198.51.100.20';
    // A past window of the address counts for nothing, and its first submission of a new window clears it.
    await h.rows(
      sql`insert into services.submission_windows (origin, window_start, submissions) values (${origin}, now() - interval '1 day', 99)`,
    );
    for (let n = 0; n < submissionLimits.limit; n++) await submitted(5, visitor(origin));
    const lastKey = `key-${keys}`;
    const windows = await h.rows<{ submissions: number }>(
      sql`select submissions from services.submission_windows where origin = ${origin}`,
    );
    expect(windows).toEqual([{ submissions: submissionLimits.limit }]);

    const before = await footprint();
    const { submitServiceRequest: refused } = await h.data(submit, { input: input(5) }, visitor(origin));
    expect(refused).toMatchObject({ request: null, receipt: null, replayed: false });
    expect(refused.errors.map((e: any) => [e.path, e.code])).toEqual([[[], 'RATE_LIMITED']]);
    expect(refused.errors[0].message).toMatch(/try again/);
    expect(await footprint()).toEqual(before);

    // A replay of an earlier submission still answers it, and counts for nothing.
    const { submitServiceRequest: replay } = await h.data(submit, { input: { ...input(5), idempotencyKey: lastKey } }, visitor(origin));
    expect(replay).toMatchObject({ replayed: true, errors: [] });
    expect(replay.request).not.toBeNull();
    // Another address may still submit; so may signed-in callers from the same address, beyond the limit.
    await submitted(5, visitor('198.51.100.21'));
    for (let n = 0; n <= submissionLimits.limit; n++) await submitted(5, { ...staff(['read:personal'], 'clerk-9'), origin });
    await submitted(5, { ...analyst, origin });
    expect(await h.rows(sql`select submissions from services.submission_windows where origin = ${origin}`)).toEqual([
      { submissions: submissionLimits.limit },
    ]);
  }, 120_000);

  it('counts concurrent submissions from one address exactly: of 12 at once, 5 are recorded', async () => {
    await awayFromWindowEdge();
    const origin = visitor('198.51.100.30');
    const before = await footprint();
    const answers = await Promise.all(Array.from({ length: 12 }, () => h.data(submit, { input: input(6) }, origin)));
    const codes = answers.map((a: any) => a.submitServiceRequest.errors.map((e: any) => e.code).join());
    expect(codes.filter((c) => c === '')).toHaveLength(submissionLimits.limit);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(12 - submissionLimits.limit);
    expect(await footprint()).toMatchObject({
      requests: before.requests + submissionLimits.limit,
      submissions: before.submissions + submissionLimits.limit,
    });
  }, 120_000);

  it('reads its settings from the environment, with defaults, and refuses bad values naming each', () => {
    expect(submissionLimitsFrom({})).toMatchObject({ limit: 5, windowSeconds: 600 });
    expect(submissionLimitsFrom({ SUBMISSION_RATE_LIMIT: '20', SUBMISSION_RATE_WINDOW_SECONDS: '60' })).toMatchObject({
      limit: 20,
      windowSeconds: 60,
    });
    let error: unknown;
    try {
      submissionLimitsFrom({ SUBMISSION_RATE_LIMIT: '0', SUBMISSION_RATE_WINDOW_SECONDS: 'soon' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems.map((p) => p.split(':')[0])).toEqual(['SUBMISSION_RATE_LIMIT', 'SUBMISSION_RATE_WINDOW_SECONDS']);
  });

  it('over HTTP, counts by the address the gateway signs into the caller', async () => {
    await awayFromWindowEdge();
    const running = await serveSubgraph(servicesSubgraph, h.database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
    try {
      const post = async (origin: string) => {
        const response = await fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await gatewayCredential(visitor(origin))) },
          body: JSON.stringify({ query: submit, variables: { input: input(7) } }),
        });
        return (await response.json()) as any;
      };
      const first = await post('192.0.2.44');
      expect(first.data.submitServiceRequest.errors).toEqual([]);
      expect((await auditOf(first.data.submitServiceRequest.request.id))[0]).toMatchObject({
        actorRole: 'public',
        actor: 'public@192.0.2.44',
      });
      for (let n = 1; n < submissionLimits.limit; n++) expect((await post('192.0.2.44')).data.submitServiceRequest.errors).toEqual([]);
      expect((await post('192.0.2.44')).data.submitServiceRequest.errors.map((e: any) => e.code)).toEqual(['RATE_LIMITED']);
      expect((await post('192.0.2.45')).data.submitServiceRequest.errors).toEqual([]);
    } finally {
      await running.stop();
    }
  }, 120_000);
});

describe('the staff workflow', () => {
  it('takes a request through every step and a reopening, one step, one version and one audit entry each, with times derived right', async () => {
    const { request: submittedRequest, receipt } = await submitted(8, visitor('198.51.100.40'));
    let request = submittedRequest;
    request = await stepped('acknowledgeServiceRequest', request, { note: 'Passed to the property manager' }, adminCaller);
    expect(request).toMatchObject({ status: 'ACKNOWLEDGED', version: 2, resolvedAt: null });
    const acknowledgedAt = request.acknowledgedAt;
    expect(acknowledgedAt).toBe(request.history[1].at);
    request = await stepped('startServiceRequest', request);
    expect(request).toMatchObject({ status: 'IN_PROGRESS', version: 3 });
    request = await stepped('resolveServiceRequest', request, { resolution: ' Lift repaired ' });
    expect(request).toMatchObject({ status: 'RESOLVED', version: 4 });
    const firstResolution = request.history[3].at;
    expect(request.resolvedAt).toBe(firstResolution);
    request = await stepped('closeServiceRequest', request);
    expect(request).toMatchObject({ status: 'CLOSED', version: 5, resolvedAt: firstResolution });

    request = await stepped('reopenServiceRequest', request, { reason: 'It stopped again the next day' });
    expect(request).toMatchObject({ status: 'ACKNOWLEDGED', version: 6, acknowledgedAt, resolvedAt: null, hoursToResolve: null });
    // While reopened it lists as ACKNOWLEDGED, not as the greatest status it ever had.
    const listed = await h.data(
      `query($c: ID) { serviceRequests(communityId: $c, status: ACKNOWLEDGED, first: 500) { edges { node { id } } }
      closed: serviceRequests(communityId: $c, status: CLOSED, first: 500) { edges { node { id } } } }`,
      { c: communities[8] },
    );
    expect(listed.serviceRequests.edges.map((e: any) => e.node.id)).toContain(request.id);
    expect(listed.closed.edges.map((e: any) => e.node.id)).not.toContain(request.id);

    // Resolved again straight from ACKNOWLEDGED: the latest resolution is the one that stands.
    request = await stepped('resolveServiceRequest', request, { resolution: 'Motor replaced' });
    const secondResolution = request.history[6].at;
    expect(secondResolution > firstResolution).toBe(true);
    expect(request).toMatchObject({ status: 'RESOLVED', version: 7, acknowledgedAt, resolvedAt: secondResolution });
    expect(request.hoursToResolve).toBeCloseTo((Date.parse(secondResolution) - Date.parse(request.submittedAt)) / 3_600_000, 9);
    request = await stepped('closeServiceRequest', request, { note: 'Confirmed by the resident' });
    expect(request).toMatchObject({ status: 'CLOSED', version: 8, resolvedAt: secondResolution });

    expect(request.history.map((s: any) => [s.status, s.note])).toEqual([
      ['SUBMITTED', ''],
      ['ACKNOWLEDGED', 'Passed to the property manager'],
      ['IN_PROGRESS', ''],
      ['RESOLVED', 'Lift repaired'],
      ['CLOSED', ''],
      ['ACKNOWLEDGED', 'It stopped again the next day'],
      ['RESOLVED', 'Motor replaced'],
      ['CLOSED', 'Confirmed by the resident'],
    ]);
    const times = request.history.map((s: any) => s.at);
    expect([...times].sort()).toEqual(times);
    expect((await h.data(readBack, { id: request.id })).serviceRequest).toMatchObject({
      status: 'CLOSED',
      version: 8,
      history: request.history,
    });
    const steps = await h.rows<{ seq: number; status: string; previous: string | null }>(
      sql`select seq, status::text, previous_status::text as previous from services.service_request_steps where service_request_id = ${request.id} order by seq`,
    );
    expect(steps.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps.slice(1).map((s) => s.previous)).toEqual(steps.slice(0, -1).map((s) => s.status));

    const audit = await auditOf(request.id);
    expect(
      audit.map((e: any) => [e.operation, e.before?.status ?? null, e.after.status, e.before?.version ?? null, e.after.version]),
    ).toEqual([
      ['submitServiceRequest', null, 'SUBMITTED', null, 1],
      ['acknowledgeServiceRequest', 'SUBMITTED', 'ACKNOWLEDGED', 1, 2],
      ['startServiceRequest', 'ACKNOWLEDGED', 'IN_PROGRESS', 2, 3],
      ['resolveServiceRequest', 'IN_PROGRESS', 'RESOLVED', 3, 4],
      ['closeServiceRequest', 'RESOLVED', 'CLOSED', 4, 5],
      ['reopenServiceRequest', 'CLOSED', 'ACKNOWLEDGED', 5, 6],
      ['resolveServiceRequest', 'ACKNOWLEDGED', 'RESOLVED', 6, 7],
      ['closeServiceRequest', 'RESOLVED', 'CLOSED', 7, 8],
    ]);
    expect(audit.slice(1).map((e: any) => [e.actorRole, e.actor])).toEqual([['admin', 'admin'], ...Array(6).fill(['staff', 'clerk-7'])]);

    // The submitter rates it with the receipt, once.
    const { rateServiceRequest: rated } = await h.data(
      stepMutation('rateServiceRequest'),
      { input: { id: request.id, receipt, rating: 4, comment: ' Quick in the end ' } },
      visitor('198.51.100.41'),
    );
    expect(rated.errors).toEqual([]);
    expect(rated.request).toMatchObject({ satisfaction: 4, version: 9, status: 'CLOSED' });
    const comment = `query($id: ID!) { serviceRequest(id: $id) { satisfactionComment } }`;
    expect((await h.data(comment, { id: request.id }, writer)).serviceRequest.satisfactionComment).toBe('Quick in the end');
    const ratedAudit = (await auditOf(request.id)).at(-1);
    expect(ratedAudit).toMatchObject({ operation: 'rateServiceRequest', actorRole: 'public', actor: 'public@198.51.100.41' });
    expect([ratedAudit.before.satisfaction, ratedAudit.after.satisfaction, ratedAudit.after.version]).toEqual([null, 4, 9]);
  });

  it('refuses every illegal transition with ILLEGAL_TRANSITION on the id, and changes nothing', async () => {
    const fresh = async () => (await submitted(9)).request;
    const submittedOnly = await fresh();
    const acknowledged = await stepped('acknowledgeServiceRequest', await fresh());
    const inProgress = await stepped('startServiceRequest', await stepped('acknowledgeServiceRequest', await fresh()));
    const resolved = await stepped('resolveServiceRequest', await stepped('acknowledgeServiceRequest', await fresh()), {
      resolution: 'done',
    });
    const closed = await stepped(
      'closeServiceRequest',
      await stepped('resolveServiceRequest', await stepped('acknowledgeServiceRequest', await fresh()), { resolution: 'done' }),
    );
    const extra: Record<string, Record<string, string>> = {
      resolveServiceRequest: { resolution: 'done' },
      reopenServiceRequest: { reason: 'not done' },
    };
    const illegal: [(typeof stepNames)[number], { id: string; version: number; status: string }][] = [
      ['resolveServiceRequest', submittedOnly],
      ['closeServiceRequest', submittedOnly],
      ['startServiceRequest', submittedOnly],
      ['reopenServiceRequest', submittedOnly],
      ['acknowledgeServiceRequest', acknowledged],
      ['closeServiceRequest', acknowledged],
      ['reopenServiceRequest', inProgress],
      ['acknowledgeServiceRequest', inProgress],
      ['startServiceRequest', resolved],
      ['resolveServiceRequest', resolved],
      ['acknowledgeServiceRequest', resolved],
      ['closeServiceRequest', closed],
      ['resolveServiceRequest', closed],
    ];
    const before = await footprint();
    for (const [name, request] of illegal) {
      const { [name]: result } = await h.data(
        stepMutation(name),
        { input: { id: request.id, expectedVersion: request.version, ...extra[name] } },
        writer,
      );
      expect(result.request, `${name} on ${request.status}`).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        `${name} on ${request.status}`,
      ).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
      expect(result.errors[0].message).toContain(request.status);
    }
    expect(await footprint()).toEqual(before);
  });

  it('answers a bad input, an unknown id and a stale version with a field error, and changes nothing', async () => {
    const request = await stepped('acknowledgeServiceRequest', (await submitted(9)).request);
    const before = await footprint();
    const cases: [(typeof stepNames)[number], Record<string, unknown>, string[], string][] = [
      ['resolveServiceRequest', { resolution: '  ' }, ['resolution'], 'REQUIRED'],
      ['resolveServiceRequest', { resolution: 'x'.repeat(2001) }, ['resolution'], 'INVALID'],
      ['reopenServiceRequest', { reason: '' }, ['reason'], 'REQUIRED'],
      ['startServiceRequest', { note: 'x'.repeat(2001) }, ['note'], 'INVALID'],
      ['startServiceRequest', { id: 'sr-missing' }, ['id'], 'NOT_FOUND'],
      ['startServiceRequest', { expectedVersion: 1 }, ['expectedVersion'], 'CONFLICT'],
      ['resolveServiceRequest', { expectedVersion: 3, resolution: 'done' }, ['expectedVersion'], 'CONFLICT'],
    ];
    for (const [name, change, path, code] of cases) {
      const { [name]: result } = await h.data(
        stepMutation(name),
        { input: { id: request.id, expectedVersion: request.version, ...change } },
        writer,
      );
      expect(result.request, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await footprint()).toEqual(before);
  });

  it('is refused to the public, analysts, partners and staff without write:services', async () => {
    const request = (await submitted(10)).request;
    const before = await footprint();
    for (const name of stepNames) {
      const extra = name === 'resolveServiceRequest' ? { resolution: 'done' } : name === 'reopenServiceRequest' ? { reason: 'again' } : {};
      for (const caller of [visitor('198.51.100.50'), analyst, partner, staff(['read:personal'])]) {
        const result = await h.query(stepMutation(name), { input: { id: request.id, expectedVersion: request.version, ...extra } }, caller);
        expect(result.data?.[name] ?? null, `${name} as ${caller.role}`).toBeNull();
        expect(
          result.errors?.map((e) => e.extensions?.code),
          `${name} as ${caller.role}`,
        ).toEqual(['FORBIDDEN']);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it('lets exactly one of 50 concurrent acknowledgements at one version through; the others answer CONFLICT', async () => {
    const request = (await submitted(10)).request;
    const before = await footprint();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        h.data(
          stepMutation('acknowledgeServiceRequest'),
          { input: { id: request.id, expectedVersion: request.version, note: `clerk ${n}` } },
          writer,
        ),
      ),
    );
    const results = answers.map((a: any) => a.acknowledgeServiceRequest);
    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => r.errors.length > 0).map((r) => r.errors.map((e: any) => [e.path, e.code]))).toEqual(
      Array(49).fill([[['expectedVersion'], 'CONFLICT']]),
    );
    const { serviceRequest } = await h.data(readBack, { id: request.id });
    expect(serviceRequest).toMatchObject({ status: 'ACKNOWLEDGED', version: request.version + 1 });
    expect(serviceRequest.history).toHaveLength(2);
    expect((await auditOf(request.id)).filter((e: any) => e.operation === 'acknowledgeServiceRequest')).toHaveLength(1);
    expect(await footprint()).toMatchObject({ steps: before.steps + 1, audit: before.audit + 1, versions: before.versions + 1 });
  }, 120_000);

  it('keeps history append-only for the application: steps cannot be changed or removed', async () => {
    const request = (await submitted(10)).request;
    expect(
      await refusalOf(() =>
        h.database.db.execute(sql`update services.service_request_steps set note = 'rewritten' where service_request_id = ${request.id}`),
      ),
    ).toMatch(/permission denied/);
    expect(
      await refusalOf(() =>
        h.database.db.execute(sql`delete from services.service_request_steps where service_request_id = ${request.id}`),
      ),
    ).toMatch(/permission denied/);
  });

  it('allows in the mutations exactly the transitions the database checks', () => {
    const allowed = Object.values(staffSteps).flatMap(({ from, to }) => from.map((status) => `${status}>${to}`));
    expect(allowed.sort()).toEqual(requestTransitions.map(([from, to]) => `${from}>${to}`).sort());
  });
});

describe('rateServiceRequest', () => {
  const rate = stepMutation('rateServiceRequest');

  it('needs the receipt: a wrong one and an unknown id answer alike, NOT_FOUND on the receipt', async () => {
    const { request, receipt } = await submitted(11, visitor('198.51.100.60'));
    const resolved = await stepped('resolveServiceRequest', await stepped('acknowledgeServiceRequest', request), { resolution: 'done' });
    const seeded = await h.one<{
      id: string;
    }>(sql`select r.id from services.service_requests r where r.satisfaction is null and r.receipt_hash is null
      and (select s.status from services.service_request_steps s where s.service_request_id = r.id order by s.seq desc limit 1) in ('RESOLVED', 'CLOSED') limit 1`);
    const before = await footprint();
    const answers = [];
    for (const attempt of [
      { id: resolved.id, receipt: `${receipt.slice(0, -1)}${receipt.endsWith('A') ? 'B' : 'A'}` },
      { id: 'sr-missing', receipt },
      { id: seeded.id, receipt },
    ]) {
      const { rateServiceRequest: result } = await h.data(rate, { input: { ...attempt, rating: 5 } }, publicCaller);
      expect(result.request).toBeNull();
      expect(result.errors.map((e: any) => [e.path, e.code])).toEqual([[['receipt'], 'NOT_FOUND']]);
      answers.push(result.errors[0].message);
    }
    expect(new Set(answers).size).toBe(1);
    expect(await footprint()).toEqual(before);
  });

  it('refuses a bad rating, a blank receipt and a long comment, and changes nothing', async () => {
    const { request, receipt } = await submitted(11);
    const resolved = await stepped('resolveServiceRequest', await stepped('acknowledgeServiceRequest', request), { resolution: 'done' });
    const before = await footprint();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ rating: 0 }, ['rating'], 'INVALID'],
      [{ rating: 6 }, ['rating'], 'INVALID'],
      [{ receipt: ' ' }, ['receipt'], 'REQUIRED'],
      [{ comment: 'x'.repeat(1001) }, ['comment'], 'INVALID'],
    ];
    for (const [change, path, code] of cases) {
      const { rateServiceRequest: result } = await h.data(
        rate,
        { input: { id: resolved.id, receipt, rating: 3, ...change } },
        publicCaller,
      );
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await footprint()).toEqual(before);
  });

  it('rates only a resolved or closed request, and only once (ILLEGAL_TRANSITION)', async () => {
    const { request, receipt } = await submitted(11, visitor('198.51.100.61'));
    const attempt = async () => (await h.data(rate, { input: { id: request.id, receipt, rating: 2 } }, publicCaller)).rateServiceRequest;
    const before = await footprint();
    const early = await attempt();
    expect(early.errors.map((e: any) => [e.path, e.code])).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
    const acknowledged = await stepped('acknowledgeServiceRequest', request);
    expect((await attempt()).errors.map((e: any) => e.code)).toEqual(['ILLEGAL_TRANSITION']);
    const inProgress = await stepped('startServiceRequest', acknowledged);
    expect((await attempt()).errors.map((e: any) => e.code)).toEqual(['ILLEGAL_TRANSITION']);
    expect(await footprint()).toMatchObject({ ratings: before.ratings, versions: before.versions + 2 });

    await stepped('resolveServiceRequest', inProgress, { resolution: 'done' });
    const first = await attempt();
    expect(first.errors).toEqual([]);
    expect(first.request).toMatchObject({ satisfaction: 2, version: 5 });
    const afterFirst = await footprint();
    const second = await h.data(rate, { input: { id: request.id, receipt, rating: 5 } }, publicCaller);
    expect(second.rateServiceRequest.errors.map((e: any) => [e.path, e.code])).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
    expect(await footprint()).toEqual(afterFirst);
    expect((await h.data(readBack, { id: request.id })).serviceRequest.satisfaction).toBe(2);
    // The comment is for staff handling requests, not for the public.
    const hidden = await h.query(
      `query($id: ID!) { serviceRequest(id: $id) { satisfaction satisfactionComment } }`,
      { id: request.id },
      publicCaller,
    );
    expect(hidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('request resolution after reopening', () => {
  /** The hand computation: a resolution stands while the request's last step is RESOLVED or CLOSED; the latest one counts. */
  const handComputed = (community: string, year: number) =>
    h.one<{ received: number; resolved: number; median: number | null }>(sql`
      select count(*)::int as received, count(res.at)::int as resolved,
        percentile_cont(0.5) within group (order by extract(epoch from res.at - r.submitted_at)::float8 / 3600) as median
      from services.service_requests r
      left join lateral (select s.at from services.service_request_steps s
        where s.service_request_id = r.id and s.status = 'RESOLVED'
          and (select l.status from services.service_request_steps l where l.service_request_id = r.id order by l.seq desc limit 1) in ('RESOLVED', 'CLOSED')
        order by s.seq desc limit 1) res on true
      where r.community_id = ${community} and r.submitted_year = ${year}`);
  const figures = async (community: string) =>
    (
      await h.data(entitiesQuery('Community', 'requestResolution { year received resolved medianHours }'), {
        representations: [{ __typename: 'Community', id: community }],
      })
    )._entities[0].requestResolution;

  it('counts a reopened request as unresolved until it is resolved again, then by its latest resolution', async () => {
    const community = communities[12]!;
    const year = new Date().getUTCFullYear();
    const one = (await submitted(12)).request;
    const two = (await submitted(12)).request;
    await submitted(12);
    let first = await stepped('resolveServiceRequest', await stepped('acknowledgeServiceRequest', one), { resolution: 'done' });
    await stepped('resolveServiceRequest', await stepped('acknowledgeServiceRequest', two), { resolution: 'done' });
    const check = async (resolved: number) => {
      const expected = await handComputed(community, year);
      const actual = await figures(community);
      expect(actual).toMatchObject({ year, received: 3, resolved });
      expect(expected).toMatchObject({ received: 3, resolved });
      expect(actual.medianHours).toBeCloseTo(Number(expected.median), 9);
    };
    await check(2);
    first = await stepped('reopenServiceRequest', await stepped('closeServiceRequest', first), { reason: 'again' });
    await check(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    first = await stepped('resolveServiceRequest', first, { resolution: 'done again' });
    await check(2);
    // The median moved to the latest resolution: computed from it, it is not the first one's.
    expect(first.resolvedAt).toBe(first.history.at(-1).at);
  });
});
