import { checkYear } from '@gongzhi/kit';
import type { Context } from '../../../context.ts';
import type { ProgrammeRow } from '../../../db/schema.ts';
import type { ProgrammeResolvers } from '../../../generated/graphql.ts';
import { present } from '../../common/present.ts';

const fundOf = (programme: ProgrammeRow, { loaders }: Context) =>
  present(loaders.fundById.load(programme.fundId), `fund ${programme.fundId}`);

export const Programme: ProgrammeResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.programmeById.load(id),
  /** The kind of its fund (never stored on the programme). */
  kind: async (programme, _args, context) => (await fundOf(programme, context)).kind,
  fund: (programme, _args, context) => fundOf(programme, context),
  funder: (programme) => ({ id: programme.funderOrganisationId }),
  budgets: (programme, { year }, { loaders }) => loaders.budgetsOfProgramme({ year: checkYear(year) ?? null }).load(programme.id),
  grants: (programme, args, { loaders }) => {
    checkYear(args.year);
    return loaders.grantsOfProgramme(programme.id, args);
  },
};
