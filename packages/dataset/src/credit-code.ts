/** Unified social credit codes (GB 32100-2015): 18 characters, the last a check character. */
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = alphabet.indexOf(first17[i]!);
    if (value < 0) throw new Error(`invalid credit code character ${first17[i]}`);
    sum += value * weights[i]!;
  }
  return alphabet[(31 - (sum % 31)) % 31]!;
}

export function isValidCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}

/** A credit code for registration authority + type `prefix` (e.g. "54"), area 440306 and a serial number. */
export function creditCode(prefix: string, serial: number): string {
  const first17 = `${prefix}440306${String(serial).padStart(9, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}
