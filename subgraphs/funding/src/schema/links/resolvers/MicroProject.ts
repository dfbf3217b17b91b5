import type { MicroProjectResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';

export const MicroProject: MicroProjectResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  grants: (project, _args, { loaders }) => loaders.grantsByMicroProject.load(project.id),
  /** Expenditure − refunds on its grants; zero when it has none (yet). */
  spent: async (project, _args, { loaders }) => money((await loaders.spentByMicroProject.load(project.id))?.netFen ?? 0),
};
