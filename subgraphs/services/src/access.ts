import type { Caller } from '@gongzhi/kit';
import type { EvaluationRow } from './db/schema.ts';

/**
 * Third-party evaluations a caller may read (the field itself needs a signed-in caller): a partner
 * only those it carried out; analysts, staff and admins all.
 */
export async function visibleEvaluations(caller: Caller, evaluations: Promise<EvaluationRow[]> | EvaluationRow[]): Promise<EvaluationRow[]> {
  const rows = await evaluations;
  return caller.role === 'partner' ? rows.filter((row) => row.evaluatorOrganisationId === caller.organisationId) : rows;
}
