import { hasScope, type Caller, type Policy } from '@gongzhi/kit';
import type { EvaluationRow } from './db/schema.ts';

/**
 * Third-party evaluations a caller may read (the field itself needs a signed-in caller): a partner
 * only those it carried out; analysts, staff and admins all.
 */
export async function visibleEvaluations(
  caller: Caller,
  evaluations: Promise<EvaluationRow[]> | EvaluationRow[],
): Promise<EvaluationRow[]> {
  const rows = await evaluations;
  return caller.role === 'partner' ? rows.filter((row) => row.evaluatorOrganisationId === caller.organisationId) : rows;
}

/**
 * Named checks of the SDL's `@policy`: `services_writer` is staff with `write:services` or an admin (what
 * `@requiresScopes` checks, for fields that also admit others); `partner` is any partner, each mutation then
 * holding it to its own organisation.
 */
export const policies: Record<string, Policy> = {
  services_writer: (caller) => hasScope(caller, 'write:services'),
  partner: (caller) => caller.role === 'partner',
};
