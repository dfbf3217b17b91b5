import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, today, violatedConstraint } from '@gongzhi/kit';
import { and, eq, isNull, ne } from 'drizzle-orm';
import {
  evaluations,
  memberships,
  persons,
  trainings,
  workers,
  type EvaluationRow,
  type TrainingRow,
  type WorkerRow,
} from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import {
  addYears,
  communityId,
  earliestDate,
  checkIdempotencyKey,
  postId,
  requiredText,
  yearOf,
  type Problems,
} from '../../../writes/checks.ts';
import { committed, isCountedCommunity, type Tx } from '../../../writes/rows.ts';

const hasWorkerRecord = () => problem(['personId'], 'CONFLICT', 'the person has a community worker record already');
const noWorker = () => problem(['workerId'], 'NOT_FOUND', 'no community worker has this id');

export const hireCommunityWorker: NonNullable<MutationResolvers['hireCommunityWorker']> = async (_parent, { input }, context) => {
  const problems: Problems = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  if (!input.personId.trim()) problems.push(problem(['personId'], 'REQUIRED', 'who is hired'));
  communityId(problems, 'communityId', input.communityId);
  if (input.postId != null) postId(problems, 'postId', input.postId);
  // The pay scale: six grades of three bands each (GRADE_n pays in bands 3n to 3n + 2).
  const grade = Number(input.grade.slice(-1));
  if (!Number.isInteger(input.payBand) || input.payBand < 3 * grade || input.payBand > 3 * grade + 2) {
    problems.push(problem(['payBand'], 'INVALID', `${input.grade} pays in bands ${3 * grade} to ${3 * grade + 2}`));
  }
  if (input.hiredOn < earliestDate || input.hiredOn > today())
    problems.push(problem(['hiredOn'], 'INVALID', `between ${earliestDate} and today`));
  if (problems.length > 0) return { worker: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    context.database.db,
    {
      schema: 'people',
      operation: 'hireCommunityWorker',
      caller: context.caller,
      idempotencyKey: input.idempotencyKey,
      explain: (error) => (violatedConstraint(error) === 'workers_person_idx' ? [hasWorkerRecord()] : null),
    },
    async ({ tx, audit }) => {
      const [person] = await tx
        .select({ id: persons.id, birthDate: persons.birthDate })
        .from(persons)
        .where(eq(persons.id, input.personId));
      if (!person) throw new InputError([problem(['personId'], 'NOT_FOUND', 'no person has this id')]);
      const [record] = await tx.select().from(workers).where(eq(workers.personId, person.id));
      if (record) throw new InputError([hasWorkerRecord()]);
      if (!(await isCountedCommunity(tx, input.communityId)))
        throw new InputError([problem(['communityId'], 'NOT_FOUND', 'no community of the district has this id')]);
      if (addYears(person.birthDate, 18) > input.hiredOn)
        throw new InputError([problem(['hiredOn'], 'INVALID', 'the person is not yet 18 on this day')]);
      if (input.postId != null) await checkPostFree(tx, input.postId, person.id);
      const row: WorkerRow = {
        id: `wkr-${randomUUID()}`,
        personId: person.id,
        communityId: input.communityId,
        postId: input.postId ?? null,
        grade: input.grade,
        payBand: input.payBand,
        recruitmentChannel: input.recruitmentChannel,
        recruitedYear: yearOf(input.hiredOn),
        hiredOn: input.hiredOn,
        leftOn: null,
      };
      await tx.insert(workers).values(row);
      await audit({ entityType: 'CommunityWorker', entityId: row.id, operation: 'hireCommunityWorker', before: null, after: row });
      return row.id;
    },
  );
  if (!outcome.ok) return { worker: null, replayed: false, errors: outcome.problems };
  context.loaders.workerByPerson.clear(input.personId);
  return { worker: await committed(context).worker(outcome.value), replayed: outcome.replayed, errors: [] };
};

/** A worker's post is vacant, or held by the worker: not held by someone else, nor filled by another worker. */
async function checkPostFree(tx: Tx, post: string, personId: string): Promise<void> {
  const [holder] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.postId, post), isNull(memberships.validTo), ne(memberships.personId, personId)));
  if (holder) throw new InputError([problem(['postId'], 'CONFLICT', `someone else holds the post (membership ${holder.id})`)]);
  const [filled] = await tx
    .select({ id: workers.id })
    .from(workers)
    .where(and(eq(workers.postId, post), isNull(workers.leftOn)));
  if (filled) throw new InputError([problem(['postId'], 'CONFLICT', `worker ${filled.id} fills the post`)]);
}

/** The worker a record is for, or NOT_FOUND. */
async function workerOf(tx: Tx, id: string): Promise<WorkerRow> {
  const [worker] = await tx.select().from(workers).where(eq(workers.id, id));
  if (!worker) throw new InputError([noWorker()]);
  return worker;
}

export const recordTraining: NonNullable<MutationResolvers['recordTraining']> = async (_parent, { input }, context) => {
  const problems: Problems = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  const title = requiredText(problems, 'title', input.title, 200, 'what the training was');
  const provider = requiredText(problems, 'provider', input.provider, 200, 'who gave the training');
  if (!Number.isInteger(input.hours) || input.hours < 1 || input.hours > 1000)
    problems.push(problem(['hours'], 'INVALID', 'whole hours, from 1 to 1,000'));
  if (input.completedOn > today()) problems.push(problem(['completedOn'], 'INVALID', 'not in the future'));
  if (problems.length > 0) return { training: null, worker: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    context.database.db,
    { schema: 'people', operation: 'recordTraining', caller: context.caller, idempotencyKey: input.idempotencyKey },
    async ({ tx, audit }) => {
      const worker = await workerOf(tx, input.workerId);
      if (input.completedOn < worker.hiredOn)
        throw new InputError([problem(['completedOn'], 'INVALID', `before the worker was hired (${worker.hiredOn})`)]);
      if (worker.leftOn !== null && input.completedOn > worker.leftOn) {
        throw new InputError([problem(['completedOn'], 'INVALID', `after the worker left (${worker.leftOn})`)]);
      }
      const row: TrainingRow = {
        id: `trn-${randomUUID()}`,
        workerId: worker.id,
        title,
        provider,
        completedOn: input.completedOn,
        hours: input.hours,
      };
      await tx.insert(trainings).values(row);
      await audit({ entityType: 'Training', entityId: row.id, operation: 'recordTraining', before: null, after: row });
      return row.id;
    },
  );
  if (!outcome.ok) return { training: null, worker: null, replayed: false, errors: outcome.problems };
  const rows = committed(context);
  const training = await rows.training(outcome.value);
  context.loaders.trainingsByWorker.clear(training?.workerId ?? input.workerId);
  return { training, worker: training && (await rows.worker(training.workerId)), replayed: outcome.replayed, errors: [] };
};

export const recordWorkerEvaluation: NonNullable<MutationResolvers['recordWorkerEvaluation']> = async (_parent, { input }, context) => {
  const problems: Problems = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  if (!Number.isInteger(input.score) || input.score < 0 || input.score > 100)
    problems.push(problem(['score'], 'INVALID', 'a whole number from 0 to 100'));
  const thisYear = yearOf(today());
  if (!Number.isInteger(input.year) || input.year < yearOf(earliestDate) || input.year > thisYear) {
    problems.push(problem(['year'], 'INVALID', `a year up to ${thisYear}`));
  }
  if (problems.length > 0) return { evaluation: null, worker: null, replayed: false, errors: problems };

  const evaluated = () => problem(['year'], 'CONFLICT', `the worker's ${input.year} evaluation is recorded already`);
  const outcome = await runMutation(
    context.database.db,
    {
      schema: 'people',
      operation: 'recordWorkerEvaluation',
      caller: context.caller,
      idempotencyKey: input.idempotencyKey,
      // A concurrent record of the same worker and year got there first.
      explain: (error) => (violatedConstraint(error) === 'evaluations_worker_year_idx' ? [evaluated()] : null),
    },
    async ({ tx, audit }) => {
      const worker = await workerOf(tx, input.workerId);
      if (input.year < yearOf(worker.hiredOn))
        throw new InputError([problem(['year'], 'INVALID', `before the worker was hired (${worker.hiredOn})`)]);
      if (worker.leftOn !== null && input.year > yearOf(worker.leftOn))
        throw new InputError([problem(['year'], 'INVALID', `after the worker left (${worker.leftOn})`)]);
      const [existing] = await tx
        .select({ id: evaluations.id })
        .from(evaluations)
        .where(and(eq(evaluations.workerId, worker.id), eq(evaluations.year, input.year)));
      if (existing) throw new InputError([evaluated()]);
      const row: EvaluationRow = {
        id: `eval-${randomUUID()}`,
        workerId: worker.id,
        year: input.year,
        rating: input.rating,
        score: input.score,
      };
      await tx.insert(evaluations).values(row);
      await audit({ entityType: 'WorkerEvaluation', entityId: row.id, operation: 'recordWorkerEvaluation', before: null, after: row });
      return row.id;
    },
  );
  if (!outcome.ok) return { evaluation: null, worker: null, replayed: false, errors: outcome.problems };
  const rows = committed(context);
  const evaluation = await rows.evaluation(outcome.value);
  context.loaders.evaluationsByWorker.clear(evaluation?.workerId ?? input.workerId);
  return { evaluation, worker: evaluation && (await rows.worker(evaluation.workerId)), replayed: outcome.replayed, errors: [] };
};
