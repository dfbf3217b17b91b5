import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, today, type Db, type FieldProblem } from '@gongzhi/kit';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type * as schema from '../../db/schema.ts';
import { budgets, funds, grants, programmes, transactions } from '../../db/schema.ts';
import type { MutationResolvers } from '../../generated/graphql.ts';
import { checkFen, checkIdempotencyKey, idOf, requiredText } from './checks.ts';

/** What the slice knows of the grant to award, checked in the mutation's transaction. */
interface Award {
  programmeId: string;
  communityId: string | null;
  microProjectId: string | null;
  year: number;
  amount: number;
}

type Tx = Db<typeof schema>;

/**
 * The programme, the beneficiary community and its sub-district, and what the programme's budget allows,
 * all as this slice records them (organisations and micro-projects belong to other slices: their ids are
 * only checked where a row here names them). Every problem found is reported at once.
 */
async function checkAward(tx: Tx, award: Award) {
  const problems: FieldProblem[] = [];
  const [programme] = await tx
    .select({ funder: programmes.funderOrganisationId, kind: funds.kind })
    .from(programmes)
    .innerJoin(funds, eq(funds.id, programmes.fundId))
    .where(eq(programmes.id, award.programmeId));
  if (!programme) problems.push(problem(['programmeId'], 'NOT_FOUND', 'no programme has this id'));
  else if (award.microProjectId !== null && programme.kind !== 'MICRO_PROJECT_FUND') {
    problems.push(problem(['microProjectId'], 'INVALID', 'micro-projects are funded from a programme of the micro-project fund'));
  }

  // A micro-project already funded names its community: a further grant to it benefits the same one.
  let communityId = award.communityId;
  if (communityId === null && award.microProjectId !== null) {
    const [funded] = await tx
      .select({ communityId: grants.beneficiaryCommunityId })
      .from(grants)
      .where(eq(grants.microProjectId, award.microProjectId))
      .limit(1);
    communityId = funded?.communityId ?? null;
  }
  // Grants record the sub-district at award; the budgets say where the community was in each year
  // (the one nearest the grant's year when that year has none).
  let subdistrictId: string | null = null;
  if (communityId === null) problems.push(problem(['communityId'], 'REQUIRED', 'choose the community that benefits'));
  else {
    const [placed] = await tx
      .select({ subdistrictId: budgets.subdistrictId })
      .from(budgets)
      .where(eq(budgets.communityId, communityId))
      .orderBy(sql`abs(${budgets.year} - ${award.year})`, desc(budgets.year))
      .limit(1);
    if (!placed) problems.push(problem(['communityId'], 'NOT_FOUND', 'no community of the district has this id'));
    subdistrictId = placed?.subdistrictId ?? null;
  }
  if (!programme || communityId === null || subdistrictId === null) throw new InputError(problems);

  // Where the programme keeps a budget for the community and year, grants (but cancelled ones) stay within
  // it. The budget row is locked so concurrent awards against it queue instead of overspending together.
  const [budget] = await tx
    .select()
    .from(budgets)
    .where(and(eq(budgets.programmeId, award.programmeId), eq(budgets.communityId, communityId), eq(budgets.year, award.year)))
    .for('update');
  if (budget) {
    const [awarded] = await tx
      .select({ fen: sql<string>`coalesce(sum(${grants.amountFen}), 0)` })
      .from(grants)
      .where(
        and(
          eq(grants.programmeId, award.programmeId),
          eq(grants.beneficiaryCommunityId, communityId),
          eq(grants.year, award.year),
          ne(grants.status, 'CANCELLED'),
        ),
      );
    const left = budget.amountFen - Number(awarded!.fen);
    if (award.amount > left) {
      problems.push(problem(['amount'], 'LIMIT_EXCEEDED', `the programme's ${award.year} budget for this community has ${left} fen left`));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { funderOrganisationId: programme.funder, communityId, subdistrictId };
}

export const createGrant: NonNullable<MutationResolvers['createGrant']> = async (_parent, { input }, { database, caller, loaders }) => {
  const problems: FieldProblem[] = [];
  const programmeId = idOf(problems, 'programmeId', input.programmeId)!;
  const recipient = idOf(problems, 'recipientOrganisationId', input.recipientOrganisationId)!;
  const implementer = idOf(problems, 'implementingOrganisationId', input.implementingOrganisationId, false) ?? recipient;
  const communityId = idOf(problems, 'communityId', input.communityId, false);
  const microProjectId = idOf(problems, 'microProjectId', input.microProjectId, false);
  const title = requiredText(problems, 'title', input.title, 200, 'say what the grant is for');
  checkFen(problems, 'amount', input.amount);
  checkIdempotencyKey(problems, input.idempotencyKey);

  const awardedYear = Number(input.awardedOn.slice(0, 4));
  const year = input.year ?? awardedYear;
  if (input.awardedOn > today()) problems.push(problem(['awardedOn'], 'INVALID', 'a grant is recorded once awarded: not a future date'));
  else if (awardedYear < 1900) problems.push(problem(['awardedOn'], 'INVALID', 'not before 1900'));
  const yearFits = Math.abs(year - awardedYear) <= 1;
  if (!yearFits) problems.push(problem(['year'], 'INVALID', `the year of the award (${awardedYear}) or one either side`));
  const plannedStart = input.plannedStart ?? input.awardedOn;
  const plannedEnd = input.plannedEnd ?? `${year}-12-31`;
  if (plannedStart < input.awardedOn) problems.push(problem(['plannedStart'], 'INVALID', `not before the award (${input.awardedOn})`));
  // A default end follows the year: a wrong year is the one problem to report then.
  else if (plannedEnd < plannedStart && (input.plannedEnd || yearFits)) {
    problems.push(
      problem(
        ['plannedEnd'],
        'INVALID',
        input.plannedEnd
          ? `not before the planned start (${plannedStart})`
          : `give it: the budget year ends before the planned start (${plannedStart})`,
      ),
    );
  }
  if (problems.length > 0) return { grant: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    { schema: 'funding', operation: 'createGrant', caller, idempotencyKey: input.idempotencyKey },
    async ({ tx, audit }) => {
      const known = await checkAward(tx, { programmeId, communityId, microProjectId, year, amount: input.amount });
      const id = `grant-${randomUUID()}`;
      const [grant] = await tx
        .insert(grants)
        .values({
          id,
          programmeId,
          title,
          funderOrganisationId: known.funderOrganisationId,
          recipientOrganisationId: recipient,
          implementingOrganisationId: implementer,
          amountFen: input.amount,
          awardedOn: input.awardedOn,
          plannedStart,
          plannedEnd,
          year,
          beneficiaryCommunityId: known.communityId,
          beneficiarySubdistrictId: known.subdistrictId,
          microProjectId,
          status: 'AWARDED',
        })
        .returning();
      await audit({ entityType: 'Grant', entityId: id, operation: 'createGrant', before: null, after: grant });
      // An award commits its whole amount: disbursements are checked against commitments.
      const commitment = {
        id: `tx-${randomUUID()}`,
        grantId: id,
        type: 'COMMITMENT' as const,
        on: input.awardedOn,
        amountFen: input.amount,
        description: '资金承诺',
      };
      await tx.insert(transactions).values(commitment);
      await audit({ entityType: 'Transaction', entityId: commitment.id, operation: 'createGrant', before: null, after: commitment });
      return id;
    },
  );
  if (!outcome.ok) return { grant: null, replayed: false, errors: outcome.problems };
  return { grant: await loaders.grantById.load(outcome.value), replayed: outcome.replayed, errors: [] };
};
