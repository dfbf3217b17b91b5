import { referenceDataset } from '@gongzhi/dataset';
import { adminCaller, today } from '@gongzhi/kit';
import { refusalOf } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { entities, useSeededPeople } from './harness.ts';
import { auditOf, clerk, counts, expectRefused, plainAdult, writer } from './writers.ts';

const h = useSeededPeople();

const appoint = `mutation($input: AppointMemberInput!) { appointMember(input: $input) {
  replayed errors { path code message } membership { id role validFrom validTo endReason version person { id } post { id } organisation { id } } } }`;
const end = `mutation($input: EndMembershipInput!) { endMembership(input: $input) {
  errors { path code message } membership { id validFrom validTo endReason version } } }`;
const postOf = (id: string) =>
  h
    .data(entities('Post', 'id holder { id } holders { id validFrom validTo }'), { representations: [{ __typename: 'Post', id }] })
    .then((d) => d._entities[0]);

/** Building-head seats nobody holds in the reference dataset (posts live in the organisations slice). */
const vacantPosts = (() => {
  const { structure, people, elections } = referenceDataset();
  const held = new Set([...people.memberships, ...elections.committeeMemberships].map((m) => m.postId));
  return structure.posts.filter((post) => post.role === 'BUILDING_HEAD' && !held.has(post.id));
})();

const dayBefore = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
};

/** A seeded membership still held, of a post nobody else's test touches. */
async function heldMembership(offset: number) {
  const [row] = await h.rows<{ id: string; person_id: string; post_id: string; organisation_id: string; valid_from: string }>(sql`
    select id, person_id, post_id, organisation_id, valid_from::text as valid_from from people.memberships
     where valid_to is null and role = 'COMMITTEE_DIRECTOR' order by id limit 1 offset ${offset}`);
  return row!;
}

describe('appointMember and endMembership', () => {
  it('refuses to appoint to a held post, ends the membership, then appoints the successor from the next day', async () => {
    const held = await heldMembership(0);
    const successor = await plainAdult(h, 0);
    const input = {
      personId: successor.id,
      postId: held.post_id,
      organisationId: held.organisation_id,
      from: today(),
      idempotencyKey: 'succession-1',
    };
    const before = await counts(h);
    const refused = await h.data(appoint, { input }, writer);
    expect(refused.appointMember).toMatchObject({ membership: null, errors: [{ path: ['postId'], code: 'CONFLICT' }] });
    expect(refused.appointMember.errors[0].message).toContain(held.id);
    expect(await counts(h)).toEqual(before);

    const yesterday = dayBefore(today());
    const ended = await h.data(end, { input: { id: held.id, expectedVersion: 1, on: yesterday, reason: ' Term over ' } }, writer);
    expect(ended.endMembership).toMatchObject({
      errors: [],
      membership: { id: held.id, validFrom: held.valid_from, validTo: yesterday, endReason: 'Term over', version: 2 },
    });
    const [entry] = await auditOf(h, held.id);
    expect(entry).toMatchObject({ entityType: 'Membership', operation: 'endMembership', actor: 'clerk-1' });
    expect(entry.before).toMatchObject({ validTo: null, version: 1, endReason: null });
    expect(entry.after).toMatchObject({ validTo: yesterday, version: 2, endReason: 'Term over' });
    expect((await postOf(held.post_id)).holder).toBeNull();

    // The successor may not start on a day the predecessor still held the post.
    const overlap = await h.data(appoint, { input: { ...input, from: yesterday, idempotencyKey: 'succession-overlap' } }, writer);
    expect(overlap.appointMember).toMatchObject({ membership: null, errors: [{ path: ['from'], code: 'INVALID' }] });

    const { appointMember: result } = await h.data(appoint, { input }, writer);
    expect(result).toMatchObject({ errors: [], replayed: false });
    // Role and organisation come from the post id.
    expect(result.membership).toMatchObject({
      role: 'COMMITTEE_DIRECTOR',
      validFrom: today(),
      validTo: null,
      endReason: null,
      version: 1,
      person: { id: successor.id },
      post: { id: held.post_id },
      organisation: { id: held.organisation_id },
    });
    const post = await postOf(held.post_id);
    expect(post.holder).toEqual({ id: successor.id });
    expect(post.holders.map((m: any) => m.id)).toEqual([held.id, result.membership.id]);
    const { person } = await h.data(`query($id: ID!) { person(id: $id) { memberships { id role } } }`, { id: successor.id });
    expect(person.memberships).toEqual([{ id: result.membership.id, role: 'COMMITTEE_DIRECTOR' }]);
    const [created] = await auditOf(h, result.membership.id);
    expect(created).toMatchObject({
      operation: 'appointMember',
      before: null,
      after: { id: result.membership.id, personId: successor.id, postId: held.post_id, validTo: null },
    });
  });

  it('refuses to end an ended membership (ILLEGAL_TRANSITION), or with a stale version (CONFLICT)', async () => {
    const held = await heldMembership(1);
    const first = await h.data(end, { input: { id: held.id, expectedVersion: 1, on: today(), reason: 'Resigned' } }, writer);
    expect(first.endMembership.errors).toEqual([]);
    const before = await counts(h);
    const again = await h.data(end, { input: { id: held.id, expectedVersion: 2, on: today(), reason: 'Resigned' } }, writer);
    expect(again.endMembership).toMatchObject({ membership: null, errors: [{ path: ['id'], code: 'ILLEGAL_TRANSITION' }] });
    const stale = await h.data(end, { input: { id: held.id, expectedVersion: 1, on: today(), reason: 'Resigned' } }, writer);
    expect(stale.endMembership).toMatchObject({ membership: null, errors: [{ path: ['expectedVersion'], code: 'CONFLICT' }] });
    expect(await counts(h)).toEqual(before);
    // A seeded membership ended by a by-election is ended too.
    const [seededEnd] = await h.rows<{ id: string }>(
      sql`select id from people.memberships where valid_to is not null and version = 1 order by id limit 1`,
    );
    const ended = await h.data(end, { input: { id: seededEnd!.id, expectedVersion: 1, on: today(), reason: 'x' } }, writer);
    expect(ended.endMembership.errors.map((e: any) => [e.path, e.code])).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const held = await heldMembership(2);
    const [minor] = await h.rows<{ id: string }>(sql`select id from people.persons where birth_year >= 2012 order by id limit 1`);
    const adult = await plainAdult(h, 1);
    const vacant = vacantPosts[0]!;
    const base = {
      personId: adult.id,
      postId: vacant.id,
      organisationId: vacant.organisationId,
      from: '2024-01-01',
      idempotencyKey: 'bad',
    };
    const before = await counts(h);
    const appointCases: [Record<string, unknown>, string[], string][] = [
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
      [{ personId: ' ' }, ['personId'], 'REQUIRED'],
      [{ personId: 'per-nobody' }, ['personId'], 'NOT_FOUND'],
      [{ personId: minor!.id }, ['from'], 'INVALID'],
      [{ postId: 'seat-1' }, ['postId'], 'INVALID'],
      [{ postId: 'post-ws-440306001001-mayor-1', organisationId: 'org-ws-440306001001' }, ['postId'], 'INVALID'],
      [{ organisationId: 'org-pc-440306001001' }, ['organisationId'], 'INVALID'],
      [{ from: '1900-01-01' }, ['from'], 'INVALID'],
      [{ from: '2999-01-01' }, ['from'], 'INVALID'],
    ];
    for (const [change, path, code] of appointCases) {
      const { appointMember: result } = await h.data(appoint, { input: { ...base, ...change } }, writer);
      expect(result.membership, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    const endCases: [Record<string, unknown>, string[], string][] = [
      [{ id: 'mem-nobody' }, ['id'], 'NOT_FOUND'],
      [{ reason: '  ' }, ['reason'], 'REQUIRED'],
      [{ reason: 'x'.repeat(501) }, ['reason'], 'INVALID'],
      [{ on: dayBefore(held.valid_from) }, ['on'], 'INVALID'],
      [{ on: '2999-12-31' }, ['on'], 'INVALID'],
      [{ expectedVersion: 7 }, ['expectedVersion'], 'CONFLICT'],
    ];
    for (const [change, path, code] of endCases) {
      const { endMembership: result } = await h.data(
        end,
        { input: { id: held.id, expectedVersion: 1, on: today(), reason: 'Moved away', ...change } },
        writer,
      );
      expect(result.membership, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await counts(h)).toEqual(before);
  });

  it('gives a post one holder at a time: sequentially, and when 50 different people are appointed to it at once', async () => {
    const vacant = vacantPosts[1]!;
    const people = await Promise.all(Array.from({ length: 50 }, (_, k) => plainAdult(h, 10 + k)));
    const before = await counts(h);
    const answers = await Promise.all(
      people.map((person, k) =>
        h.data(
          appoint,
          {
            input: {
              personId: person.id,
              postId: vacant.id,
              organisationId: vacant.organisationId,
              from: '2024-03-01',
              idempotencyKey: `crowd-${k}`,
            },
          },
          writer,
        ),
      ),
    );
    const won = answers.filter((a: any) => a.appointMember.errors.length === 0);
    expect(won).toHaveLength(1);
    expect(
      answers.filter((a: any) => a.appointMember.errors[0]?.code === 'CONFLICT' && a.appointMember.errors[0].path[0] === 'postId'),
    ).toHaveLength(49);
    const open = await h.rows<{ person_id: string }>(
      sql`select person_id from people.memberships where post_id = ${vacant.id} and valid_to is null`,
    );
    expect(open).toEqual([{ person_id: won[0]!.appointMember.membership.person.id }]);
    const after = await counts(h);
    expect([after.memberships, after.audit_log]).toEqual([before.memberships + 1, before.audit_log + 1]);

    // Sequentially: the next appointment is refused while the post is held.
    const next = await h.data(
      appoint,
      {
        input: {
          personId: people[0]!.id,
          postId: vacant.id,
          organisationId: vacant.organisationId,
          from: today(),
          idempotencyKey: 'crowd-late',
        },
      },
      writer,
    );
    expect(next.appointMember.errors.map((e: any) => [e.path, e.code])).toEqual([[['postId'], 'CONFLICT']]);
    // And the database refuses a second open membership whoever writes it.
    const refusal = await refusalOf(() =>
      h.database.asOwner((tx) =>
        tx.execute(sql`insert into people.memberships (id, person_id, post_id, organisation_id, role, valid_from)
          values ('mem-direct', ${people[1]!.id}, ${vacant.id}, ${vacant.organisationId}, 'BUILDING_HEAD', '2025-01-01')`),
      ),
    );
    expect(refusal).toContain('memberships_open_post_idx');
    const backwards = await refusalOf(() =>
      h.database.asOwner((tx) => tx.execute(sql`update people.memberships set valid_to = valid_from - 1 where post_id = ${vacant.id}`)),
    );
    expect(backwards).toContain('memberships_period_check');
  });

  it('answers 50 concurrent retries of one appointment with one membership, the same to each', async () => {
    const vacant = vacantPosts[2]!;
    const person = await plainAdult(h, 70);
    const before = await counts(h);
    const input = {
      personId: person.id,
      postId: vacant.id,
      organisationId: vacant.organisationId,
      from: '2024-05-01',
      idempotencyKey: 'appoint-retry-50',
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(appoint, { input }, clerk)));
    const ids = new Set(answers.map((a: any) => a.appointMember.membership.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.appointMember.replayed)).toHaveLength(1);
    expect((await counts(h)).memberships).toBe(before.memberships + 1);
  });

  it('lets exactly one of 50 concurrent ends with the same expectedVersion win', async () => {
    const held = await heldMembership(3);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        h.data(end, { input: { id: held.id, expectedVersion: 1, on: today(), reason: `reason ${k}` } }, writer),
      ),
    );
    expect(answers.filter((a: any) => a.endMembership.errors.length === 0)).toHaveLength(1);
    expect(answers.filter((a: any) => a.endMembership.errors[0]?.code === 'CONFLICT')).toHaveLength(49);
    const [row] = await h.rows<{ version: number }>(sql`select version from people.memberships where id = ${held.id}`);
    expect(row!.version).toBe(2);
    expect(await auditOf(h, held.id)).toHaveLength(1);
  });

  it('is refused to the public, analysts, partners and staff without write:people', async () => {
    const held = await heldMembership(4);
    const person = await plainAdult(h, 2);
    const vacant = vacantPosts[3]!;
    await expectRefused(h, appoint, {
      personId: person.id,
      postId: vacant.id,
      organisationId: vacant.organisationId,
      from: '2024-01-01',
      idempotencyKey: 'refused',
    });
    await expectRefused(h, end, { id: held.id, expectedVersion: 1, on: today(), reason: 'x' });
    // The end reason is for signed-in callers.
    const { endMembership } = await h.data(
      end,
      { input: { id: held.id, expectedVersion: 1, on: today(), reason: 'Disciplinary' } },
      adminCaller,
    );
    expect(endMembership.errors).toEqual([]);
    const publicView = await h.query(
      entities('Post', 'holders { id endReason }'),
      { representations: [{ __typename: 'Post', id: held.post_id }] },
      { role: 'public', subject: null, organisationId: null, department: null, scopes: [] },
    );
    expect(publicView.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
  });
});
