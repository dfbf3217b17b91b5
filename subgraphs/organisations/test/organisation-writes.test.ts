import { creditCode } from '@gongzhi/dataset';
import { adminCaller } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useSeededOrganisations } from './harness.ts';
import { auditOf, expectForbidden, expectProblem, payloadOf, rowsOf, whileLocked } from './writes.ts';

const h = useSeededOrganisations();

const fields = `id kind name nameEn creditCode version foundedOn community { id } residentsCommittee { id } contact { phone email address website }`;
const create = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { replayed errors { path code message } organisation { ${fields} } } }`;
const update = `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { errors { path code message } organisation { ${fields} } } }`;
const read = `query($id: ID!) { organisation(id: $id) { ${fields} } }`;

/** 新安's first community, its only residents' committee, and the second community's committee. */
const community = 'com-440306001001';
const committee = 'rc-440306001201';
const otherCommittee = 'rc-440306001202';
const tables = ['organisations', 'audit_log', 'idempotency_keys'];
const counts = () => Promise.all(tables.map((table) => rowsOf(h, table)));

describe('createOrganisation', () => {
  it('registers an organisation, answers it with version 1, and audits it', async () => {
    const input = {
      kind: 'SOCIAL_ORGANISATION',
      name: ' 新安邻里互助社 ',
      nameEn: 'Xin’an Neighbourhood Mutual Aid',
      creditCode: creditCode('52', 990001).toLowerCase(),
      communityId: community,
      contact: { phone: '0755-27001234', email: 'help@example.org', address: '  ', website: 'https://example.org' },
      foundedOn: '2019-05-01',
      idempotencyKey: 'create-happy',
    };
    const result = await payloadOf(h, create, 'createOrganisation', input);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    const expected = {
      kind: 'SOCIAL_ORGANISATION',
      name: '新安邻里互助社',
      creditCode: creditCode('52', 990001),
      version: 1,
      foundedOn: '2019-05-01',
      community: { id: community },
      residentsCommittee: null,
      contact: { phone: '0755-27001234', email: 'help@example.org', address: null, website: 'https://example.org' },
    };
    expect(result.organisation).toMatchObject(expected);
    expect((await h.data(read, { id: result.organisation.id })).organisation).toEqual(result.organisation);
    const listed = await h.data(
      `query($id: ID!) { community(id: $id) { organisations(kind: SOCIAL_ORGANISATION, first: 100) { edges { node { id } } } } }`,
      { id: community },
    );
    expect(listed.community.organisations.edges.map((e: any) => e.node.id)).toContain(result.organisation.id);
    const audit = await auditOf(h, result.organisation.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ operation: 'createOrganisation', actorRole: 'staff', actor: 'clerk-1', before: null });
    expect(audit[0]!.after).toMatchObject({ id: result.organisation.id, name: '新安邻里互助社', communityId: community, version: 1 });
  });

  it('registers a community body in its community', async () => {
    const result = await payloadOf(h, create, 'createOrganisation', {
      kind: 'OWNERS_COMMITTEE',
      name: '某小区业主委员会',
      communityId: community,
      idempotencyKey: 'owners',
    });
    expect(result.errors).toEqual([]);
    expect(result.organisation).toMatchObject({
      kind: 'OWNERS_COMMITTEE',
      community: { id: community },
      creditCode: null,
      contact: { phone: null },
    });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const taken = (
      await h.one<{ code: string }>(sql`select credit_code as code from organisations.organisations where id = 'org-ws-440306001001'`)
    ).code;
    const base = { kind: 'SOCIAL_ORGANISATION', name: '某社会组织', idempotencyKey: 'bad' };
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ name: '   ' }, ['name'], 'REQUIRED'],
      [{ name: '名'.repeat(201) }, ['name'], 'INVALID'],
      [{ nameEn: 'x'.repeat(201) }, ['nameEn'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
      [{ creditCode: '5244030600099000IO' }, ['creditCode'], 'INVALID'],
      [
        { creditCode: `${creditCode('52', 990002).slice(0, 17)}${creditCode('52', 990002).endsWith('0') ? '1' : '0'}` },
        ['creditCode'],
        'INVALID',
      ],
      [{ contact: { phone: 'call me' } }, ['contact', 'phone'], 'INVALID'],
      [{ contact: { email: 'nobody' } }, ['contact', 'email'], 'INVALID'],
      [{ contact: { website: 'example.org' } }, ['contact', 'website'], 'INVALID'],
      [{ contact: { address: '路'.repeat(201) } }, ['contact', 'address'], 'INVALID'],
      [{ foundedOn: '2999-01-01' }, ['foundedOn'], 'INVALID'],
      [{ kind: 'RESIDENTS_COUNCIL', communityId: community }, ['residentsCommitteeId'], 'REQUIRED'],
      [{ kind: 'WORKSTATION' }, ['communityId'], 'REQUIRED'],
      [{ kind: 'GOVERNMENT_DEPARTMENT', communityId: community }, ['communityId'], 'INVALID'],
      [{ residentsCommitteeId: committee }, ['residentsCommitteeId'], 'INVALID'],
      [{ communityId: 'com-none' }, ['communityId'], 'NOT_FOUND'],
      [{ kind: 'SUPERVISION_COMMITTEE', residentsCommitteeId: 'rc-none' }, ['residentsCommitteeId'], 'NOT_FOUND'],
      [
        { kind: 'SUPERVISION_COMMITTEE', residentsCommitteeId: otherCommittee, communityId: community },
        ['residentsCommitteeId'],
        'INVALID',
      ],
      [{ creditCode: taken }, ['creditCode'], 'CONFLICT'],
      [{ kind: 'WORKSTATION', communityId: community }, ['kind'], 'CONFLICT'],
      [{ kind: 'PARTY_COMMITTEE', communityId: community }, ['kind'], 'CONFLICT'],
      [{ kind: 'RESIDENTS_COUNCIL', residentsCommitteeId: committee }, ['kind'], 'CONFLICT'],
    ];
    const before = await counts();
    for (const [change, path, code] of cases) {
      expectProblem(await payloadOf(h, create, 'createOrganisation', { ...base, ...change }), 'organisation', path, code, change);
    }
    expect(await counts()).toEqual(before);
  });

  it('is refused to the public, analysts, partners and staff without write:organisations', async () => {
    const before = await counts();
    await expectForbidden(h, create, (caller) => ({
      kind: 'SOCIAL_ORGANISATION',
      name: '某社会组织',
      idempotencyKey: `forbidden-${caller.role}`,
    }));
    expect(await counts()).toEqual(before);
  });

  it('answers 50 concurrent retries of one create with one organisation, the same to each', async () => {
    const before = await rowsOf(h, 'organisations');
    const input = { kind: 'CHARITY_FUND', name: '重试慈善基金', creditCode: creditCode('53', 990003), idempotencyKey: 'retry-50' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => payloadOf(h, create, 'createOrganisation', input)));
    expect(answers.every((answer) => answer.errors.length === 0)).toBe(true);
    const ids = new Set(answers.map((answer) => answer.organisation.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    expect(await rowsOf(h, 'organisations')).toBe(before + 1);
    expect(await auditOf(h, [...ids][0]!)).toHaveLength(1);
    const again = await payloadOf(h, create, 'createOrganisation', input);
    expect(again).toMatchObject({ replayed: true, organisation: { id: [...ids][0] } });
    // Another caller's key is its own: the same key from an admin creates (and is refused on the credit code).
    expectProblem(
      await payloadOf(h, create, 'createOrganisation', input, adminCaller),
      'organisation',
      ['creditCode'],
      'CONFLICT',
      'admin',
    );
  });
});

describe('updateOrganisation', () => {
  const id = 'org-so-020';

  it('changes the fields given, keeps the rest, clears what is set to null, bumps the version and audits before → after', async () => {
    const before = (await h.data(read, { id })).organisation;
    expect(before.version).toBe(1);
    const input = {
      id,
      expectedVersion: 1,
      name: ' 宝安区彩虹社工服务中心 ',
      nameEn: null,
      contact: { email: 'rainbow@example.org', website: null },
    };
    const result = await payloadOf(h, update, 'updateOrganisation', input);
    expect(result.errors).toEqual([]);
    expect(result.organisation).toEqual({
      ...before,
      name: '宝安区彩虹社工服务中心',
      nameEn: null,
      version: 2,
      contact: { ...before.contact, email: 'rainbow@example.org', website: null },
    });
    expect((await h.data(read, { id })).organisation).toEqual(result.organisation);
    const audit = await auditOf(h, id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ operation: 'updateOrganisation', actor: 'clerk-1' });
    expect(audit[0]!.before).toMatchObject({ name: before.name, nameEn: before.nameEn, version: 1 });
    expect(audit[0]!.after).toMatchObject({ name: '宝安区彩虹社工服务中心', nameEn: null, email: 'rainbow@example.org', version: 2 });
  });

  it('answers every bad input with a field error, and changes nothing', async () => {
    const current = (await h.data(read, { id })).organisation;
    const taken = (await h.one<{ code: string }>(sql`select credit_code as code from organisations.organisations where id = 'org-so-021'`))
      .code;
    const base = { id, expectedVersion: current.version };
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ id: 'org-none' }, ['id'], 'NOT_FOUND'],
      [{ name: null }, ['name'], 'REQUIRED'],
      [{ name: ' ' }, ['name'], 'REQUIRED'],
      [{ creditCode: 'ABC' }, ['creditCode'], 'INVALID'],
      [{ contact: { email: 'a@b' } }, ['contact', 'email'], 'INVALID'],
      [{ foundedOn: '2999-12-31' }, ['foundedOn'], 'INVALID'],
      [{ creditCode: taken }, ['creditCode'], 'CONFLICT'],
      [{ expectedVersion: current.version - 1, name: 'stale' }, ['expectedVersion'], 'CONFLICT'],
      [{ expectedVersion: current.version + 1, name: 'ahead' }, ['expectedVersion'], 'CONFLICT'],
    ];
    const before = await counts();
    for (const [change, path, code] of cases) {
      expectProblem(await payloadOf(h, update, 'updateOrganisation', { ...base, ...change }), 'organisation', path, code, change);
    }
    expect(await counts()).toEqual(before);
    expect((await h.data(read, { id })).organisation).toEqual(current);
  });

  it('is refused to the public, analysts, partners and staff without write:organisations', async () => {
    const current = (await h.data(read, { id: 'org-so-010' })).organisation;
    await expectForbidden(h, update, () => ({ id: 'org-so-010', expectedVersion: current.version, name: 'taken over' }));
    expect((await h.data(read, { id: 'org-so-010' })).organisation).toEqual(current);
    expect(await auditOf(h, 'org-so-010')).toEqual([]);
  });

  it('lets exactly one of 50 concurrent updates from the same version win; the rest are told to reload', async () => {
    const target = 'org-so-030';
    const { version } = (await h.data(read, { id: target })).organisation;
    const answers = await whileLocked(h, 'organisations', target, () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          payloadOf(h, update, 'updateOrganisation', { id: target, expectedVersion: version, name: `并发名称 ${i}` }),
        ),
      ),
    );
    const winners = answers.filter((answer) => answer.errors.length === 0);
    expect(winners).toHaveLength(1);
    const losers = answers.filter((answer) => answer.errors.length > 0);
    expect(
      losers.every(
        (answer) => answer.organisation === null && answer.errors[0].code === 'CONFLICT' && answer.errors[0].path[0] === 'expectedVersion',
      ),
    ).toBe(true);
    const after = (await h.data(read, { id: target })).organisation;
    expect(after).toMatchObject({ version: version + 1, name: winners[0].organisation.name });
    expect(await auditOf(h, target)).toHaveLength(1);
  });

  it('is allowed to admins', async () => {
    const { version } = (await h.data(read, { id: 'org-so-040' })).organisation;
    const result = await payloadOf(
      h,
      update,
      'updateOrganisation',
      { id: 'org-so-040', expectedVersion: version, foundedOn: null },
      adminCaller,
    );
    expect(result).toMatchObject({ errors: [], organisation: { foundedOn: null, version: version + 1 } });
    expect((await auditOf(h, 'org-so-040'))[0]).toMatchObject({ actorRole: 'admin' });
  });
});
