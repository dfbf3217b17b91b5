import type { Gender } from '../generated/graphql.ts';

/** What an 18-character resident ID number (GB 11643-1999) says about its holder. */
export interface ResidentId {
  /** Upper-cased (`x` → `X`), as stored. */
  idNumber: string;
  birthDate: string;
  gender: Gender;
}

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checks = '10X98765432';
/** Province-level codes that begin an ID number (GB/T 2260), with 71/81/82/83 of the residence permits. */
const provinces = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
  83,
]);

/** The check character of the first 17 digits: ISO 7064 MOD 11-2. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * weights[i]!;
  return checks[sum % 11]!;
}

/**
 * Reads an ID number, or says why it is not one (a message a form can show): the shape, the region, the
 * date of birth (a real day, not in the future) and the check character, which catches a mistyped digit
 * and most swapped pairs.
 */
export function parseResidentId(raw: string, today: string): ResidentId | string {
  const idNumber = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(idNumber)) return '18 characters: 17 digits, then a digit or X';
  if (!provinces.has(Number(idNumber.slice(0, 2)))) return `${idNumber.slice(0, 2)} is no province code: check the first digits`;
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  const day = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== birthDate || birthDate < '1900-01-01' || birthDate > today) {
    return `digits 7 to 14 (${idNumber.slice(6, 14)}) are no date of birth`;
  }
  if (checkCharacter(idNumber) !== idNumber[17]) return 'the check character does not match the other digits: one is mistyped';
  return { idNumber, birthDate, gender: Number(idNumber[16]) % 2 === 1 ? 'MALE' : 'FEMALE' };
}
