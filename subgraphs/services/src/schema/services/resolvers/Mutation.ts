import type { MutationResolvers } from '../../../generated/graphql.ts';
import { createEvent, recordAttendance } from '../writes/events.ts';

export const Mutation: MutationResolvers = { createEvent, recordAttendance };
