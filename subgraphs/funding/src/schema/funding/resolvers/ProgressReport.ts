import type { ProgressReportResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';
import { present } from '../../common/present.ts';

export const ProgressReport: ProgressReportResolvers = {
  grant: (report, _args, { loaders }) => present(loaders.grantById.load(report.grantId), `grant ${report.grantId}`),
  submittedBy: (report) => ({ id: report.submittedByOrganisationId }),
  spend: (report) => money(report.spendFen),
};
