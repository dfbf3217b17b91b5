import type { SubdistrictResolvers } from '../../../generated/graphql.ts';
import { countedYear } from '../../population/resolvers/year.ts';

export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  population: async (subdistrict, { year }, context) => {
    const [asked, counts] = await Promise.all([countedYear(year, context), context.loaders.populationBySubdistrict.load(subdistrict.id)]);
    const count = counts.find((candidate) => candidate.year === asked);
    return count ? { year: count.year, localHukou: count.localHukou, nonLocalHukou: count.nonLocalHukou } : null;
  },
  populationHistory: async (subdistrict, _args, { loaders }) =>
    (await loaders.populationBySubdistrict.load(subdistrict.id))
      .map(({ year, localHukou, nonLocalHukou }) => ({ year, localHukou, nonLocalHukou }))
      .sort((a, b) => a.year - b.year),
};
