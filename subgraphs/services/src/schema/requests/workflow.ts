import {
  InputError,
  nextVersion,
  problem,
  runMutation,
  violatedConstraint,
  type Caller,
  type FieldProblem,
  type MutationOutcome,
  type MutationScope,
} from '@gongzhi/kit';
import { desc, eq, sql } from 'drizzle-orm';
import type * as schema from '../../db/schema.ts';
import { serviceRequestSteps, serviceRequests, type ServiceRequestRow, type ServiceRequestStepRow } from '../../db/schema.ts';
import type { ServicesDatabase } from '../../context.ts';

type Status = ServiceRequestStepRow['status'];

/**
 * The staff steps of the workflow: which statuses each mutation leaves and the one it reaches. Reopening
 * and acknowledging both reach ACKNOWLEDGED, so a step is chosen by mutation, not by target; every pair
 * is one of `requestTransitions`, which the database checks again.
 */
export const staffSteps = {
  acknowledgeServiceRequest: { from: ['SUBMITTED'], to: 'ACKNOWLEDGED', done: 'acknowledged' },
  startServiceRequest: { from: ['ACKNOWLEDGED'], to: 'IN_PROGRESS', done: 'started' },
  resolveServiceRequest: { from: ['ACKNOWLEDGED', 'IN_PROGRESS'], to: 'RESOLVED', done: 'resolved' },
  closeServiceRequest: { from: ['RESOLVED'], to: 'CLOSED', done: 'closed' },
  reopenServiceRequest: { from: ['RESOLVED', 'CLOSED'], to: 'ACKNOWLEDGED', done: 'reopened' },
} as const satisfies Record<string, { from: readonly Status[]; to: Status; done: string }>;

export type StaffStep = keyof typeof staffSteps;

/** Notes, resolutions and reasons: shown in the history, so kept to what a form shows. */
export const maxNoteLength = 2000;

/** What the audit log keeps of a request: never the submitter's name, phone or receipt. */
export const auditView = (row: ServiceRequestRow, status: Status) => ({
  id: row.id,
  communityId: row.communityId,
  subdistrictId: row.subdistrictId,
  category: row.category,
  channel: row.channel,
  description: row.description,
  submittedAt: row.submittedAt,
  status,
  satisfaction: row.satisfaction,
  satisfactionComment: row.satisfactionComment,
  version: row.version,
});

/** The request `id`, locked for the rest of the transaction (writers of one request queue here), and its last step. */
export async function lockRequest(
  tx: MutationScope<typeof schema>['tx'],
  id: string,
): Promise<{ row: ServiceRequestRow; last: ServiceRequestStepRow } | null> {
  const [row] = await tx.select().from(serviceRequests).where(eq(serviceRequests.id, id)).for('update');
  if (!row) return null;
  const [last] = await tx
    .select()
    .from(serviceRequestSteps)
    .where(eq(serviceRequestSteps.serviceRequestId, id))
    .orderBy(desc(serviceRequestSteps.seq))
    .limit(1);
  return { row, last: last! };
}

/** A step that lost a race past the lock (it cannot, but the key says so if it did) is a stale version. */
const explainStep = (error: unknown): FieldProblem[] | null =>
  violatedConstraint(error) === 'service_request_steps_pkey'
    ? [problem(['expectedVersion'], 'CONFLICT', 'the request changed meanwhile: reload and try again')]
    : null;

/**
 * Takes one staff step on a request, in one transaction: the version must be the one the client read
 * (else CONFLICT), the current status one the step leaves (else ILLEGAL_TRANSITION); then one new step,
 * the version bumped, and one audit entry (before → after). Answers the request id.
 */
export function takeStaffStep(
  database: ServicesDatabase,
  caller: Caller,
  step: StaffStep,
  input: { id: string; expectedVersion: number },
  note: string,
): Promise<MutationOutcome<string>> {
  const { from, to, done } = staffSteps[step];
  return runMutation(database.db, { schema: 'services', operation: step, caller, explain: explainStep }, async ({ tx, audit }) => {
    const locked = await lockRequest(tx, input.id);
    if (!locked) throw new InputError([problem(['id'], 'NOT_FOUND', 'no service request has this id')]);
    const { row, last } = locked;
    const version = nextVersion(row, input.expectedVersion);
    if (!(from as readonly Status[]).includes(last.status)) {
      throw new InputError([
        problem(['id'], 'ILLEGAL_TRANSITION', `the request is ${last.status}: only a request that is ${from.join(' or ')} can be ${done}`),
      ]);
    }
    // The database's clock, read after the lock: each step is later than the one before.
    await tx
      .insert(serviceRequestSteps)
      .values({ serviceRequestId: row.id, seq: last.seq + 1, status: to, previousStatus: last.status, at: sql`clock_timestamp()`, note });
    await tx.update(serviceRequests).set({ version }).where(eq(serviceRequests.id, row.id));
    await audit({
      entityType: 'ServiceRequest',
      entityId: row.id,
      operation: step,
      before: auditView(row, last.status),
      after: auditView({ ...row, version }, to),
    });
    return row.id;
  });
}
