import type { CrossAppointmentResolvers } from '../../../generated/graphql.ts';
import { personOf } from '../../people/resolvers/personOf.ts';

export const CrossAppointment: CrossAppointmentResolvers = {
  person: (appointment, _args, { loaders }) => personOf(appointment, 'cross-appointment', loaders.appointeeById),
  memberships: async (appointment, _args, { loaders }) => {
    const person = await personOf(appointment, 'cross-appointment', loaders.appointeeById);
    return appointment.memberships.map((membership) => ({ ...membership, person }));
  },
};
