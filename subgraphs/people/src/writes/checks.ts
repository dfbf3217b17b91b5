import { problem, requiredText, type FieldProblem } from '@gongzhi/kit';
import { postRole } from '../db/schema.ts';
import type { PostRole } from '../generated/graphql.ts';

/** Problems of one input, collected field by field so that one answer lists them all. */
export type Problems = FieldProblem[];
export { checkIdempotencyKey, requiredText } from '@gongzhi/kit';

/** Letters of any script (Han, Latin, Uyghur, ...), parts joined by `·`, a space, a hyphen or an apostrophe. */
const namePattern = /^\p{L}[\p{L}\p{M}]*(?:(?:[·・.'’-]| +)\p{L}[\p{L}\p{M}]*)*\.?$/u;

export function personName(problems: Problems, value: string): string {
  const name = requiredText(problems, 'name', value, 50, 'the name as on the ID card');
  if (name && [...name].length <= 50 && !namePattern.test(name)) {
    problems.push(problem(['name'], 'INVALID', 'letters only, with `·` or spaces between the parts of the name'));
  }
  return name;
}

/**
 * A phone number as stored: a mainland mobile number (11 digits from 13…), or a landline as area code and
 * number joined by a dash. Spaces, dashes, brackets and a +86 / 0086 prefix are the user's to type.
 */
export function phoneNumber(problems: Problems, value: string): string {
  const digits = value.replace(/[\s()-]/g, '').replace(/^(?:\+86|0086)/, '');
  if (!digits) {
    problems.push(problem(['phone'], 'REQUIRED', 'a number the person can be reached on'));
    return digits;
  }
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  // Area codes: 010 and 02x have three digits, every other one four; local numbers have 7 or 8.
  const landline = /^(01\d|02\d|0[3-9]\d{2})(\d{7,8})$/.exec(digits);
  if (landline) return `${landline[1]}-${landline[2]}`;
  problems.push(
    problem(['phone'], 'INVALID', 'a mobile number of 11 digits (13812345678) or a landline with its area code (0755-27771234)'),
  );
  return digits;
}

/** Community ids of the graph: `com-` and the community's 12-digit statistical code. */
export function communityId(problems: Problems, path: string, id: string): void {
  if (!/^com-\d{12}$/.test(id))
    problems.push(problem([path], 'INVALID', 'not a community id (com- and a 12-digit code, as `Community.id` answers)'));
}

// The seat roles the database knows (the organisations slice's, copied in this slice's enum).
const roles = new Set<string>(postRole.enumValues);

/**
 * What a post id says. The organisations slice owns posts and this slice cannot read them, but the graph's
 * ids are built by one scheme (`post-<organisation id without org->-<role>-<seat>`), so the id itself names
 * the post's organisation and role. Null when the id does not follow the scheme.
 */
export function parsePostId(id: string): { organisationId: string; role: PostRole } | null {
  const match = /^post-([a-z]+-[0-9a-z-]+)-([a-z_]+)-([1-9]\d{0,3})$/.exec(id);
  const role = match?.[2]?.toUpperCase();
  if (!match || !role || !roles.has(role)) return null;
  return { organisationId: `org-${match[1]}`, role: role as PostRole };
}

export function postId(problems: Problems, path: string, id: string): ReturnType<typeof parsePostId> {
  const post = parsePostId(id);
  if (!post) problems.push(problem([path], 'INVALID', 'not a post id (post-<organisation>-<role>-<seat>, as `Post.id` answers)'));
  return post;
}

/** `date` plus whole years (29 February becomes 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const rest = date.slice(4) === '-02-29' && !leap ? '-02-28' : date.slice(4);
  return `${year}${rest}`;
}

/** The day after `date`. */
export function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

export const yearOf = (date: string) => Number(date.slice(0, 4));

/** The earliest date any record of this slice may carry (the dates the forms take are recent). */
export const earliestDate = '1949-10-01';
