import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import { describe, expect, it } from 'vitest';
import { sql, useSeededFunding } from './harness.ts';

const h = useSeededFunding();
const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-2',
  organisationId: null,
  department: 'civil-affairs',
  scopes,
});
const writer = staff(['write:funding']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:funding'] };
const refused = [publicCaller, analyst, partner, staff(['read:personal'])];

const supportProgramme = 'prog-social-organisation-support';
const microProgramme = 'prog-micro-projects';

const grantFields = `id title status version year awardedOn plannedStart plannedEnd amountAwarded { amount } programme { id } funder { id }
  recipient { id } implementer { id } beneficiaryCommunity { id } microProject { id } balance { committed { amount } disbursed { amount } }`;
const create = `mutation($input: CreateGrantInput!) { createGrant(input: $input) { replayed errors { path code message } grant { ${grantFields} } } }`;
const step = (name: string) =>
  `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { errors { path code message } grant { id status version } } }`;
const auditOf = `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { entityType operation actorRole actor before after } } } }`;

const count = async (table: 'grants' | 'transactions' | 'audit_log' | 'idempotency_keys') =>
  (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`funding.${table}`)}`)).n;
const counts = () => Promise.all([count('grants'), count('transactions'), count('audit_log'), count('idempotency_keys')]);
const grantRow = (id: string) =>
  h.one<{ status: string; version: number }>(sql`select status::text, version from funding.grants where id = ${id}`);

/** A community's micro-project budget of 2019, its sub-district, and what grants (but cancelled ones) leave of it. */
async function budgetWithRoom(offset = 0) {
  return h.one<{ community: string; subdistrict: string; left: number }>(sql`
    select b.community_id as community, b.subdistrict_id as subdistrict,
           (b.amount_fen - coalesce((select sum(g.amount_fen) from funding.grants g where g.programme_id = b.programme_id
              and g.beneficiary_community_id = b.community_id and g.year = b.year and g.status <> 'CANCELLED'), 0))::float8 as left
      from funding.budgets b where b.programme_id = ${microProgramme} and b.year = 2019
     order by b.community_id limit 1 offset ${offset}`);
}

let keys = 0;
const baseInput = (community: string) => ({
  programmeId: supportProgramme,
  recipientOrganisationId: 'org-so-020',
  communityId: community,
  title: ' 长者助餐服务 ',
  amount: 50_000_00,
  awardedOn: '2019-05-06',
  idempotencyKey: `grant-${++keys}`,
});

async function createdGrant(change: Record<string, unknown> = {}) {
  const { community } = await budgetWithRoom();
  const { createGrant: result } = await h.data(create, { input: { ...baseInput(community), ...change } }, writer);
  expect(result.errors).toEqual([]);
  return result.grant as { id: string; status: string; version: number };
}

async function takeStep(name: string, id: string, expectedVersion: number, caller: Caller = writer) {
  return (await h.data(step(name), { input: { id, expectedVersion } }, caller))[name] as {
    errors: { path: string[]; code: string }[];
    grant: any;
  };
}

describe('createGrant', () => {
  it('awards a grant at version 1 with its commitment, audited, and reads it back', async () => {
    const { community, subdistrict } = await budgetWithRoom();
    const before = await counts();
    const input = baseInput(community);
    const { createGrant: result } = await h.data(create, { input }, writer);
    expect(result).toMatchObject({ replayed: false, errors: [] });
    const expected = {
      title: '长者助餐服务',
      status: 'AWARDED',
      version: 1,
      year: 2019,
      awardedOn: '2019-05-06',
      plannedStart: '2019-05-06',
      plannedEnd: '2019-12-31',
      amountAwarded: { amount: 50_000_00 },
      programme: { id: supportProgramme },
      funder: {
        id: (
          await h.one<{ funder: string }>(
            sql`select funder_organisation_id as funder from funding.programmes where id = ${supportProgramme}`,
          )
        ).funder,
      },
      recipient: { id: 'org-so-020' },
      implementer: { id: 'org-so-020' },
      beneficiaryCommunity: { id: community },
      microProject: null,
      balance: { committed: { amount: 50_000_00 }, disbursed: { amount: 0 } },
    };
    expect(result.grant).toMatchObject(expected);
    const read = await h.data(`query($id: ID!) { grant(id: $id) { ${grantFields} } }`, { id: result.grant.id });
    expect(read.grant).toEqual(result.grant);
    // The sub-district is recorded at award, from where the budgets place the community that year.
    expect(await h.one(sql`select beneficiary_subdistrict_id as s from funding.grants where id = ${result.grant.id}`)).toEqual({
      s: subdistrict,
    });
    expect(await counts()).toEqual([before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 1]);

    const audit = (await h.data(auditOf, { id: result.grant.id }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: 'Grant', operation: 'createGrant', actorRole: 'staff', actor: 'clerk-2', before: null });
    expect(JSON.parse(audit[0].after)).toMatchObject({
      id: result.grant.id,
      status: 'AWARDED',
      version: 1,
      amountFen: 50_000_00,
      beneficiarySubdistrictId: subdistrict,
    });
    const { id: commitment } = await h.one<{ id: string }>(sql`select id from funding.transactions where grant_id = ${result.grant.id}`);
    const committed = (await h.data(auditOf, { id: commitment }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node);
    expect(committed).toHaveLength(1);
    expect(JSON.parse(committed[0].after)).toMatchObject({ type: 'COMMITMENT', amountFen: 50_000_00, on: '2019-05-06' });
  });

  it('funds a micro-project from the micro-project fund, and a further grant to it benefits the same community', async () => {
    const { community } = await budgetWithRoom(1);
    const input = {
      ...baseInput(community),
      programmeId: microProgramme,
      microProjectId: 'mp-new-001',
      implementingOrganisationId: 'org-so-030',
      amount: 100,
    };
    const first = (await h.data(create, { input }, writer)).createGrant;
    expect(first.errors).toEqual([]);
    expect(first.grant).toMatchObject({
      microProject: { id: 'mp-new-001' },
      recipient: { id: 'org-so-020' },
      implementer: { id: 'org-so-030' },
    });
    const second = (await h.data(create, { input: { ...input, communityId: null, idempotencyKey: 'mp-second' } }, writer)).createGrant;
    expect(second.errors).toEqual([]);
    expect(second.grant.beneficiaryCommunity).toEqual({ id: community });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const { community, left } = await budgetWithRoom(2);
    const base = baseInput(community);
    const micro = { programmeId: microProgramme, microProjectId: 'mp-new-002' };
    const before = await counts();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ programmeId: 'prog-none' }, ['programmeId'], 'NOT_FOUND'],
      [{ programmeId: '  ' }, ['programmeId'], 'REQUIRED'],
      [{ recipientOrganisationId: '' }, ['recipientOrganisationId'], 'REQUIRED'],
      [{ implementingOrganisationId: ' ' }, ['implementingOrganisationId'], 'INVALID'],
      [{ title: '   ' }, ['title'], 'REQUIRED'],
      [{ title: '项'.repeat(201) }, ['title'], 'INVALID'],
      [{ title: 'a\u0000b' }, ['title'], 'INVALID'],
      [{ recipientOrganisationId: 'org-\u0000' }, ['recipientOrganisationId'], 'INVALID'],
      [{ amount: 0 }, ['amount'], 'INVALID'],
      [{ amount: -100 }, ['amount'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
      [{ awardedOn: '2999-01-04', plannedStart: '2999-01-04' }, ['awardedOn'], 'INVALID'],
      [{ awardedOn: '1899-12-30' }, ['awardedOn'], 'INVALID'],
      [{ year: 2017 }, ['year'], 'INVALID'],
      [{ plannedStart: '2019-05-05' }, ['plannedStart'], 'INVALID'],
      [{ plannedStart: '2019-06-01', plannedEnd: '2019-05-31' }, ['plannedEnd'], 'INVALID'],
      [{ plannedStart: '2020-02-01' }, ['plannedEnd'], 'INVALID'],
      [{ communityId: 'community-none' }, ['communityId'], 'NOT_FOUND'],
      [{ communityId: null }, ['communityId'], 'REQUIRED'],
      [{ microProjectId: 'mp-new-002' }, ['microProjectId'], 'INVALID'],
      [{ ...micro, amount: left + 1 }, ['amount'], 'LIMIT_EXCEEDED'],
    ];
    for (const [change, path, code] of cases) {
      const { createGrant: result } = await h.data(create, { input: { ...base, ...change } }, writer);
      expect(result.grant, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
      expect(result.errors[0].message.length, JSON.stringify(change)).toBeGreaterThan(5);
    }
    // Problems the slice finds in its rows are reported together.
    const both = (await h.data(create, { input: { ...base, programmeId: 'prog-none', communityId: 'community-none' } }, writer))
      .createGrant;
    expect(both.errors.map((e: any) => e.path)).toEqual([['programmeId'], ['communityId']]);
    expect(await counts()).toEqual(before);
  });

  it('keeps a programme’s budget: up to what is left, not a fen more; cancelling gives it back', async () => {
    const { community, left } = await budgetWithRoom(3);
    const input = { ...baseInput(community), programmeId: microProgramme, amount: left + 1 };
    expect((await h.data(create, { input }, writer)).createGrant.errors.map((e: any) => e.code)).toEqual(['LIMIT_EXCEEDED']);
    const all = (await h.data(create, { input: { ...input, amount: left, idempotencyKey: 'budget-all' } }, writer)).createGrant;
    expect(all.errors).toEqual([]);
    const one = (await h.data(create, { input: { ...input, amount: 1, idempotencyKey: 'budget-one' } }, writer)).createGrant;
    expect(one.errors.map((e: any) => [e.path, e.code])).toEqual([[['amount'], 'LIMIT_EXCEEDED']]);
    expect((await takeStep('cancelGrant', all.grant.id, 1)).errors).toEqual([]);
    expect(
      (await h.data(create, { input: { ...input, amount: left, idempotencyKey: 'budget-again' } }, writer)).createGrant.errors,
    ).toEqual([]);
  });

  it('never overspends a budget under concurrent awards', async () => {
    const { community, left } = await budgetWithRoom(4);
    const amount = Math.floor(left / 3);
    const before = await count('grants');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.data(create, { input: { ...baseInput(community), programmeId: microProgramme, amount, idempotencyKey: `race-${i}` } }, writer),
      ),
    );
    const won = answers.filter((a: any) => a.createGrant.errors.length === 0);
    expect(won).toHaveLength(3);
    expect(answers.filter((a: any) => a.createGrant.errors[0]?.code === 'LIMIT_EXCEEDED')).toHaveLength(7);
    expect(await count('grants')).toBe(before + 3);
    expect((await budgetWithRoom(4)).left).toBe(left - 3 * amount);
  });

  it('answers 50 concurrent retries of one create with one grant, the same to each', async () => {
    const { community } = await budgetWithRoom();
    const before = await counts();
    const input = { ...baseInput(community), idempotencyKey: 'create-retry-50' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(create, { input }, writer)));
    const ids = new Set(answers.map((a: any) => a.createGrant.grant.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.createGrant.replayed)).toHaveLength(1);
    expect(await counts()).toEqual([before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 1]);
    const again = await h.data(create, { input }, writer);
    expect(again.createGrant).toMatchObject({ replayed: true, errors: [], grant: { id: [...ids][0], version: 1 } });
  });

  it('is refused to the public, analysts, partners and staff without write:funding', async () => {
    const { community } = await budgetWithRoom();
    const before = await counts();
    for (const caller of refused) {
      const result = await h.query(create, { input: { ...baseInput(community), idempotencyKey: `forbidden-${caller.role}` } }, caller);
      expect(result.data ?? null, caller.role).toBeNull();
      expect(
        result.errors?.map((e) => e.extensions?.code),
        caller.role,
      ).toEqual(['FORBIDDEN']);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('grant status: activateGrant, closeGrant, cancelGrant', () => {
  it('walks AWARDED → ACTIVE → COMPLETED, one version per step, each audited before → after', async () => {
    const grant = await createdGrant();
    expect(await takeStep('activateGrant', grant.id, 1)).toEqual({ errors: [], grant: { id: grant.id, status: 'ACTIVE', version: 2 } });
    expect(await takeStep('closeGrant', grant.id, 2)).toEqual({ errors: [], grant: { id: grant.id, status: 'COMPLETED', version: 3 } });
    expect((await h.data(`query($id: ID!) { grant(id: $id) { status version } }`, { id: grant.id })).grant).toEqual({
      status: 'COMPLETED',
      version: 3,
    });
    const audit = (await h.data(auditOf, { id: grant.id }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node);
    expect(audit.map((e: any) => e.operation)).toEqual(['createGrant', 'activateGrant', 'closeGrant']);
    const states = audit.slice(1).map((e: any) => [JSON.parse(e.before), JSON.parse(e.after)].map((row) => [row.status, row.version]));
    expect(states).toEqual([
      [
        ['AWARDED', 1],
        ['ACTIVE', 2],
      ],
      [
        ['ACTIVE', 2],
        ['COMPLETED', 3],
      ],
    ]);
  });

  it('cancels an AWARDED or an ACTIVE grant, which then takes no more transactions', async () => {
    const awarded = await createdGrant();
    expect(await takeStep('cancelGrant', awarded.id, 1)).toMatchObject({ errors: [], grant: { status: 'CANCELLED', version: 2 } });
    const active = await createdGrant();
    await takeStep('activateGrant', active.id, 1);
    expect(await takeStep('cancelGrant', active.id, 2)).toMatchObject({ errors: [], grant: { status: 'CANCELLED', version: 3 } });
    const record = `mutation($input: RecordGrantTransactionInput!) { recordGrantTransaction(input: $input) { errors { path code } } }`;
    const input = {
      grantId: active.id,
      type: 'DISBURSEMENT',
      on: '2019-06-01',
      amount: 1,
      description: 'x',
      idempotencyKey: 'after-cancel',
    };
    expect((await h.data(record, { input }, writer)).recordGrantTransaction.errors).toEqual([
      { path: ['grantId'], code: 'ILLEGAL_TRANSITION' },
    ]);
  });

  it('refuses every step its state does not allow with ILLEGAL_TRANSITION, changing nothing', async () => {
    const awarded = await createdGrant();
    const active = await createdGrant();
    await takeStep('activateGrant', active.id, 1);
    const completed = await createdGrant();
    await takeStep('activateGrant', completed.id, 1);
    await takeStep('closeGrant', completed.id, 2);
    const cancelled = await createdGrant();
    await takeStep('cancelGrant', cancelled.id, 1);
    const illegal: [{ id: string }, string, number][] = [
      [awarded, 'closeGrant', 1],
      [active, 'activateGrant', 2],
      [completed, 'activateGrant', 3],
      [completed, 'closeGrant', 3],
      [completed, 'cancelGrant', 3],
      [cancelled, 'activateGrant', 2],
      [cancelled, 'closeGrant', 2],
      [cancelled, 'cancelGrant', 2],
    ];
    const before = await count('audit_log');
    for (const [grant, name, version] of illegal) {
      const stateBefore = await grantRow(grant.id);
      const result = await takeStep(name, grant.id, version);
      expect(result.grant, `${name} on ${stateBefore.status}`).toBeNull();
      expect(
        result.errors.map((e) => [e.path, e.code]),
        `${name} on ${stateBefore.status}`,
      ).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
      expect(await grantRow(grant.id)).toEqual(stateBefore);
    }
    expect(await count('audit_log')).toBe(before);
  });

  it('answers a stale expectedVersion with CONFLICT and an unknown grant with NOT_FOUND, changing nothing', async () => {
    const grant = await createdGrant();
    await takeStep('activateGrant', grant.id, 1);
    const before = await count('audit_log');
    for (const name of ['closeGrant', 'cancelGrant']) {
      expect((await takeStep(name, grant.id, 1)).errors.map((e) => [e.path, e.code])).toEqual([[['expectedVersion'], 'CONFLICT']]);
      expect((await takeStep(name, 'grant-none', 1)).errors.map((e) => [e.path, e.code])).toEqual([[['id'], 'NOT_FOUND']]);
    }
    expect(await grantRow(grant.id)).toEqual({ status: 'ACTIVE', version: 2 });
    expect(await count('audit_log')).toBe(before);
  });

  it('lets exactly one of 50 concurrent conflicting steps from one version through', async () => {
    const grant = await createdGrant();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => takeStep(i % 2 === 0 ? 'cancelGrant' : 'activateGrant', grant.id, 1)),
    );
    const won = answers.filter((a) => a.errors.length === 0);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.errors.length === 1 && a.errors[0]!.code === 'CONFLICT')).toHaveLength(49);
    expect(await grantRow(grant.id)).toEqual({ status: won[0]!.grant.status, version: 2 });
    const audit = (await h.data(auditOf, { id: grant.id }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node.operation);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toBe('createGrant');
  });

  it('is refused to the public, analysts, partners and staff without write:funding', async () => {
    const grant = await createdGrant();
    const before = await count('audit_log');
    for (const name of ['activateGrant', 'closeGrant', 'cancelGrant']) {
      for (const caller of refused) {
        const result = await h.query(step(name), { input: { id: grant.id, expectedVersion: 1 } }, caller);
        expect(result.data ?? null, `${name} ${caller.role}`).toBeNull();
        expect(
          result.errors?.map((e) => e.extensions?.code),
          `${name} ${caller.role}`,
        ).toEqual(['FORBIDDEN']);
      }
    }
    expect(await grantRow(grant.id)).toEqual({ status: 'AWARDED', version: 1 });
    expect(await count('audit_log')).toBe(before);
  });
});
