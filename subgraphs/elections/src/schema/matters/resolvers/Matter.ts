import type { MatterResolvers } from '../../../generated/graphql.ts';

export const Matter: MatterResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.matterById.load(id),
  community: (matter) => ({ id: matter.communityId }),
  residentsCommittee: (matter) => ({ id: matter.residentsCommitteeId }),
  /** Derived, never stored: the furthest of its stage rows (they come in stage order). */
  stage: async (matter, _args, { loaders }) => {
    const last = (await loaders.stagesByMatter.load(matter.id)).at(-1);
    if (!last) throw new Error(`matter ${matter.id} has no stage`);
    return last.stage;
  },
  stages: (matter, _args, { loaders }) => loaders.stagesByMatter.load(matter.id),
};
