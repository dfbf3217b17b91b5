import { today } from '@gongzhi/kit';
import { refusalOf } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useSeededPeople } from './harness.ts';
import { auditOf, counts, expectRefused, plainAdult, writer } from './writers.ts';

const h = useSeededPeople();
const community = 'com-440306001003';

const hire = `mutation($input: HireCommunityWorkerInput!) { hireCommunityWorker(input: $input) {
  replayed errors { path code message } worker { id person { id education } community { id } post { id } grade payBand recruitmentChannel recruitedYear hiredOn leftOn } } }`;
const train = `mutation($input: RecordTrainingInput!) { recordTraining(input: $input) {
  replayed errors { path code message } training { id title provider completedOn hours } worker { id trainings { id } } } }`;
const evaluate = `mutation($input: RecordWorkerEvaluationInput!) { recordWorkerEvaluation(input: $input) {
  replayed errors { path code message } evaluation { id year rating score } worker { id evaluations { id year } } } }`;

const hiring = (personId: string, change: Record<string, unknown> = {}) => ({
  personId,
  communityId: community,
  grade: 'GRADE_2',
  payBand: 7,
  recruitmentChannel: 'PUBLIC_EXAM',
  hiredOn: '2024-09-01',
  idempotencyKey: `hire-${personId}`,
  ...change,
});

/** A seeded worker still in post, hired in `year` or before. */
async function seededWorker(offset: number) {
  const [row] = await h.rows<{ id: string; person_id: string; hired_on: string; post_id: string | null }>(sql`
    select id, person_id, hired_on::text as hired_on, post_id from people.workers where left_on is null and recruited_year <= 2015 order by id limit 1 offset ${offset}`);
  return row!;
}

describe('hireCommunityWorker', () => {
  it('hires a resident, recruited in the year hired, audited, and reads back through the person', async () => {
    const person = await plainAdult(h, 0);
    const { hireCommunityWorker: result } = await h.data(hire, { input: hiring(person.id) }, writer);
    expect(result).toMatchObject({ errors: [], replayed: false });
    expect(result.worker).toMatchObject({
      person: { id: person.id },
      community: { id: community },
      post: null,
      grade: 'GRADE_2',
      payBand: 7,
      recruitmentChannel: 'PUBLIC_EXAM',
      recruitedYear: 2024,
      hiredOn: '2024-09-01',
      leftOn: null,
    });
    const { person: read } = await h.data(`query($id: ID!) { person(id: $id) { worker { id recruitedYear } } }`, { id: person.id });
    expect(read.worker).toEqual({ id: result.worker.id, recruitedYear: 2024 });
    const [entry] = await auditOf(h, result.worker.id);
    expect(entry).toMatchObject({
      entityType: 'CommunityWorker',
      operation: 'hireCommunityWorker',
      before: null,
      after: { personId: person.id, payBand: 7 },
    });

    // The same person again (another key): CONFLICT; a seeded worker too.
    const before = await counts(h);
    const again = await h.data(hire, { input: hiring(person.id, { idempotencyKey: 'hire-again' }) }, writer);
    expect(again.hireCommunityWorker.errors.map((e: any) => [e.path, e.code])).toEqual([[['personId'], 'CONFLICT']]);
    const worker = await seededWorker(0);
    const seeded = await h.data(hire, { input: hiring(worker.person_id) }, writer);
    expect(seeded.hireCommunityWorker.errors.map((e: any) => [e.path, e.code])).toEqual([[['personId'], 'CONFLICT']]);
    expect(await counts(h)).toEqual(before);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const person = await plainAdult(h, 1);
    const [minor] = await h.rows<{ id: string }>(sql`select id from people.persons p where birth_year >= 2012
      and not exists (select 1 from people.workers w where w.person_id = p.id) order by id limit 1`);
    const director = await h.one<{ post_id: string }>(
      sql`select post_id from people.workers where post_id is not null and left_on is null order by id limit 1`,
    );
    const [heldByOther] = await h.rows<{ post_id: string }>(
      sql`select post_id from people.memberships where valid_to is null and role = 'PARTY_SECRETARY' order by id limit 1`,
    );
    const before = await counts(h);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
      [{ personId: '' }, ['personId'], 'REQUIRED'],
      [{ personId: 'per-nobody' }, ['personId'], 'NOT_FOUND'],
      [{ personId: minor!.id }, ['hiredOn'], 'INVALID'],
      [{ communityId: 'com-x' }, ['communityId'], 'INVALID'],
      [{ communityId: 'com-440306999999' }, ['communityId'], 'NOT_FOUND'],
      [{ postId: 'post-nothing' }, ['postId'], 'INVALID'],
      [{ postId: heldByOther!.post_id }, ['postId'], 'CONFLICT'],
      [{ postId: director.post_id }, ['postId'], 'CONFLICT'],
      [{ payBand: 9 }, ['payBand'], 'INVALID'],
      [{ payBand: 5 }, ['payBand'], 'INVALID'],
      [{ grade: 'GRADE_6', payBand: 21 }, ['payBand'], 'INVALID'],
      [{ hiredOn: '2999-01-01' }, ['hiredOn'], 'INVALID'],
      [{ hiredOn: '1900-01-01' }, ['hiredOn'], 'INVALID'],
    ];
    for (const [change, path, code] of cases) {
      const { hireCommunityWorker: result } = await h.data(hire, { input: hiring(person.id, change) }, writer);
      expect(result.worker, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await counts(h)).toEqual(before);
    // The post of a person who holds it themselves is theirs to fill.
    const [holder] = await h.rows<{ person_id: string; post_id: string }>(sql`select m.person_id, m.post_id from people.memberships m
      where m.valid_to is null and m.role = 'BUILDING_HEAD' and not exists (select 1 from people.workers w where w.person_id = m.person_id)
        and (select birth_year from people.persons p where p.id = m.person_id) <= 1995 order by m.id limit 1`);
    const own = await h.data(
      hire,
      { input: hiring(holder!.person_id, { postId: holder!.post_id, grade: 'GRADE_6', payBand: 20 }) },
      writer,
    );
    expect(own.hireCommunityWorker).toMatchObject({ errors: [], worker: { post: { id: holder!.post_id }, payBand: 20 } });
  });

  it('answers 50 concurrent retries of one hire with one worker, the same to each', async () => {
    const person = await plainAdult(h, 2);
    const before = await counts(h);
    const input = hiring(person.id, { idempotencyKey: 'hire-retry-50' });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(hire, { input }, writer)));
    expect(new Set(answers.map((a: any) => a.hireCommunityWorker.worker.id)).size).toBe(1);
    expect(answers.filter((a: any) => !a.hireCommunityWorker.replayed)).toHaveLength(1);
    expect((await counts(h)).workers).toBe(before.workers + 1);
  });

  it('is refused to the public, analysts, partners and staff without write:people', async () => {
    const person = await plainAdult(h, 3);
    await expectRefused(h, hire, hiring(person.id));
  });
});

describe('recordTraining', () => {
  it('records a training, audited, and the worker lists it', async () => {
    const worker = await seededWorker(1);
    const input = {
      workerId: worker.id,
      title: ' 社区治理实务 ',
      provider: '宝安区民政局',
      completedOn: '2024-06-15',
      hours: 16,
      idempotencyKey: 'train-1',
    };
    const { recordTraining: result } = await h.data(train, { input }, writer);
    expect(result).toMatchObject({
      errors: [],
      replayed: false,
      training: { title: '社区治理实务', provider: '宝安区民政局', completedOn: '2024-06-15', hours: 16 },
    });
    expect(result.worker.trainings.map((t: any) => t.id)).toContain(result.training.id);
    const [entry] = await auditOf(h, result.training.id);
    expect(entry).toMatchObject({
      entityType: 'Training',
      operation: 'recordTraining',
      before: null,
      after: { workerId: worker.id, hours: 16 },
    });
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const worker = await seededWorker(2);
    const base = { workerId: worker.id, title: 'x', provider: 'y', completedOn: '2024-06-15', hours: 8, idempotencyKey: 'train-bad' };
    const before = await counts(h);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ hours: 0 }, ['hours'], 'INVALID'],
      [{ hours: -4 }, ['hours'], 'INVALID'],
      [{ hours: 1001 }, ['hours'], 'INVALID'],
      [{ completedOn: '2999-01-01' }, ['completedOn'], 'INVALID'],
      [{ completedOn: '2000-01-01' }, ['completedOn'], 'INVALID'],
      [{ title: ' ' }, ['title'], 'REQUIRED'],
      [{ provider: '' }, ['provider'], 'REQUIRED'],
      [{ title: 't'.repeat(201) }, ['title'], 'INVALID'],
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
      [{ workerId: 'wkr-nobody' }, ['workerId'], 'NOT_FOUND'],
    ];
    for (const [change, path, code] of cases) {
      const { recordTraining: result } = await h.data(train, { input: { ...base, ...change } }, writer);
      expect(result.training, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await counts(h)).toEqual(before);
    expect(
      await refusalOf(() =>
        h.database.asOwner((tx) => tx.execute(sql`update people.trainings set hours = 0 where worker_id = ${worker.id}`)),
      ),
    ).toContain('trainings_hours_check');
  });

  it('answers 50 concurrent retries of one record with one training, the same to each', async () => {
    const worker = await seededWorker(3);
    const before = await counts(h);
    const input = {
      workerId: worker.id,
      title: '网格化管理',
      provider: '宝安区委组织部',
      completedOn: today(),
      hours: 4,
      idempotencyKey: 'train-retry-50',
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(train, { input }, writer)));
    expect(new Set(answers.map((a: any) => a.recordTraining.training.id)).size).toBe(1);
    expect(answers.filter((a: any) => !a.recordTraining.replayed)).toHaveLength(1);
    expect((await counts(h)).trainings).toBe(before.trainings + 1);
  });

  it('is refused to the public, analysts, partners and staff without write:people', async () => {
    const worker = await seededWorker(4);
    await expectRefused(h, train, {
      workerId: worker.id,
      title: 'x',
      provider: 'y',
      completedOn: '2024-06-15',
      hours: 8,
      idempotencyKey: 'train-refused',
    });
  });
});

describe('recordWorkerEvaluation', () => {
  it('records one evaluation per worker and year, audited; a second for the year is CONFLICT', async () => {
    const worker = await seededWorker(5);
    const input = { workerId: worker.id, year: 2024, rating: 'EXCELLENT', score: 93, idempotencyKey: 'eval-1' };
    const { recordWorkerEvaluation: result } = await h.data(evaluate, { input }, writer);
    expect(result).toMatchObject({ errors: [], replayed: false, evaluation: { year: 2024, rating: 'EXCELLENT', score: 93 } });
    expect(result.worker.evaluations.map((e: any) => e.year)).toContain(2024);
    const [entry] = await auditOf(h, result.evaluation.id);
    expect(entry).toMatchObject({
      entityType: 'WorkerEvaluation',
      operation: 'recordWorkerEvaluation',
      before: null,
      after: { workerId: worker.id, year: 2024, score: 93 },
    });

    const before = await counts(h);
    for (const year of [2024, 2019]) {
      const again = await h.data(evaluate, { input: { ...input, year, idempotencyKey: `eval-again-${year}` } }, writer);
      expect(
        again.recordWorkerEvaluation.errors.map((e: any) => [e.path, e.code]),
        String(year),
      ).toEqual([[['year'], 'CONFLICT']]);
    }
    expect(await counts(h)).toEqual(before);
  });

  it('answers every bad input with a field error a form can show, and changes nothing', async () => {
    const worker = await seededWorker(6);
    const base = { workerId: worker.id, year: 2023, rating: 'COMPETENT', score: 80, idempotencyKey: 'eval-bad' };
    const before = await counts(h);
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ score: 101 }, ['score'], 'INVALID'],
      [{ score: -1 }, ['score'], 'INVALID'],
      [{ year: Number(today().slice(0, 4)) + 1 }, ['year'], 'INVALID'],
      [{ year: Number(worker.hired_on.slice(0, 4)) - 1 }, ['year'], 'INVALID'],
      [{ workerId: 'wkr-nobody' }, ['workerId'], 'NOT_FOUND'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
    ];
    for (const [change, path, code] of cases) {
      const { recordWorkerEvaluation: result } = await h.data(evaluate, { input: { ...base, ...change } }, writer);
      expect(result.evaluation, JSON.stringify(change)).toBeNull();
      expect(
        result.errors.map((e: any) => [e.path, e.code]),
        JSON.stringify(change),
      ).toEqual([[path, code]]);
    }
    expect(await counts(h)).toEqual(before);
  });

  it('records one of 50 concurrent evaluations of the same worker and year under different keys', async () => {
    const worker = await seededWorker(7);
    const before = await counts(h);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        h.data(
          evaluate,
          { input: { workerId: worker.id, year: 2022, rating: 'COMPETENT', score: 50 + k, idempotencyKey: `eval-crowd-${k}` } },
          writer,
        ),
      ),
    );
    expect(answers.filter((a: any) => a.recordWorkerEvaluation.errors.length === 0)).toHaveLength(1);
    expect(answers.filter((a: any) => a.recordWorkerEvaluation.errors[0]?.code === 'CONFLICT')).toHaveLength(49);
    expect((await counts(h)).evaluations).toBe(before.evaluations + 1);
  });

  it('answers 50 concurrent retries of one record with one evaluation, the same to each', async () => {
    const worker = await seededWorker(8);
    const input = { workerId: worker.id, year: 2021, rating: 'BASICALLY_COMPETENT', score: 66, idempotencyKey: 'eval-retry-50' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(evaluate, { input }, writer)));
    expect(new Set(answers.map((a: any) => a.recordWorkerEvaluation.evaluation.id)).size).toBe(1);
    expect(answers.filter((a: any) => !a.recordWorkerEvaluation.replayed)).toHaveLength(1);
  });

  it('is refused to the public, analysts, partners and staff without write:people', async () => {
    const worker = await seededWorker(9);
    await expectRefused(h, evaluate, { workerId: worker.id, year: 2023, rating: 'COMPETENT', score: 80, idempotencyKey: 'eval-refused' });
  });
});
