import { visibleEvaluations } from '../../../access.ts';
import type { MicroProjectResolvers } from '../../../generated/graphql.ts';

export const MicroProject: MicroProjectResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.microProjectById.load(id),
  community: (project) => ({ id: project.communityId }),
  subdistrict: (project) => ({ id: project.subdistrictId }),
  proposer: (project) => ({ id: project.proposerOrganisationId }),
  /** Derived, never stored: the latest of its steps (they come in lifecycle order). */
  status: async (project, _args, { loaders }) => {
    const last = (await loaders.stepsOfProject(project)).at(-1);
    if (!last) throw new Error(`micro-project ${project.id} has no step`);
    return last.status;
  },
  history: (project, _args, { loaders }) => loaders.stepsOfProject(project),
  plannedBudget: (project) => ({ amount: project.plannedBudgetFen, currency: 'CNY' }),
  evaluations: (project, _args, { loaders, caller }) => visibleEvaluations(caller, loaders.evaluationsOfProject(project)),
};
