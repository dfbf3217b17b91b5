import { randomUUID } from 'node:crypto';
import { type FieldProblem, InputError, lockRow, nextVersion, parseInstant, problem, runMutation } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { events } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import type { ServicesDatabase } from '../../../context.ts';
import { communityPlacement, idempotencyKeyProblems, organisationProblems, textProblems } from '../../common/write-checks.ts';

const eventById = async (database: ServicesDatabase, id: string) =>
  (await database.db.select().from(events).where(eq(events.id, id)))[0] ?? null;

export const createEvent: MutationResolvers['createEvent'] = async (_parent, { input }, { database, caller }) => {
  const problems: FieldProblem[] = [
    ...idempotencyKeyProblems(input.idempotencyKey),
    ...(input.communityId.trim() ? [] : [problem(['communityId'], 'REQUIRED', 'name the community that hosts it')]),
    ...textProblems(input.title, ['title'], 200, 'give the event a title'),
    ...organisationProblems(input.organiserOrganisationId, ['organiserOrganisationId']),
  ];
  const year = new Date(input.startsAt).getUTCFullYear();
  if (year < 2000 || year > 2100) problems.push(problem(['startsAt'], 'INVALID', 'a time between 2000 and 2100'));
  if (problems.length > 0) return { event: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    { schema: 'services', operation: 'createEvent', caller, idempotencyKey: input.idempotencyKey },
    async ({ tx, audit }) => {
      if (!(await communityPlacement(tx, input.communityId)).known) {
        throw new InputError([problem(['communityId'], 'NOT_FOUND', 'no community with this id has services records')]);
      }
      const event = {
        id: `evt-${randomUUID()}`,
        communityId: input.communityId,
        kind: input.kind,
        title: input.title.trim(),
        startsAt: input.startsAt,
        organiserOrganisationId: input.organiserOrganisationId,
        attendance: null,
        version: 1,
      };
      await tx.insert(events).values(event);
      await audit({ entityType: 'Event', entityId: event.id, operation: 'createEvent', before: null, after: event });
      return event.id;
    },
  );
  if (!outcome.ok) return { event: null, replayed: false, errors: outcome.problems };
  return { event: await eventById(database, outcome.value), replayed: outcome.replayed, errors: [] };
};

/**
 * Attendance is a count of what happened: an event that has not started has none to record
 * (ILLEGAL_TRANSITION on `eventId`: the input is fine, the event is not there yet). Once it has started,
 * attendance may be recorded and corrected, each time against the version the client read.
 */
export const recordAttendance: MutationResolvers['recordAttendance'] = async (_parent, { input }, { database, caller }) => {
  if (input.attendance < 0) return { event: null, errors: [problem(['attendance'], 'INVALID', 'zero or more people')] };

  const outcome = await runMutation(database.db, { schema: 'services', operation: 'recordAttendance', caller }, async ({ tx, audit }) => {
    const event = await lockRow(tx, events, input.eventId, ['eventId'], 'no event has this id');
    const version = nextVersion(event, input.expectedVersion);
    if (parseInstant(event.startsAt)! > Date.now()) {
      throw new InputError([
        problem(['eventId'], 'ILLEGAL_TRANSITION', 'the event has not started yet: record its attendance once it has'),
      ]);
    }
    await tx.update(events).set({ attendance: input.attendance, version }).where(eq(events.id, event.id));
    await audit({
      entityType: 'Event',
      entityId: event.id,
      operation: 'recordAttendance',
      before: event,
      after: { ...event, attendance: input.attendance, version },
    });
    return event.id;
  });
  if (!outcome.ok) return { event: null, errors: outcome.problems };
  return { event: await eventById(database, outcome.value), errors: [] };
};
