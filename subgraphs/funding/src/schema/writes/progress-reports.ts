import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, today, violatedConstraint, withClaims, type FieldProblem } from '@gongzhi/kit';
import { eq, sql } from 'drizzle-orm';
import { grants, progressReports } from '../../db/schema.ts';
import type { MutationResolvers } from '../../generated/graphql.ts';
import { checkFen, checkIdempotencyKey, idOf, requiredText } from './checks.ts';

const duplicate = 'the grant already has a report for this period';

/**
 * Who may submit at all is the `progress_reporter` policy (partners, staff with write:funding, admins);
 * which grant is checked here: a partner reports only on the grants it receives or implements, and on any
 * other grant is told there is none (whether it exists is not the partner's to know). Row-level security
 * (caller_rows, partner_submits_as_itself) refuses such a row even if this check were wrong.
 */
export const submitProgressReport: NonNullable<MutationResolvers['submitProgressReport']> = async (
  _parent,
  { input },
  { database, caller },
) => {
  const problems: FieldProblem[] = [];
  const partner = caller.role === 'partner' ? caller.organisationId : null;
  const outputs = requiredText(problems, 'outputs', input.outputs, 2000, 'say what was delivered');
  const narrative = requiredText(problems, 'narrative', input.narrative, 5000, 'say how the work went');
  const submittedById = idOf(problems, 'submittedById', input.submittedById, false);
  checkFen(problems, 'spend', input.spend, true);
  checkIdempotencyKey(problems, input.idempotencyKey);
  const submittedOn = today();
  if (input.periodEnd > submittedOn)
    problems.push(problem(['periodEnd'], 'INVALID', `the period is not over yet (today is ${submittedOn})`));
  if (partner !== null && submittedById !== null && submittedById !== partner)
    problems.push(problem(['submittedById'], 'INVALID', 'a partner reports as itself'));
  if (problems.length > 0) return { progressReport: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    {
      schema: 'funding',
      operation: 'submitProgressReport',
      caller,
      idempotencyKey: input.idempotencyKey,
      explain: (error) =>
        violatedConstraint(error) === 'progress_reports_grant_period_unique' ? [problem(['periodEnd'], 'CONFLICT', duplicate)] : null,
    },
    async ({ tx, audit }) => {
      // Locked: reports of one grant queue, so their spends are summed one after another.
      const [grant] = await tx.select().from(grants).where(eq(grants.id, input.grantId)).for('update');
      const parties = grant ? [grant.recipientOrganisationId, grant.implementingOrganisationId] : [];
      if (!grant || (partner !== null && !parties.includes(partner))) {
        throw new InputError([
          problem(['grantId'], 'NOT_FOUND', partner === null ? 'no grant has this id' : 'none of your grants has this id'),
        ]);
      }
      if (grant.status === 'CANCELLED')
        throw new InputError([problem(['grantId'], 'ILLEGAL_TRANSITION', 'the grant is cancelled: it takes no more reports')]);
      const submitter = partner ?? submittedById ?? grant.implementingOrganisationId;
      const found: FieldProblem[] = [];
      if (!parties.includes(submitter))
        found.push(problem(['submittedById'], 'INVALID', 'the grant’s recipient or implementer reports on it'));
      if (input.periodEnd < grant.awardedOn)
        found.push(problem(['periodEnd'], 'INVALID', `before the grant was awarded (${grant.awardedOn})`));
      const [reported] = await tx
        .select({
          fen: sql<string>`coalesce(sum(${progressReports.spendFen}), 0)`,
          samePeriod: sql<number>`count(*) filter (where ${progressReports.periodEnd} = ${input.periodEnd})`,
        })
        .from(progressReports)
        .where(eq(progressReports.grantId, grant.id));
      if (Number(reported!.samePeriod) > 0) found.push(problem(['periodEnd'], 'CONFLICT', duplicate));
      const left = grant.amountFen - Number(reported!.fen);
      if (input.spend > left)
        found.push(problem(['spend'], 'LIMIT_EXCEEDED', `the grant's reports would spend more than it awarded: ${left} fen left`));
      if (found.length > 0) throw new InputError(found);
      const row = {
        id: `report-${randomUUID()}`,
        grantId: grant.id,
        submittedByOrganisationId: submitter,
        submittedOn,
        periodEnd: input.periodEnd,
        outputs,
        spendFen: input.spend,
        narrative,
      };
      await tx.insert(progressReports).values(row);
      await audit({ entityType: 'ProgressReport', entityId: row.id, operation: 'submitProgressReport', before: null, after: row });
      return row.id;
    },
  );
  if (!outcome.ok) return { progressReport: null, replayed: false, errors: outcome.problems };
  // Read as the caller: row-level security shows a partner its own report.
  const [report] = await withClaims(database.db, caller, (tx) =>
    tx.select().from(progressReports).where(eq(progressReports.id, outcome.value)),
  );
  return { progressReport: report ?? null, replayed: outcome.replayed, errors: [] };
};
