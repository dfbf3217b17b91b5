import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();
const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-2',
  organisationId: null,
  department: 'workstation',
  scopes,
});
const writer = staff(['write:services']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-001', department: null, scopes: ['write:services'] };

const event = 'id version kind title startsAt attendance community { id } organiser { id }';
const create = `mutation($input: CreateEventInput!) { createEvent(input: $input) { replayed errors { path code message } event { ${event} } } }`;
const record = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { errors { path code message } event { ${event} } } }`;
const auditOf = `query($id: ID!) { sliceAuditLog(entityId: $id) { edges { node { entityType operation actorRole actor before after } } } }`;
const codes = (result: any) => result.errors.map((e: any) => [e.path, e.code]);

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const count = async (table: string) => (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`services.${table}`)}`)).n;
/** Everything an event write could change: rows of each table, and one event's version and attendance. */
const snapshot = async (id?: string) => ({
  events: await count('events'),
  audit: await count('audit_log'),
  keys: await count('idempotency_keys'),
  ...(id && { event: await h.one(sql`select version, attendance from services.events where id = ${id}`) }),
});

/** A community this slice holds services of (not necessarily events). */
const community = async () => (await h.one<{ id: string }>(sql`select min(community_id) as id from services.services`)).id;

let keys = 0;
async function creation(change: Record<string, unknown> = {}) {
  keys += 1;
  const id = await community();
  return {
    communityId: id,
    kind: 'LAW_LECTURE',
    title: ' 法治大讲堂：物业纠纷 ',
    startsAt: inDays(30),
    organiserOrganisationId: `org-sc-${id.slice(4)}`,
    idempotencyKey: `event-${keys}`,
    ...change,
  };
}

/** A seeded event (it started in the past), with its version. */
const pastEvent = (offset: number) =>
  h.one<{ id: string; version: number; attendance: number }>(
    sql`select id, version, attendance from services.events where starts_at < now() order by id limit 1 offset ${offset}`,
  );

describe('createEvent', () => {
  it('creates an event ahead of its day, attendance not yet recorded, read back and audited', async () => {
    const before = await snapshot();
    const input = await creation();
    const { createEvent: result } = await h.data(create, { input }, writer);
    expect(result).toMatchObject({
      replayed: false,
      errors: [],
      event: {
        version: 1,
        kind: 'LAW_LECTURE',
        title: '法治大讲堂：物业纠纷',
        startsAt: input.startsAt,
        attendance: null,
        community: { id: input.communityId },
        organiser: { id: input.organiserOrganisationId },
      },
    });
    const read = await h.data(entities('Community', `events(first: 100) { edges { node { ${event} } } }`), {
      representations: [{ __typename: 'Community', id: input.communityId }],
    });
    expect(read._entities[0].events.edges.map((e: any) => e.node)).toContainEqual(result.event);
    expect(await snapshot()).toEqual({ events: before.events + 1, audit: before.audit + 1, keys: before.keys + 1 });
    const audit = await h.data(auditOf, { id: result.event.id }, adminCaller);
    expect(audit.sliceAuditLog.edges.map((e: any) => e.node)).toMatchObject([
      { entityType: 'Event', operation: 'createEvent', actorRole: 'staff', actor: 'clerk-2', before: null },
    ]);
    expect(JSON.parse(audit.sliceAuditLog.edges[0].node.after)).toMatchObject({ id: result.event.id, attendance: null, version: 1 });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ title: ' ' }, ['title'], 'REQUIRED'],
      [{ title: 'x'.repeat(201) }, ['title'], 'INVALID'],
      [{ communityId: '' }, ['communityId'], 'REQUIRED'],
      [{ communityId: 'com-000000000000' }, ['communityId'], 'NOT_FOUND'],
      [{ organiserOrganisationId: ' ' }, ['organiserOrganisationId'], 'REQUIRED'],
      [{ organiserOrganisationId: 'the centre' }, ['organiserOrganisationId'], 'INVALID'],
      [{ startsAt: '1999-12-31T12:00:00Z' }, ['startsAt'], 'INVALID'],
      [{ startsAt: '2101-01-01T12:00:00Z' }, ['startsAt'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
    ];
    for (const [change, path, code] of cases) {
      const { createEvent: result } = await h.data(create, { input: await creation(change) }, writer);
      expect(result.event, JSON.stringify(change)).toBeNull();
      expect(codes(result), JSON.stringify(change)).toEqual([[path, code]]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 50 concurrent retries of one creation with one event, the same to each', async () => {
    const before = await snapshot();
    const input = await creation({ idempotencyKey: 'event-retry-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(create, { input }, writer)));
    expect(new Set(answers.map((a: any) => a.createEvent.event.id)).size).toBe(1);
    expect(answers.filter((a: any) => !a.createEvent.replayed)).toHaveLength(1);
    expect(await snapshot()).toEqual({ events: before.events + 1, audit: before.audit + 1, keys: before.keys + 1 });
  });
});

describe('recordAttendance', () => {
  it('records and then corrects the attendance of an event that has happened, each against the version read', async () => {
    const seeded = await pastEvent(0);
    const { recordAttendance: first } = await h.data(
      record,
      { input: { eventId: seeded.id, expectedVersion: seeded.version, attendance: 57 } },
      writer,
    );
    expect(first).toMatchObject({ errors: [], event: { id: seeded.id, attendance: 57, version: seeded.version + 1 } });
    const { recordAttendance: second } = await h.data(
      record,
      { input: { eventId: seeded.id, expectedVersion: seeded.version + 1, attendance: 0 } },
      writer,
    );
    expect(second).toMatchObject({ errors: [], event: { attendance: 0, version: seeded.version + 2 } });
    expect(await snapshot(seeded.id)).toMatchObject({ event: { version: seeded.version + 2, attendance: 0 } });
    const audit = await h.data(auditOf, { id: seeded.id }, adminCaller);
    const entries = audit.sliceAuditLog.edges.map((e: any) => e.node);
    expect(
      entries.map((e: any) => [e.operation, JSON.parse(e.before).attendance, JSON.parse(e.after).attendance, JSON.parse(e.after).version]),
    ).toEqual([
      ['recordAttendance', seeded.attendance, 57, seeded.version + 1],
      ['recordAttendance', 57, 0, seeded.version + 2],
    ]);
    // The year's neighbourhood total follows, as SQL sums it.
    const { year, total } = await h.one<{
      year: number;
      total: number;
    }>(sql`select extract(year from starts_at at time zone 'UTC')::int as year,
      (select sum(attendance)::int from services.events x where extract(year from x.starts_at at time zone 'UTC') = extract(year from e.starts_at at time zone 'UTC')) as total
      from services.events e where id = ${seeded.id}`);
    const district = await h.data(entities('District', `neighbourhood(year: ${year}) { attendance }`), {
      representations: [{ __typename: 'District', id: 'dst-440306' }],
    });
    expect(district._entities[0].neighbourhood.attendance).toBe(total);
  });

  it('refuses attendance for an event that has not started (ILLEGAL_TRANSITION), below zero, stale or unknown, changing nothing', async () => {
    const { createEvent: upcoming } = await h.data(create, { input: await creation({ startsAt: inDays(1) }) }, writer);
    const seeded = await pastEvent(1);
    const cases: [{ id: string; version: number }, Record<string, unknown>, string[], string][] = [
      [upcoming.event, {}, ['eventId'], 'ILLEGAL_TRANSITION'],
      [seeded, { attendance: -1 }, ['attendance'], 'INVALID'],
      [seeded, { expectedVersion: seeded.version + 1 }, ['expectedVersion'], 'CONFLICT'],
      [seeded, { eventId: 'evt-none' }, ['eventId'], 'NOT_FOUND'],
    ];
    for (const [target, change, path, code] of cases) {
      const before = await snapshot(target.id);
      const { recordAttendance: result } = await h.data(
        record,
        { input: { eventId: target.id, expectedVersion: target.version, attendance: 12, ...change } },
        writer,
      );
      expect(result.event, JSON.stringify(change)).toBeNull();
      expect(codes(result), JSON.stringify(change)).toEqual([[path, code]]);
      expect(await snapshot(target.id), JSON.stringify(change)).toEqual(before);
    }
  });

  it('lets exactly one of 50 concurrent recordings with one expected version through; the rest are CONFLICT', async () => {
    const seeded = await pastEvent(2);
    const audited = await count('audit_log');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        h.data(record, { input: { eventId: seeded.id, expectedVersion: seeded.version, attendance: 100 + k } }, writer),
      ),
    );
    const results = answers.map((a: any) => a.recordAttendance);
    const accepted = results.filter((r) => r.errors.length === 0);
    expect(accepted).toHaveLength(1);
    expect(results.filter((r) => JSON.stringify(codes(r)) === JSON.stringify([[['expectedVersion'], 'CONFLICT']]))).toHaveLength(49);
    expect(await snapshot(seeded.id)).toMatchObject({ event: { version: seeded.version + 1, attendance: accepted[0].event.attendance } });
    expect(await count('audit_log')).toBe(audited + 1);
  });

  it('is refused, as is createEvent, to the public, analysts, partners and staff without write:services', async () => {
    const seeded = await pastEvent(3);
    const before = await snapshot(seeded.id);
    const input = await creation({ idempotencyKey: 'event-forbidden' });
    for (const caller of [publicCaller, analyst, partner, staff(['read:personal'])]) {
      for (const [operation, variables] of [
        [create, input],
        [record, { eventId: seeded.id, expectedVersion: seeded.version, attendance: 1 }],
      ] as const) {
        const result = await h.query(operation, { input: variables }, caller);
        expect(result.data ?? null, caller.role).toBeNull();
        expect(
          result.errors?.map((e) => e.extensions?.code),
          caller.role,
        ).toEqual(['FORBIDDEN']);
      }
    }
    expect(await snapshot(seeded.id)).toEqual(before);
  });
});
