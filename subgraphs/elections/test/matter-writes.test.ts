import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();
const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-2',
  organisationId: null,
  department: 'civil-affairs',
  scopes,
});
const writer = staff(['write:elections']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:elections'] };

const matterFields = `id title summary stage version community { id } residentsCommittee { id }
  stages { stage heldOn body minutesRef votes { for against abstain } }`;
const propose = `mutation($input: ProposeMatterInput!) { proposeMatter(input: $input) { replayed errors { path code message } matter { ${matterFields} } } }`;
const advance = `mutation($input: AdvanceMatterInput!) { advanceMatter(input: $input) { errors { path code message } matter { ${matterFields} } } }`;
const readMatter = `query($id: ID!) { matter(id: $id) { ${matterFields} } }`;
const auditOf = `query($id: ID!) { sliceAuditLog(entityId: $id, first: 100) { edges { node { entityType operation actorRole actor before after } } } }`;

type Table = 'matters' | 'matter_stages' | 'audit_log' | 'idempotency_keys';
const rowsOf = async (table: Table) => (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`elections.${table}`)}`)).n;
const allCounts = () => Promise.all((['matters', 'matter_stages', 'audit_log', 'idempotency_keys'] as Table[]).map(rowsOf));
const auditEntries = async (id: string) => (await h.data(auditOf, { id }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node);
const codes = (errors: any[]) => errors.map((e) => [e.path, e.code]);

/** A committee of the dataset that has matters already, and its community. */
let committee: { id: string; communityId: string };
beforeAll(async () => {
  committee = await h.one(
    sql`select residents_committee_id as id, community_id as "communityId" from elections.matters order by id limit 1`,
  );
});

let serial = 0;
const proposal = (overrides: Record<string, unknown> = {}) => ({
  residentsCommitteeId: committee.id,
  communityId: committee.communityId,
  title: '社区长者饭堂选址',
  summary: '在社区党群服务中心一楼设置长者饭堂',
  on: '2020-03-02',
  body: '社区党委',
  minutes: 'MIN-TEST-1',
  idempotencyKey: `proposal-${++serial}`,
  ...overrides,
});

async function proposed(overrides: Record<string, unknown> = {}) {
  const { proposeMatter } = await h.data(propose, { input: proposal(overrides) }, writer);
  expect(proposeMatter.errors).toEqual([]);
  return proposeMatter.matter as { id: string; version: number };
}

/** What each next step records in these tests: a vote where the stage is one, a week after the last. */
const steps: Record<string, Record<string, unknown>> = {
  DISCUSSED: { on: '2020-03-09', body: '社区党委与居委会联席会议', minutes: 'MIN-TEST-2', votesFor: 11, votesAgainst: 1, abstentions: 0 },
  REVIEWED: { on: '2020-03-16', body: '社区党员大会', minutes: 'MIN-TEST-3', votesFor: 80, votesAgainst: 5, abstentions: 3 },
  RESOLVED: { on: '2020-03-23', body: '居民代表会议', minutes: 'MIN-TEST-4', votesFor: 40, votesAgainst: 2, abstentions: 1 },
  RESOLUTION_PUBLISHED: { on: '2020-03-24', body: '社区公开栏及网站', minutes: 'MIN-TEST-5' },
  RESULT_PUBLISHED: { on: '2020-09-30', body: '社区公开栏及网站', minutes: 'MIN-TEST-6' },
};
const step = (id: string, expectedVersion: number, stage: string, overrides: Record<string, unknown> = {}) => ({
  id,
  expectedVersion,
  stage,
  ...steps[stage],
  ...overrides,
});

async function advanced(id: string, expectedVersion: number, stage: string) {
  const { advanceMatter } = await h.data(advance, { input: step(id, expectedVersion, stage) }, writer);
  expect(advanceMatter.errors).toEqual([]);
  return advanceMatter.matter;
}

/** Whether the public and partners can see the matter: by id, in the list and in its community's list. */
async function publiclyVisible(id: string): Promise<boolean> {
  const seen: boolean[] = [];
  for (const caller of [publicCaller, partner]) {
    const byId = (await h.data(`query($id: ID!) { matter(id: $id) { id } }`, { id }, caller)).matter !== null;
    const listed = (
      await h.data(`query($c: ID) { matters(communityId: $c, first: 100) { edges { node { id } } } }`, { c: committee.communityId }, caller)
    ).matters.edges.some((e: any) => e.node.id === id);
    const inCommunity = (
      await h.data(
        entities('Community', 'matters(first: 100) { edges { node { id } } }'),
        { representations: [{ __typename: 'Community', id: committee.communityId }] },
        caller,
      )
    )._entities[0].matters.edges.some((e: any) => e.node.id === id);
    seen.push(byId, listed, inCommunity);
  }
  expect(new Set(seen).size, 'every way of asking agrees').toBe(1);
  return seen[0]!;
}

describe('proposeMatter', () => {
  it('records a matter PROPOSED at version 1, audited, hidden from the public', async () => {
    const input = proposal({ idempotencyKey: 'propose-happy', title: ' 社区长者饭堂选址 ', votesFor: 7, votesAgainst: 0, abstentions: 1 });
    const { proposeMatter: result } = await h.data(propose, { input }, writer);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    const expected = {
      title: '社区长者饭堂选址',
      stage: 'PROPOSED',
      version: 1,
      community: { id: committee.communityId },
      residentsCommittee: { id: committee.id },
      stages: [
        { stage: 'PROPOSED', heldOn: '2020-03-02', body: '社区党委', minutesRef: 'MIN-TEST-1', votes: { for: 7, against: 0, abstain: 1 } },
      ],
    };
    expect(result.matter).toMatchObject(expected);
    expect((await h.data(readMatter, { id: result.matter.id }, analyst)).matter).toMatchObject(expected);
    expect(await publiclyVisible(result.matter.id)).toBe(false);
    const audit = await auditEntries(result.matter.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entityType: 'Matter',
      operation: 'proposeMatter',
      actorRole: 'staff',
      actor: 'clerk-2',
      before: null,
    });
    expect(JSON.parse(audit[0].after)).toMatchObject({
      id: result.matter.id,
      stage: 'PROPOSED',
      version: 1,
      step: { minutesRef: 'MIN-TEST-1', votesFor: 7 },
    });

    const again = await h.data(propose, { input }, writer);
    expect(again.proposeMatter).toMatchObject({ replayed: true, matter: { id: result.matter.id } });
  });

  it('answers every bad input with a field error, and changes nothing', async () => {
    const before = await allCounts();
    const cases: [Record<string, unknown>, [string[], string][]][] = [
      [{ title: '  ' }, [[['title'], 'REQUIRED']]],
      [{ title: 'x'.repeat(201) }, [[['title'], 'INVALID']]],
      [{ summary: '' }, [[['summary'], 'REQUIRED']]],
      [{ body: ' ' }, [[['body'], 'REQUIRED']]],
      [{ minutes: '' }, [[['minutes'], 'REQUIRED']]],
      [{ idempotencyKey: '' }, [[['idempotencyKey'], 'REQUIRED']]],
      [{ residentsCommitteeId: '' }, [[['residentsCommitteeId'], 'REQUIRED']]],
      [
        { votesFor: 3 },
        [
          [['votesAgainst'], 'REQUIRED'],
          [['abstentions'], 'REQUIRED'],
        ],
      ],
      [{ votesFor: 3, votesAgainst: -1, abstentions: 0 }, [[['votesAgainst'], 'INVALID']]],
      [{ communityId: 'com-elsewhere' }, [[['communityId'], 'INVALID']]],
    ];
    for (const [change, expected] of cases) {
      const { proposeMatter: result } = await h.data(propose, { input: proposal(change) }, writer);
      expect(result.matter, JSON.stringify(change)).toBeNull();
      expect(codes(result.errors), JSON.stringify(change)).toEqual(expected);
    }
    expect(await allCounts()).toEqual(before);
  });

  it('answers 50 concurrent retries with one matter, the same to each', async () => {
    const before = await Promise.all([rowsOf('matters'), rowsOf('matter_stages')]);
    const input = proposal({ idempotencyKey: 'propose-retry-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(propose, { input }, writer)));
    const ids = new Set(answers.map((a: any) => a.proposeMatter.matter.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.proposeMatter.replayed)).toHaveLength(1);
    expect(await Promise.all([rowsOf('matters'), rowsOf('matter_stages')])).toEqual([before[0]! + 1, before[1]! + 1]);
  });
});

describe('advanceMatter', () => {
  it('takes 四议两公开 step by step, each audited, and the public sees the matter exactly from RESOLUTION_PUBLISHED on', async () => {
    const { id } = await proposed();
    let version = 1;
    for (const stage of ['DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED']) {
      const matter = await advanced(id, version, stage);
      version += 1;
      expect(matter).toMatchObject({ stage, version });
      const last = matter.stages.at(-1);
      expect(last).toMatchObject({ stage, heldOn: steps[stage]!.on, body: steps[stage]!.body, minutesRef: steps[stage]!.minutes });
      expect(last.votes).toEqual(
        steps[stage]!.votesFor === undefined
          ? null
          : { for: steps[stage]!.votesFor, against: steps[stage]!.votesAgainst, abstain: steps[stage]!.abstentions },
      );
      expect(await publiclyVisible(id), stage).toBe(stage === 'RESOLUTION_PUBLISHED' || stage === 'RESULT_PUBLISHED');
    }
    const { matter } = await h.data(readMatter, { id }, publicCaller);
    expect(matter.stages.map((s: any) => s.stage)).toEqual([
      'PROPOSED',
      'DISCUSSED',
      'REVIEWED',
      'RESOLVED',
      'RESOLUTION_PUBLISHED',
      'RESULT_PUBLISHED',
    ]);
    const audit = await auditEntries(id);
    expect(audit.map((e: any) => e.operation)).toEqual([
      'proposeMatter',
      'advanceMatter',
      'advanceMatter',
      'advanceMatter',
      'advanceMatter',
      'advanceMatter',
    ]);
    expect(JSON.parse(audit[3].before)).toMatchObject({ id, stage: 'REVIEWED', version: 3 });
    expect(JSON.parse(audit[3].after)).toMatchObject({ id, stage: 'RESOLVED', version: 4, step: { stage: 'RESOLVED', votesFor: 40 } });

    // Finished: no step after the result's publication.
    const { advanceMatter } = await h.data(advance, { input: step(id, version, 'RESULT_PUBLISHED') }, writer);
    expect(codes(advanceMatter.errors)).toEqual([[['stage'], 'ILLEGAL_TRANSITION']]);
  });

  it('refuses a skipped, repeated or earlier stage, a date before the last step, and a step its rules do not allow; nothing changes', async () => {
    const { id } = await proposed();
    await advanced(id, 1, 'DISCUSSED');
    await advanced(id, 2, 'REVIEWED');
    const before = await allCounts();
    const cases: [Record<string, unknown>, [string[], string][]][] = [
      // Skipping: RESOLUTION_PUBLISHED before RESOLVED.
      [step(id, 3, 'RESOLUTION_PUBLISHED'), [[['stage'], 'ILLEGAL_TRANSITION']]],
      [step(id, 3, 'RESULT_PUBLISHED'), [[['stage'], 'ILLEGAL_TRANSITION']]],
      // Taken again, or backwards.
      [step(id, 3, 'REVIEWED'), [[['stage'], 'ILLEGAL_TRANSITION']]],
      [step(id, 3, 'DISCUSSED'), [[['stage'], 'ILLEGAL_TRANSITION']]],
      [step(id, 3, 'PROPOSED', steps.RESOLUTION_PUBLISHED), [[['stage'], 'ILLEGAL_TRANSITION']]],
      // Dates never go backwards.
      [step(id, 3, 'RESOLVED', { on: '2020-03-15' }), [[['on'], 'INVALID']]],
      // A vote is required, must carry, and counts are whole numbers.
      [step(id, 3, 'RESOLVED', { votesFor: null, votesAgainst: null, abstentions: null }), [[['votesFor'], 'REQUIRED']]],
      [step(id, 3, 'RESOLVED', { votesFor: 20, votesAgainst: 15, abstentions: 5 }), [[['votesFor'], 'INVALID']]],
      [step(id, 3, 'RESOLVED', { votesAgainst: -2 }), [[['votesAgainst'], 'INVALID']]],
      [step(id, 3, 'RESOLVED', { abstentions: null }), [[['abstentions'], 'REQUIRED']]],
      [step(id, 3, 'RESOLVED', { minutes: ' ' }), [[['minutes'], 'REQUIRED']]],
      [step(id, 3, 'RESOLVED', { body: '' }), [[['body'], 'REQUIRED']]],
      // Stale version, unknown matter.
      [step(id, 2, 'RESOLVED'), [[['expectedVersion'], 'CONFLICT']]],
      [step('mat-none', 3, 'RESOLVED'), [[['id'], 'NOT_FOUND']]],
    ];
    for (const [input, expected] of cases) {
      const { advanceMatter: result } = await h.data(advance, { input }, writer);
      expect(result.matter, JSON.stringify(input)).toBeNull();
      expect(codes(result.errors), JSON.stringify(input)).toEqual(expected);
    }
    expect(await allCounts()).toEqual(before);
    expect((await h.data(readMatter, { id }, writer)).matter).toMatchObject({ stage: 'REVIEWED', version: 3 });

    // A publication is not voted on.
    await advanced(id, 3, 'RESOLVED');
    const voted = await h.data(
      advance,
      { input: step(id, 4, 'RESOLUTION_PUBLISHED', { votesFor: 1, votesAgainst: 0, abstentions: 0 }) },
      writer,
    );
    expect(codes(voted.advanceMatter.errors)).toEqual([
      [['votesFor'], 'INVALID'],
      [['votesAgainst'], 'INVALID'],
      [['abstentions'], 'INVALID'],
    ]);
    expect(await publiclyVisible(id)).toBe(false);
  });

  it('lets one of 50 concurrent steps with the same expectedVersion through: 49 CONFLICT, one stage, one audit entry', async () => {
    const { id } = await proposed();
    const stagesBefore = await rowsOf('matter_stages');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.data(advance, { input: step(id, 1, 'DISCUSSED', { minutes: `MIN-RACE-${i}` }) }, writer)),
    );
    const won = answers.filter((a: any) => a.advanceMatter.errors.length === 0);
    expect(won).toHaveLength(1);
    const lost = answers.filter((a: any) => a.advanceMatter.errors.length > 0);
    expect(lost).toHaveLength(49);
    for (const a of lost) expect(codes(a.advanceMatter.errors)).toEqual([[['expectedVersion'], 'CONFLICT']]);
    const { matter } = await h.data(readMatter, { id }, writer);
    expect(matter).toMatchObject({ stage: 'DISCUSSED', version: 2 });
    expect(matter.stages.at(-1).minutesRef).toBe((won[0] as any).advanceMatter.matter.stages.at(-1).minutesRef);
    expect(await rowsOf('matter_stages')).toBe(stagesBefore + 1);
    expect((await auditEntries(id)).filter((e: any) => e.operation === 'advanceMatter')).toHaveLength(1);
  });

  it('takes the next step of a matter of the reference dataset, from its seeded version 1', async () => {
    const seeded = await h.one<{ id: string; heldOn: string }>(sql`
      select m.id, max(s.held_on)::text as "heldOn" from elections.matters m join elections.matter_stages s on s.matter_id = m.id
       where not exists (select from elections.audit_log a where a.entity_id = m.id)
       group by m.id having max(s.stage) = 'RESOLVED' order by m.id limit 1`);
    expect(await publiclyVisibleSomewhere(seeded.id)).toBe(false);
    const { advanceMatter } = await h.data(advance, { input: step(seeded.id, 1, 'RESOLUTION_PUBLISHED', { on: seeded.heldOn }) }, writer);
    expect(advanceMatter.errors).toEqual([]);
    expect(advanceMatter.matter).toMatchObject({ stage: 'RESOLUTION_PUBLISHED', version: 2 });
    expect(await publiclyVisibleSomewhere(seeded.id)).toBe(true);
  });
});

/** Whether the public can read the matter by its id (for matters outside the test committee). */
async function publiclyVisibleSomewhere(id: string): Promise<boolean> {
  return (await h.data(`query($id: ID!) { matter(id: $id) { id } }`, { id }, publicCaller)).matter !== null;
}

describe('who may write', () => {
  it('refuses proposeMatter and advanceMatter to the public, partners, analysts and staff without write:elections', async () => {
    const { id } = await proposed();
    const before = await allCounts();
    for (const caller of [publicCaller, analyst, partner, staff(['read:personal', 'write:services'])]) {
      for (const [field, mutation, input] of [
        ['proposeMatter', propose, proposal({ idempotencyKey: 'forbidden' })],
        ['advanceMatter', advance, step(id, 1, 'DISCUSSED')],
      ] as const) {
        const result = await h.query(mutation, { input }, caller);
        expect(result.data?.[field] ?? null, `${caller.role} ${field}`).toBeNull();
        expect(
          result.errors?.map((e) => e.extensions?.code),
          `${caller.role} ${field}`,
        ).toEqual(['FORBIDDEN']);
      }
    }
    expect(await allCounts()).toEqual(before);
    expect((await h.data(readMatter, { id }, writer)).matter).toMatchObject({ stage: 'PROPOSED', version: 1 });
  });
});
