import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useSeededOrganisations } from './harness.ts';
import { auditOf, expectForbidden, expectProblem, payloadOf, rowsOf, whileLocked } from './writes.ts';

const h = useSeededOrganisations();

const move = `mutation($input: MoveCommunityInput!) { moveCommunity(input: $input) { errors { path code message }
  community { id version placements { validFrom validTo subdistrict { id } } } } }`;

/** 新安 (in force since 2004), 西乡 (its neighbour) and 航城 (split from 西乡 on 2016-10-01). */
const xinan = 'sd-440306001';
const xixiang = 'sd-440306002';
const hangcheng = 'sd-440306003';
const community = (n: number) => `com-440306001${String(n).padStart(3, '0')}`;

/** What the graph answers about one community and the two sub-districts on each side of a date. */
async function picture(id: string, day: string, dayBefore: string) {
  const data = await h.data(
    `query($id: ID!, $before: Date!, $on: Date!) {
      community(id: $id) { version before: subdistrict(asOf: $before) { id } on: subdistrict(asOf: $on) { id } }
      before: subdistricts(asOf: $before) { id communities(first: 500) { totalCount edges { node { id } } } governance { communities residentsCommittees } }
      on: subdistricts(asOf: $on) { id communities(first: 500) { totalCount edges { node { id } } } governance { communities residentsCommittees } }
      district { before: governance(asOf: $before) { communities residentsCommittees } on: governance(asOf: $on) { communities residentsCommittees } } }`,
    { id, before: dayBefore, on: day },
  );
  const bySubdistrict = (list: any[]) =>
    Object.fromEntries(
      list.map((s) => [
        s.id,
        { count: s.communities.totalCount, ids: s.communities.edges.map((e: any) => e.node.id), governance: s.governance },
      ]),
    );
  return { community: data.community, before: bySubdistrict(data.before), on: bySubdistrict(data.on), district: data.district };
}

const placementRows = () => rowsOf(h, 'community_placements');
const versions = async () => (await h.one<{ n: number }>(sql`select sum(version)::int as n from organisations.communities`)).n;
const counts = () => Promise.all([placementRows(), rowsOf(h, 'audit_log'), versions()]);

describe('moveCommunity', () => {
  it('moves a community from a date: asOf questions before it answer the old sub-district, from it the new one', async () => {
    const id = community(1);
    const was = await picture(id, '2020-01-01', '2019-12-31');
    expect(was.community).toEqual({ version: 1, before: { id: xinan }, on: { id: xinan } });
    const committees = (
      await h.one<{ n: number }>(sql`select count(*)::int as n from organisations.residents_committees where community_id = ${id}`)
    ).n;

    const result = await payloadOf(h, move, 'moveCommunity', {
      communityId: id,
      toSubdistrictId: xixiang,
      from: '2020-01-01',
      expectedVersion: 1,
    });
    expect(result.errors).toEqual([]);
    expect(result.community).toEqual({
      id,
      version: 2,
      placements: [
        { validFrom: '2004-10-01', validTo: '2019-12-31', subdistrict: { id: xinan } },
        { validFrom: '2020-01-01', validTo: null, subdistrict: { id: xixiang } },
      ],
    });

    const now = await picture(id, '2020-01-01', '2019-12-31');
    expect(now.community).toEqual({ version: 2, before: { id: xinan }, on: { id: xixiang } });
    // The day before: as it was. From the date: one community (and its committees) moved across.
    expect(now.before).toEqual(was.before);
    expect(now.on[xinan]!.count).toBe(was.on[xinan]!.count - 1);
    expect(now.on[xinan]!.ids).not.toContain(id);
    expect(now.on[xixiang]!.count).toBe(was.on[xixiang]!.count + 1);
    expect(now.on[xixiang]!.ids).toContain(id);
    expect(now.on[xinan]!.governance).toEqual({
      communities: was.on[xinan]!.governance.communities - 1,
      residentsCommittees: was.on[xinan]!.governance.residentsCommittees - committees,
    });
    expect(now.on[xixiang]!.governance).toEqual({
      communities: was.on[xixiang]!.governance.communities + 1,
      residentsCommittees: was.on[xixiang]!.governance.residentsCommittees + committees,
    });
    expect(now.district).toEqual(was.district);
    // Today's lists follow too.
    const today = await h.data(
      `query($sd: ID!, $id: ID!) { communities(subdistrictId: $sd, first: 500) { edges { node { id } } } community(id: $id) { subdistrict { id } } }`,
      { sd: xixiang, id },
    );
    expect(today.communities.edges.map((e: any) => e.node.id)).toContain(id);
    expect(today.community.subdistrict).toEqual({ id: xixiang });

    const audit = await auditOf(h, id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ operation: 'moveCommunity', actor: 'clerk-1' });
    expect(audit[0]!.before).toMatchObject({ version: 1, placements: [{ subdistrictId: xinan, validFrom: '2004-10-01', validTo: null }] });
    expect(audit[0]!.after).toMatchObject({
      version: 2,
      placements: [
        { subdistrictId: xinan, validTo: '2019-12-31' },
        { subdistrictId: xixiang, validFrom: '2020-01-01', validTo: null },
      ],
    });

    // Moving back later adds a third period; the middle one still answers 西乡.
    const back = await payloadOf(h, move, 'moveCommunity', {
      communityId: id,
      toSubdistrictId: xinan,
      from: '2022-07-01',
      expectedVersion: 2,
    });
    expect(back.errors).toEqual([]);
    expect(back.community.placements.map((p: any) => [p.subdistrict.id, p.validFrom, p.validTo])).toEqual([
      [xinan, '2004-10-01', '2019-12-31'],
      [xixiang, '2020-01-01', '2022-06-30'],
      [xinan, '2022-07-01', null],
    ]);
    const across = await h.data(
      `query($id: ID!) { community(id: $id) { a: subdistrict(asOf: "2019-12-31") { id } b: subdistrict(asOf: "2022-06-30") { id } c: subdistrict(asOf: "2022-07-01") { id } } }`,
      { id },
    );
    expect(across.community).toEqual({ a: { id: xinan }, b: { id: xixiang }, c: { id: xinan } });
  });

  it('answers unknown ids, a move to where it is, a rewrite of history and a sub-district not yet in force with field errors, and changes nothing', async () => {
    const base = { communityId: community(2), toSubdistrictId: xixiang, from: '2020-01-01', expectedVersion: 1 };
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ communityId: 'com-none' }, ['communityId'], 'NOT_FOUND'],
      [{ toSubdistrictId: 'sd-none' }, ['toSubdistrictId'], 'NOT_FOUND'],
      [{ toSubdistrictId: xinan }, ['toSubdistrictId'], 'INVALID'],
      [{ from: '2004-10-01' }, ['from'], 'ILLEGAL_TRANSITION'],
      [{ toSubdistrictId: hangcheng, from: '2010-01-01' }, ['toSubdistrictId'], 'INVALID'],
      [{ expectedVersion: 2 }, ['expectedVersion'], 'CONFLICT'],
      // A community of a split sub-district: its current placement started on the split.
      [{ communityId: 'com-440306003001', from: '2016-10-01' }, ['from'], 'ILLEGAL_TRANSITION'],
      [{ communityId: 'com-440306003001', toSubdistrictId: hangcheng }, ['toSubdistrictId'], 'INVALID'],
    ];
    const before = await counts();
    const placements = async () =>
      (
        await h.data(`query($id: ID!) { community(id: $id) { version placements { validFrom validTo subdistrict { id } } } }`, {
          id: community(2),
        })
      ).community;
    const was = await placements();
    for (const [change, path, code] of cases) {
      expectProblem(await payloadOf(h, move, 'moveCommunity', { ...base, ...change }), 'community', path, code, change);
    }
    // Every problem at once: before the current placement, and before 西乡 existed.
    const both = await payloadOf(h, move, 'moveCommunity', { ...base, from: '2001-01-01' });
    expect(both.errors.map((e: any) => [e.path, e.code])).toEqual([
      [['toSubdistrictId'], 'INVALID'],
      [['from'], 'ILLEGAL_TRANSITION'],
    ]);
    expect(await counts()).toEqual(before);
    expect(await placements()).toEqual(was);
  });

  it('refuses to start a move on or before the start of a placement it added', async () => {
    const id = community(4);
    expect(
      (await payloadOf(h, move, 'moveCommunity', { communityId: id, toSubdistrictId: xixiang, from: '2020-01-01', expectedVersion: 1 }))
        .errors,
    ).toEqual([]);
    const before = await counts();
    for (const from of ['2019-06-01', '2020-01-01']) {
      expectProblem(
        await payloadOf(h, move, 'moveCommunity', { communityId: id, toSubdistrictId: xinan, from, expectedVersion: 2 }),
        'community',
        ['from'],
        'ILLEGAL_TRANSITION',
        from,
      );
    }
    expectProblem(
      await payloadOf(h, move, 'moveCommunity', { communityId: id, toSubdistrictId: xixiang, from: '2021-01-01', expectedVersion: 2 }),
      'community',
      ['toSubdistrictId'],
      'INVALID',
      'same',
    );
    expect(await counts()).toEqual(before);
  });

  it('is refused to the public, analysts, partners and staff without write:organisations', async () => {
    const before = await counts();
    await expectForbidden(h, move, () => ({ communityId: community(5), toSubdistrictId: xixiang, from: '2020-01-01', expectedVersion: 1 }));
    expect(await counts()).toEqual(before);
    expect(await auditOf(h, community(5))).toEqual([]);
  });

  it('lets exactly one of 50 concurrent moves from the same version win; the rest are told to reload', async () => {
    const id = community(3);
    const before = await placementRows();
    const answers = await whileLocked(h, 'communities', id, () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          payloadOf(h, move, 'moveCommunity', {
            communityId: id,
            toSubdistrictId: xixiang,
            from: `2020-03-${String(1 + (i % 28)).padStart(2, '0')}`,
            expectedVersion: 1,
          }),
        ),
      ),
    );
    const winners = answers.filter((answer) => answer.errors.length === 0);
    expect(winners).toHaveLength(1);
    expect(
      answers.filter((answer) => answer.errors[0]?.code === 'CONFLICT' && answer.errors[0].path[0] === 'expectedVersion'),
    ).toHaveLength(49);
    expect(await placementRows()).toBe(before + 1);
    expect(winners[0].community.version).toBe(2);
    expect(await auditOf(h, id)).toHaveLength(1);
  });
});
