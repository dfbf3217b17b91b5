import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, violatedConstraint, withClaims, type FieldProblem } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { grants, transactions } from '../../db/schema.ts';
import type { MutationResolvers } from '../../generated/graphql.ts';
import { checkIdempotencyKey, idOf, requiredText } from './checks.ts';

const limits: Record<string, string> = {
  DISBURSEMENT: 'would disburse more than is committed',
  EXPENDITURE: 'would spend more than is disbursed',
  REFUND: 'would refund more than is spent',
  COMMITMENT: 'would leave the grant disbursing more than is committed',
};

export const recordGrantTransaction: NonNullable<MutationResolvers['recordGrantTransaction']> = async (
  _parent,
  { input },
  { database, caller, loaders },
) => {
  const problems: FieldProblem[] = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  idOf(problems, 'grantId', input.grantId);
  requiredText(problems, 'description', input.description, 500, 'say what the money is for');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    problems.push(problem(['amount'], 'INVALID', 'a whole number of fen above zero'));
  if (problems.length > 0) return { transaction: null, grant: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    {
      schema: 'funding',
      operation: 'recordGrantTransaction',
      caller,
      idempotencyKey: input.idempotencyKey,
      // The deferred balance check refuses at commit: say which field and why.
      explain: (error) =>
        violatedConstraint(error) === 'transactions_balance_check'
          ? [problem(['amount'], 'LIMIT_EXCEEDED', `this ${input.type.toLowerCase()} ${limits[input.type]}`)]
          : null,
    },
    async ({ tx, audit }) => {
      // Shared lock: a concurrent cancelGrant waits for this transaction (or this one for it), so no money
      // moves on a grant cancelled in between.
      const [grant] = await tx.select().from(grants).where(eq(grants.id, input.grantId)).for('share');
      if (!grant) throw new InputError([problem(['grantId'], 'NOT_FOUND', 'no grant has this id')]);
      if (grant.status === 'CANCELLED') throw new InputError([problem(['grantId'], 'ILLEGAL_TRANSITION', 'the grant is cancelled')]);
      if (input.on < grant.awardedOn)
        throw new InputError([problem(['on'], 'INVALID', `before the grant was awarded (${grant.awardedOn})`)]);
      const row = {
        id: `tx-${randomUUID()}`,
        grantId: grant.id,
        type: input.type,
        on: input.on,
        amountFen: input.amount,
        description: input.description.trim(),
      };
      await tx.insert(transactions).values(row);
      await audit({ entityType: 'Transaction', entityId: row.id, operation: 'recordGrantTransaction', before: null, after: row });
      return row.id;
    },
  );
  if (!outcome.ok) return { transaction: null, grant: null, replayed: false, errors: outcome.problems };
  const [transaction] = await withClaims(database.db, caller, (tx) =>
    tx.select().from(transactions).where(eq(transactions.id, outcome.value)),
  );
  return { transaction: transaction ?? null, grant: await loaders.grantById.load(input.grantId), replayed: outcome.replayed, errors: [] };
};
