import { describe, expect, it } from 'vitest';
import { useSeededOrganisations } from './harness.ts';
import { auditOf, expectForbidden, expectProblem, payloadOf, rowsOf, whileLocked } from './writes.ts';

const h = useSeededOrganisations();

const fields = `id role label validFrom validTo version organisation { id } gridArea { id } building { id }`;
const open = `mutation($input: OpenPostInput!) { openPost(input: $input) { replayed errors { path code message } post { ${fields} } } }`;
const close = `mutation($input: ClosePostInput!) { closePost(input: $input) { errors { path code message } post { ${fields} } } }`;
const read = `query($id: ID!) { post(id: $id) { ${fields} } }`;

/** The workstation and party committee of 新安's first community (founded 2004-10-01), and its grid. */
const workstation = 'org-ws-440306001001';
const partyCommittee = 'org-pc-440306001001';
const gridArea = (n: number) => `grid-440306001001-0${n}`;
const building = (area: number, n: number) => `bldg-440306001001-0${area}-0${n}`;
const director = (area: number) => `post-ws-440306001001-area_director-${area}`;
const tables = ['posts', 'audit_log', 'idempotency_keys'];
const counts = () => Promise.all(tables.map((table) => rowsOf(h, table)));
const seatsOf = async (id: string) =>
  (await h.data(`query($id: ID!) { organisation(id: $id) { open: posts { id } all: posts(includeClosed: true) { id } } }`, { id }))
    .organisation as { open: { id: string }[]; all: { id: string }[] };

describe('openPost', () => {
  it('opens a seat, answers it with version 1 among the organisation’s open seats, and audits it', async () => {
    const input = {
      organisationId: workstation,
      role: 'LEGAL_ADVISER',
      label: ' 法律顾问 ',
      validFrom: '2020-03-01',
      idempotencyKey: 'open-happy',
    };
    const result = await payloadOf(h, open, 'openPost', input);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.post).toMatchObject({
      role: 'LEGAL_ADVISER',
      label: '法律顾问',
      validFrom: '2020-03-01',
      validTo: null,
      version: 1,
      organisation: { id: workstation },
      gridArea: null,
    });
    expect((await h.data(read, { id: result.post.id })).post).toEqual(result.post);
    expect((await seatsOf(workstation)).open.map((seat) => seat.id)).toContain(result.post.id);
    const audit = await auditOf(h, result.post.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operation: 'openPost',
      actor: 'clerk-1',
      before: null,
      after: { id: result.post.id, role: 'LEGAL_ADVISER', organisationId: workstation },
    });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const base = { organisationId: workstation, role: 'COUNSELLOR', label: '心理咨询师', validFrom: '2020-01-01', idempotencyKey: 'bad' };
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ label: '  ' }, ['label'], 'REQUIRED'],
      [{ label: '岗'.repeat(101) }, ['label'], 'INVALID'],
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
      [{ role: 'AREA_DIRECTOR' }, ['gridAreaId'], 'REQUIRED'],
      [{ role: 'BUILDING_HEAD' }, ['buildingId'], 'REQUIRED'],
      [{ gridAreaId: gridArea(1) }, ['gridAreaId'], 'INVALID'],
      [{ role: 'AREA_DIRECTOR', gridAreaId: gridArea(1), buildingId: building(1, 1) }, ['buildingId'], 'INVALID'],
      [{ organisationId: 'org-none' }, ['organisationId'], 'NOT_FOUND'],
      [{ role: 'PARTY_SECRETARY' }, ['role'], 'INVALID'],
      [{ organisationId: partyCommittee, role: 'COMMITTEE_MEMBER' }, ['role'], 'INVALID'],
      [{ validFrom: '2004-09-30' }, ['validFrom'], 'INVALID'],
      [{ role: 'AREA_DIRECTOR', gridAreaId: 'grid-none' }, ['gridAreaId'], 'NOT_FOUND'],
      [{ role: 'BUILDING_HEAD', buildingId: 'bldg-none' }, ['buildingId'], 'NOT_FOUND'],
      [{ role: 'AREA_DIRECTOR', gridAreaId: 'grid-440306001002-01' }, ['gridAreaId'], 'INVALID'],
      [{ role: 'BUILDING_HEAD', buildingId: 'bldg-440306001002-01-01' }, ['buildingId'], 'INVALID'],
      [{ role: 'BUILDING_HEAD', buildingId: building(1, 1), gridAreaId: gridArea(2) }, ['gridAreaId'], 'INVALID'],
      [{ role: 'AREA_DIRECTOR', gridAreaId: gridArea(2) }, ['gridAreaId'], 'CONFLICT'],
      [{ role: 'BUILDING_HEAD', buildingId: building(2, 1) }, ['buildingId'], 'CONFLICT'],
    ];
    const before = await counts();
    for (const [change, path, code] of cases) {
      expectProblem(await payloadOf(h, open, 'openPost', { ...base, ...change }), 'post', path, code, change);
    }
    expect(await counts()).toEqual(before);
  });

  it('is refused to the public, analysts, partners and staff without write:organisations', async () => {
    const before = await counts();
    await expectForbidden(h, open, (caller) => ({
      organisationId: workstation,
      role: 'COUNSELLOR',
      label: 'x',
      validFrom: '2020-01-01',
      idempotencyKey: `forbidden-${caller.role}`,
    }));
    expect(await counts()).toEqual(before);
  });

  it('answers 50 concurrent retries of one opening with one seat, the same to each', async () => {
    const before = await rowsOf(h, 'posts');
    const input = {
      organisationId: partyCommittee,
      role: 'PARTY_COMMITTEE_MEMBER',
      label: '党委委员',
      validFrom: '2021-01-01',
      idempotencyKey: 'retry-50',
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => payloadOf(h, open, 'openPost', input)));
    const ids = new Set(answers.map((answer) => answer.post?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^post-/);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    expect(await rowsOf(h, 'posts')).toBe(before + 1);
    expect(await auditOf(h, [...ids][0]!)).toHaveLength(1);
  });
});

describe('closePost', () => {
  it('closes a seat (OPEN → CLOSED), audits it, and a new area director’s seat replaces it', async () => {
    const seat = director(3);
    const { post: before } = await h.data(read, { id: seat });
    expect(before).toMatchObject({ validTo: null, version: 1, gridArea: { id: gridArea(3) } });
    const closed = await payloadOf(h, close, 'closePost', { id: seat, expectedVersion: 1, validTo: '2020-06-30' });
    expect(closed.errors).toEqual([]);
    expect(closed.post).toEqual({ ...before, validTo: '2020-06-30', version: 2 });
    const seats = await seatsOf(workstation);
    expect(seats.open.map((s) => s.id)).not.toContain(seat);
    expect(seats.all.map((s) => s.id)).toContain(seat);
    const directorOf = async () =>
      (await h.data(`query($id: ID!) { gridArea(id: $id) { director { id } } }`, { id: gridArea(3) })).gridArea.director;
    expect(await directorOf()).toBeNull();
    const audit = await auditOf(h, seat);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operation: 'closePost',
      before: { validTo: null, version: 1 },
      after: { validTo: '2020-06-30', version: 2 },
    });

    const opened = await payloadOf(h, open, 'openPost', {
      organisationId: workstation,
      role: 'AREA_DIRECTOR',
      label: '分片主任',
      gridAreaId: gridArea(3),
      validFrom: '2020-07-01',
      idempotencyKey: 'replace-director',
    });
    expect(opened.errors).toEqual([]);
    expect(opened.post).toMatchObject({ gridArea: { id: gridArea(3) }, building: null });
    expect(await directorOf()).toEqual({ id: opened.post.id });
  });

  it('answers bad inputs and illegal steps with field errors, and changes nothing', async () => {
    const seat = director(1);
    expect((await payloadOf(h, close, 'closePost', { id: director(4), expectedVersion: 1, validTo: '2019-12-31' })).errors).toEqual([]);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ id: 'post-none' }, ['id'], 'NOT_FOUND'],
      [{ validTo: '2999-01-01' }, ['validTo'], 'INVALID'],
      [{ validTo: '2004-09-30' }, ['validTo'], 'INVALID'],
      [{ expectedVersion: 2 }, ['expectedVersion'], 'CONFLICT'],
      [{ expectedVersion: 0 }, ['expectedVersion'], 'CONFLICT'],
      // Already closed: there is no step from CLOSED, whatever version the client read.
      [{ id: director(4), expectedVersion: 2 }, ['id'], 'ILLEGAL_TRANSITION'],
      [{ id: director(4), expectedVersion: 1 }, ['id'], 'ILLEGAL_TRANSITION'],
    ];
    const before = await counts();
    const [seatBefore, closedBefore] = await Promise.all([h.data(read, { id: seat }), h.data(read, { id: director(4) })]);
    for (const [change, path, code] of cases) {
      expectProblem(
        await payloadOf(h, close, 'closePost', { id: seat, expectedVersion: 1, validTo: '2020-01-31', ...change }),
        'post',
        path,
        code,
        change,
      );
    }
    expect(await counts()).toEqual(before);
    expect(await Promise.all([h.data(read, { id: seat }), h.data(read, { id: director(4) })])).toEqual([seatBefore, closedBefore]);
  });

  it('is refused to the public, analysts, partners and staff without write:organisations', async () => {
    const { post } = await h.data(read, { id: director(1) });
    expect(post).toMatchObject({ validTo: null, version: 1 });
    await expectForbidden(h, close, () => ({ id: director(1), expectedVersion: 1, validTo: '2020-01-31' }));
    expect((await h.data(read, { id: director(1) })).post).toEqual(post);
    expect(await auditOf(h, director(1))).toEqual([]);
  });

  it('closes once under 50 concurrent closings from the same version; the others find it closed', async () => {
    const seat = 'post-ws-440306001001-counsellor-1';
    const answers = await whileLocked(h, 'posts', seat, () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          payloadOf(h, close, 'closePost', { id: seat, expectedVersion: 1, validTo: `2020-02-${String(1 + (i % 28)).padStart(2, '0')}` }),
        ),
      ),
    );
    const winners = answers.filter((answer) => answer.errors.length === 0);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.errors[0]?.code === 'ILLEGAL_TRANSITION')).toHaveLength(49);
    expect((await h.data(read, { id: seat })).post).toMatchObject({ version: 2, validTo: winners[0].post.validTo });
    expect(await auditOf(h, seat)).toHaveLength(1);
  });
});
