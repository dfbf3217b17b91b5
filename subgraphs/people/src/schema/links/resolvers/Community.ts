import { withSmallCellsSuppressed } from '@gongzhi/kit';
import type { MembershipRow } from '../../../db/schema.ts';
import type { CommunityResolvers } from '../../../generated/graphql.ts';
import { crossAppointmentKey, workersInPostKey } from '../../../loaders/index.ts';
import { countedYear } from '../../population/resolvers/year.ts';

export const Community: CommunityResolvers = {
  // The representation itself: in `crossAppointments` calls it carries the fields that field @requires.
  __resolveReference: (reference) => reference,
  population: async (community, { year }, context) => {
    const [asked, counts] = await Promise.all([countedYear(year, context), context.loaders.populationByCommunity.load(community.id)]);
    return counts.find((count) => count.year === asked) ?? null;
  },
  populationHistory: async (community, _args, { loaders }) =>
    [...(await loaders.populationByCommunity.load(community.id))].sort((a, b) => a.year - b.year),
  workers: (community, args, { loaders }) => loaders.workersOfCommunity(community.id, args),
  workersPer1000Residents: async (community, { year }, context) => {
    const asked = await countedYear(year, context);
    if (asked === null) return null;
    const [inPost, counts] = await Promise.all([
      context.loaders.workersInPostDuring.load(workersInPostKey(community.id, asked)),
      context.loaders.populationByCommunity.load(community.id),
    ]);
    const count = counts.find((candidate) => candidate.year === asked);
    const residents = count ? count.localHukou + count.nonLocalHukou : 0;
    if (residents === 0 || !inPost) return null;
    // A handful of workers per community: the public and partners get the rate only when enough are in post.
    const rate = { workers: inPost.n, workersPer1000Residents: (inPost.n / residents) * 1000 };
    return withSmallCellsSuppressed(context.caller, rate, { counts: ['workers'], derived: { workersPer1000Residents: ['workers'] } })
      .workersPer1000Residents;
  },
  residents: (community, args, { loaders }) => loaders.residentsOfCommunity(community.id, args),
  deputies: (community, _args, { loaders }) => loaders.deputiesByReceptionCommunity.load(community.id),
  volunteers: (community, args, { loaders }) => loaders.volunteersOfCommunity(community.id, args),
  crossAppointments: async (community, _args, { loaders }) => {
    const held = await loaders.crossAppointmentMemberships.load(crossAppointmentKey(community));
    const byPerson = new Map<string, MembershipRow[]>();
    for (const membership of held) byPerson.set(membership.personId, [...(byPerson.get(membership.personId) ?? []), membership]);
    return [...byPerson].map(([personId, memberships]) => ({ personId, memberships }));
  },
};
