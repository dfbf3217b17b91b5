import { randomUUID } from 'node:crypto';
import {
  actorOf,
  checkIdempotencyKey,
  hasScope,
  InputError,
  problem,
  requiredText,
  runMutation,
  type FieldProblem,
  type MutationScope,
} from '@gongzhi/kit';
import { desc, eq, sql } from 'drizzle-orm';
import type * as schema from '../../../db/schema.ts';
import { microProjects, serviceRequestSteps, serviceRequests } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';
import { receiptFor, receiptHash, receiptMatches, withinSubmissionLimit } from '../submissions.ts';
import { auditView, lockRequest, maxNoteLength, takeStaffStep, type StaffStep } from '../workflow.ts';

const rateLimited = (): FieldProblem => problem([], 'RATE_LIMITED', 'too many requests from this address: try again in a few minutes');

const mobile = /^1[3-9]\d{9}$/;

/** Trimmed, or null when blank: optional text a form sends as "". */
const optional = (value: string | null | undefined) => (value == null || value.trim() === '' ? null : value.trim());

/** The note of a step: required (a resolution, a reason) or optional, at most `maxNoteLength` characters. */
function stepNote(field: string, value: string | null | undefined, required: boolean): { note: string; problems: FieldProblem[] } {
  const note = optional(value) ?? '';
  if (required && note === '')
    return {
      note,
      problems: [
        problem([field], 'REQUIRED', `say ${field === 'reason' ? 'why the request is reopened' : 'how the request was resolved'}`),
      ],
    };
  if (note.length > maxNoteLength) return { note, problems: [problem([field], 'INVALID', `at most ${maxNoteLength} characters`)] };
  return { note, problems: [] };
}

/** The sub-district the community is in now, as this slice last recorded it (a request, else a project); null when it has no record. */
async function currentSubdistrict(tx: MutationScope<typeof schema>['tx'], communityId: string): Promise<string | null> {
  const [request] = await tx
    .select({ subdistrictId: serviceRequests.subdistrictId })
    .from(serviceRequests)
    .where(eq(serviceRequests.communityId, communityId))
    .orderBy(serviceRequests.sortKey)
    .limit(1);
  if (request) return request.subdistrictId;
  const [project] = await tx
    .select({ subdistrictId: microProjects.subdistrictId })
    .from(microProjects)
    .where(eq(microProjects.communityId, communityId))
    .orderBy(desc(microProjects.year), microProjects.id)
    .limit(1);
  return project?.subdistrictId ?? null;
}

/** A staff step's answer: the request as the step left it, or the problems. */
async function staffStep(
  context: Context,
  step: StaffStep,
  input: { id: string; expectedVersion: number },
  note: string,
  problems: FieldProblem[],
) {
  if (problems.length > 0) return { request: null, errors: problems };
  const outcome = await takeStaffStep(context.database, context.caller, step, input, note);
  if (!outcome.ok) return { request: null, errors: outcome.problems };
  return { request: await context.loaders.serviceRequestAfterWrite(outcome.value), errors: [] };
}

export const Mutation: MutationResolvers = {
  submitServiceRequest: async (_parent, { input }, { database, caller, loaders }) => {
    const problems: FieldProblem[] = [];
    const idempotencyKey = input.idempotencyKey.trim();
    checkIdempotencyKey(problems, idempotencyKey);
    if (!input.communityId.trim()) problems.push(problem(['communityId'], 'REQUIRED', 'choose the community the request is about'));
    const description = requiredText(problems, 'description', input.description, 2000, 'say what the request is about');
    const submitterName = optional(input.submitterName);
    if (submitterName !== null && submitterName.length > 50) problems.push(problem(['submitterName'], 'INVALID', 'at most 50 characters'));
    const submitterPhone = optional(input.submitterPhone);
    if (submitterPhone !== null && !mobile.test(submitterPhone))
      problems.push(problem(['submitterPhone'], 'INVALID', 'an 11-digit mobile number starting 13–19, or leave it out'));
    const channel = input.channel ?? 'COMMUNITY_WEBSITE';
    if (channel !== 'COMMUNITY_WEBSITE' && !hasScope(caller, 'write:services')) {
      problems.push(problem(['channel'], 'INVALID', 'only staff recording a request taken another way may set the channel'));
    }
    if (problems.length > 0) return { request: null, receipt: null, replayed: false, errors: problems };

    // Whose submission this is (kit's actor: for the public, the client address the gateway saw): the
    // idempotency key, the receipt and the rate limit are that actor's.
    const actor = actorOf(caller);
    const outcome = await runMutation(
      database.db,
      { schema: 'services', operation: 'submitServiceRequest', caller, idempotencyKey },
      async ({ tx, audit }) => {
        // Counted only past the idempotency key, so a replay never counts; refused, the count rolls back too.
        if (caller.role === 'public' && !(await withinSubmissionLimit(tx, caller.origin ?? 'public')))
          throw new InputError([rateLimited()]);
        const subdistrictId = await currentSubdistrict(tx, input.communityId);
        if (subdistrictId === null) throw new InputError([problem(['communityId'], 'NOT_FOUND', 'no community has this id')]);
        const id = `sr-${randomUUID()}`;
        const [row] = await tx
          .insert(serviceRequests)
          .values({
            id,
            communityId: input.communityId,
            subdistrictId,
            category: input.category,
            channel,
            description,
            // The database's clock, as every later step's: the steps of a request never run backwards.
            submittedAt: sql`clock_timestamp()`,
            submitterName,
            submitterPhone,
            receiptHash: receiptHash(receiptFor(id, actor, idempotencyKey)),
          })
          .returning();
        await tx
          .insert(serviceRequestSteps)
          .values({ serviceRequestId: id, seq: 1, status: 'SUBMITTED', previousStatus: null, at: row!.submittedAt, note: '' });
        await audit({
          entityType: 'ServiceRequest',
          entityId: id,
          operation: 'submitServiceRequest',
          before: null,
          after: auditView(row!, 'SUBMITTED'),
        });
        return id;
      },
    );
    if (!outcome.ok) return { request: null, receipt: null, replayed: false, errors: outcome.problems };
    const request = await loaders.serviceRequestAfterWrite(outcome.value);
    // Derived again for a replay; answered only when it is the one stored (the secret may have changed since).
    const receipt = receiptFor(outcome.value, actor, idempotencyKey);
    return {
      request,
      receipt: receiptMatches(receipt, request?.receiptHash ?? null) ? receipt : null,
      replayed: outcome.replayed,
      errors: [],
    };
  },

  acknowledgeServiceRequest: (_parent, { input }, context) => {
    const { note, problems } = stepNote('note', input.note, false);
    return staffStep(context, 'acknowledgeServiceRequest', input, note, problems);
  },
  startServiceRequest: (_parent, { input }, context) => {
    const { note, problems } = stepNote('note', input.note, false);
    return staffStep(context, 'startServiceRequest', input, note, problems);
  },
  resolveServiceRequest: (_parent, { input }, context) => {
    const { note, problems } = stepNote('resolution', input.resolution, true);
    return staffStep(context, 'resolveServiceRequest', input, note, problems);
  },
  closeServiceRequest: (_parent, { input }, context) => {
    const { note, problems } = stepNote('note', input.note, false);
    return staffStep(context, 'closeServiceRequest', input, note, problems);
  },
  reopenServiceRequest: (_parent, { input }, context) => {
    const { note, problems } = stepNote('reason', input.reason, true);
    return staffStep(context, 'reopenServiceRequest', input, note, problems);
  },

  rateServiceRequest: async (_parent, { input }, { database, caller, loaders }) => {
    const problems: FieldProblem[] = [];
    if (!input.receipt.trim()) problems.push(problem(['receipt'], 'REQUIRED', 'the receipt the submission answered'));
    if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
      problems.push(problem(['rating'], 'INVALID', 'a whole number from 1 to 5'));
    const comment = optional(input.comment);
    if (comment !== null && comment.length > 1000) problems.push(problem(['comment'], 'INVALID', 'at most 1,000 characters'));
    if (problems.length > 0) return { request: null, errors: problems };

    const outcome = await runMutation(
      database.db,
      { schema: 'services', operation: 'rateServiceRequest', caller },
      async ({ tx, audit }) => {
        const locked = await lockRequest(tx, input.id);
        // An unknown id and a wrong receipt answer alike: the answer must not tell which ids exist.
        if (!locked || !receiptMatches(input.receipt.trim(), locked.row.receiptHash)) {
          throw new InputError([problem(['receipt'], 'NOT_FOUND', 'no request with this id was submitted with this receipt')]);
        }
        const { row, last } = locked;
        if (last.status !== 'RESOLVED' && last.status !== 'CLOSED') {
          throw new InputError([
            problem(['id'], 'ILLEGAL_TRANSITION', `the request is ${last.status}: it can be rated once it is resolved`),
          ]);
        }
        if (row.satisfaction !== null) throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', 'the request is rated already')]);
        const after = { ...row, satisfaction: input.rating, satisfactionComment: comment, version: row.version + 1 };
        await tx
          .update(serviceRequests)
          .set({ satisfaction: after.satisfaction, satisfactionComment: after.satisfactionComment, version: after.version })
          .where(eq(serviceRequests.id, row.id));
        await audit({
          entityType: 'ServiceRequest',
          entityId: row.id,
          operation: 'rateServiceRequest',
          before: auditView(row, last.status),
          after: auditView(after, last.status),
        });
        return row.id;
      },
    );
    if (!outcome.ok) return { request: null, errors: outcome.problems };
    return { request: await loaders.serviceRequestAfterWrite(outcome.value), errors: [] };
  },
};
