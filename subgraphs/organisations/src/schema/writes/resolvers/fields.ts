import { isValidCreditCode } from '@gongzhi/dataset';
import { problem, today, type FieldProblem } from '@gongzhi/kit';
import type { OrganisationRow } from '../../../db/schema.ts';
import type { ContactDetailsInput } from '../../../generated/graphql.ts';

/**
 * Field checks shared by the slice's mutations. Each records its problems in `problems` (so a form sees
 * every bad field at once) and answers the cleaned value. An optional value answers `undefined` when the
 * input left it out (keep it) and `null` when it was null or blank (clear it).
 */
export type Problems = FieldProblem[];
export { requiredText } from '@gongzhi/kit';

export function optionalText(problems: Problems, path: string[], value: string | null | undefined, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  const text = value?.trim() ?? '';
  if (text.length > max) problems.push(problem(path, 'INVALID', `at most ${max} characters`));
  return text || null;
}

/** Unified social credit codes are written upper-case; the check character catches a mistyped one. */
export function creditCode(problems: Problems, path: string[], value: string | null | undefined): string | null | undefined {
  const code = optionalText(problems, path, value?.toUpperCase(), Infinity);
  if (code && !isValidCreditCode(code))
    problems.push(problem(path, 'INVALID', 'not a unified social credit code: 18 characters with a valid check character'));
  return code;
}

export function notInFuture(problems: Problems, path: string[], date: string | null | undefined): void {
  if (date && date > today()) problems.push(problem(path, 'INVALID', `cannot be later than today (${today()})`));
}

type Contact = Pick<OrganisationRow, 'phone' | 'email' | 'address' | 'website'>;

const contactKeys = ['phone', 'email', 'address', 'website'] as const satisfies (keyof Contact)[];
const contactFormats: Partial<Record<keyof Contact, [RegExp, string]>> = {
  phone: [/^[0-9+\-() ]{3,30}$/, 'digits, spaces and + - ( ) only, e.g. 0755-27001234'],
  email: [/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an email address'],
  website: [/^https?:\/\/[^\s/$.?#][^\s]*$/i, 'an http:// or https:// address'],
};

/** The contact fields the input gives (blank or null: cleared), checked; those it leaves out are absent. */
export function contactDetails(problems: Problems, input: ContactDetailsInput | null | undefined): Partial<Contact> {
  const contact: Partial<Contact> = {};
  for (const key of contactKeys) {
    const known = problems.length;
    const value = optionalText(problems, ['contact', key], input?.[key], 200);
    if (value === undefined) continue;
    const format = contactFormats[key];
    if (format && value !== null && problems.length === known && !format[0].test(value))
      problems.push(problem(['contact', key], 'INVALID', format[1]));
    contact[key] = value;
  }
  return contact;
}
