import type { PersonRow } from '../db/schema.ts';

/** All but the last four characters starred: enough to tell two numbers apart in a review, not to use one. */
export const lastFour = (value: string) => '*'.repeat(Math.max(0, [...value].length - 4)) + [...value].slice(-4).join('');

export const withheld = '[withheld]';

/**
 * A person as the audit log keeps it. The log is read by admins long after the change and copied into
 * reviews, so personal data never enters it in clear: the ID number and phone keep their last four
 * characters, the address is withheld, and the birth date keeps its year (what `birthYear` says anyway).
 */
export function auditedPerson(person: PersonRow): Record<string, unknown> {
  return {
    ...person,
    idNumber: lastFour(person.idNumber),
    phone: lastFour(person.phone),
    address: withheld,
    birthDate: `${person.birthDate.slice(0, 4)}-**-**`,
  };
}
