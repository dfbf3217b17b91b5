import { checkIdempotencyKey, problem, requiredText, rowsOf, type Db, type FieldProblem } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import { events, microProjects, serviceRequests, services } from '../../db/schema.ts';

/*
 * Checks the writes of micro-projects, events and evaluations share. Communities and organisations belong
 * to the organisations slice: a community counts as existing when this slice holds rows of it, and an
 * organisation id is checked for its form only (no slice reads another's tables).
 */

/** A required text field (kit's check), as a list of problems. */
export function textProblems(value: string | null | undefined, path: string[], max: number, what: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  requiredText(problems, path, value, max, what);
  return problems;
}

/** An optional text field: INVALID past `max` characters. */
export const optionalTextProblems = (value: string | null | undefined, path: string[], max: number): FieldProblem[] =>
  value != null && value.length > max ? [problem(path, 'INVALID', `at most ${max} characters`)] : [];

/** The reference dataset's organisation ids (`org-pc-…`, `org-rc-…`, `org-so-010`): what other slices hand out. */
const organisationId = /^org-[a-z]+-[A-Za-z0-9-]+$/;

/** REQUIRED when blank, INVALID when not of an organisation id's form. */
export function organisationProblems(value: string, path: string[]): FieldProblem[] {
  if (!value.trim()) return [problem(path, 'REQUIRED', 'name the organisation')];
  if (value.length > 100 || !organisationId.test(value))
    return [problem(path, 'INVALID', 'not an organisation id (e.g. org-pc-440306001001)')];
  return [];
}

/** Kit's check of a create's idempotency key, as a list of problems. */
export const idempotencyKeyProblems = (key: string): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  checkIdempotencyKey(problems, key);
  return problems;
};

/**
 * What this slice knows of a community: whether any of its rows names it, and the sub-district its latest
 * micro-project or service request was recorded under (null when none has been).
 */
export async function communityPlacement(tx: Db<any>, communityId: string): Promise<{ known: boolean; subdistrictId: string | null }> {
  const [row] = await rowsOf<{ subdistrict_id: string | null; listed: boolean }>(
    tx,
    sql`select (select placed.subdistrict_id from (
              select subdistrict_id, year from ${microProjects} where community_id = ${communityId}
              union all
              select subdistrict_id, submitted_year from ${serviceRequests} where community_id = ${communityId}
            ) placed order by placed.year desc limit 1) as subdistrict_id,
           exists (select 1 from ${services} where community_id = ${communityId})
             or exists (select 1 from ${events} where community_id = ${communityId}) as listed`,
  );
  // A select without `from`: always one row.
  const { subdistrict_id: subdistrictId, listed } = row!;
  return { known: listed || subdistrictId !== null, subdistrictId };
}
