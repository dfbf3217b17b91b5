import { givenNameCharacters, surnames } from './names.ts';
import { createRandom, randomInt } from './random.ts';
import type { CommunityRecord } from './structure.ts';

export type Gender = 'FEMALE' | 'MALE';
export type Hukou = 'LOCAL' | 'NON_LOCAL';
export const educations = [
  'PRIMARY',
  'JUNIOR_SECONDARY',
  'SENIOR_SECONDARY',
  'VOCATIONAL',
  'ASSOCIATE',
  'BACHELOR',
  'MASTER',
  'DOCTORATE',
] as const;
export type Education = (typeof educations)[number];

export interface PersonRecord {
  id: string;
  name: string;
  gender: Gender;
  birthYear: number;
  hukou: Hukou;
  communityId: string;
  education: Education;
  /** Sensitive fields: stored, marked in the SDL, never in public answers. */
  idNumber: string;
  phone: string;
  address: string;
  birthDate: string;
}

/** Where a community's residents live: its code, id, how many, and the street prefix of their addresses. */
export interface ResidentBlock {
  community: CommunityRecord;
  total: number;
  local: number;
  street: string;
}

const educationWeights = [10, 30, 22, 10, 12, 13, 2.6, 0.4];
const educationWeightTotal = educationWeights.reduce((a, b) => a + b, 0);
/** Province codes of the ID numbers of non-local residents (Guangdong's other cities, Hunan, Guangxi, ...). */
const originCodes = ['440882', '441302', '430104', '450102', '360102', '510104', '411302', '420102', '350102', '441521'];
const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idChecks = '10X98765432';
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** An 18-character resident ID number (GB 11643) with a valid check character; synthetic. */
export function residentIdNumber(region: string, birthDate: string, sequence: number): string {
  if (sequence > 999) throw new Error(`no ID number left for ${region} ${birthDate}`);
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * idWeights[i]!;
  return first17 + idChecks[sum % 11]!;
}

/** murmur3's finaliser: spreads (seed, index) into an independent PRNG seed per resident. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Every resident of the district, held as columns (a few bytes per person) rather than objects, so the
 * full 5.73 million fit in memory and stream to the database. What other slices choose people by (birth
 * year, gender, hukou, education) lives in typed arrays; names, contact details and ID numbers come from
 * a PRNG seeded per resident, so any one resident's are found without generating the others, and
 * `rows()` yields the same records every time.
 */
export class Residents {
  readonly count: number;
  /** Index of each block's first resident; the last entry is the total. */
  readonly starts: Int32Array;
  readonly birthYear: Uint16Array;
  readonly male: Uint8Array;
  readonly local: Uint8Array;
  /** Index into `educations`; raised where a resident is hired as a graduate. */
  readonly education: Uint8Array;
  readonly #blocks: ResidentBlock[];
  readonly #blockOfCode = new Map<string, number>();
  readonly #seed: number;

  constructor(blocks: ResidentBlock[], seed: number) {
    this.#blocks = blocks;
    this.#seed = seed;
    this.starts = new Int32Array(blocks.length + 1);
    blocks.forEach((block, b) => {
      this.starts[b + 1] = this.starts[b]! + block.total;
      this.#blockOfCode.set(block.community.code, b);
    });
    this.count = this.starts[blocks.length]!;
    this.birthYear = new Uint16Array(this.count);
    this.male = new Uint8Array(this.count);
    this.local = new Uint8Array(this.count);
    this.education = new Uint8Array(this.count);
    const random = createRandom(seed * 7919 + 5);
    blocks.forEach((block, b) => {
      for (let n = 0, i = this.starts[b]!; n < block.total; n++, i++) {
        const year = randomInt(random, 1940, 2018);
        this.birthYear[i] = year;
        this.male[i] = random() < 0.52 ? 1 : 0;
        this.local[i] = n < block.local ? 1 : 0;
        this.education[i] = year <= 2001 ? this.#drawEducation(random()) : 0;
      }
    });
  }

  #drawEducation(point: number): number {
    let left = point * educationWeightTotal;
    for (let e = 0; e < educationWeights.length; e++) {
      left -= educationWeights[e]!;
      if (left < 0) return e;
    }
    return educationWeights.length - 1;
  }

  /** Residents `[start, end)` of the community with index `block` in the structure's order. */
  range(block: number): [number, number] {
    return [this.starts[block]!, this.starts[block + 1]!];
  }

  blockOf(index: number): number {
    let low = 0;
    let high = this.#blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  id(index: number): string {
    const block = this.blockOf(index);
    return `per-${this.#blocks[block]!.community.code}-${String(index - this.starts[block]! + 1).padStart(6, '0')}`;
  }

  /** The index of a resident id (`per-<community code>-<n>`). */
  indexOf(id: string): number {
    const dash = id.lastIndexOf('-');
    const block = this.#blockOfCode.get(id.slice(4, dash));
    if (block === undefined) throw new Error(`not a resident id: ${id}`);
    return this.starts[block]! + Number(id.slice(dash + 1)) - 1;
  }

  hukou(index: number): Hukou {
    return this.local[index] ? 'LOCAL' : 'NON_LOCAL';
  }

  educationOf(index: number): Education {
    return educations[this.education[index]!]!;
  }

  raiseEducation(index: number, to: Education): void {
    this.education[index] = Math.max(this.education[index]!, educations.indexOf(to));
  }

  /** Name and phone of one resident, as `rows()` gives them. */
  contact(index: number): { name: string; phone: string } {
    const { name, phone } = this.#details(index);
    return { name, phone };
  }

  #details(index: number) {
    const random = createRandom(mix(this.#seed * 0x9e3779b1 + index));
    const given =
      givenNameCharacters[randomInt(random, 0, givenNameCharacters.length - 1)]! +
      (random() < 0.7 ? givenNameCharacters[randomInt(random, 0, givenNameCharacters.length - 1)]! : '');
    const name = surnames[randomInt(random, 0, surnames.length - 1)]! + given;
    const phone = `1${randomInt(random, 30, 99)}${String(randomInt(random, 0, 99_999_999)).padStart(8, '0')}`;
    const month = randomInt(random, 1, 12);
    const day = randomInt(random, 1, 28);
    const origin = randomInt(random, 0, originCodes.length - 1);
    const address = `${randomInt(random, 1, 60)}栋${randomInt(random, 1, 30)}0${randomInt(random, 1, 8)}`;
    return { name, phone, month, day, origin, address };
  }

  /** Every resident in id order. ID numbers are unique by region, birth date and a sequence whose parity is the gender. */
  *rows(): Generator<PersonRecord> {
    // Next sequence per region (the ten origins, then Bao'an) and birth date, indexed directly: a Map
    // keyed by strings cost more than generating the rest of the row.
    const day = (year: number, month: number, date: number) => ((year - 1940) * 12 + month - 1) * 28 + date - 1;
    const days = day(2018, 12, 28) + 1;
    const sequences = new Uint16Array((originCodes.length + 1) * days);
    for (let b = 0; b < this.#blocks.length; b++) {
      const block = this.#blocks[b]!;
      const prefix = `per-${block.community.code}-`;
      for (let i = this.starts[b]!, n = 1; i < this.starts[b + 1]!; i++, n++) {
        const details = this.#details(i);
        const birthYear = this.birthYear[i]!;
        const birthDate = `${birthYear}-${two(details.month)}-${two(details.day)}`;
        const local = this.local[i] === 1;
        const region = local ? '440306' : originCodes[details.origin]!;
        const key = (local ? originCodes.length : details.origin) * days + day(birthYear, details.month, details.day);
        const next = sequences[key]!++;
        yield {
          id: prefix + String(n).padStart(6, '0'),
          name: details.name,
          gender: this.male[i] ? 'MALE' : 'FEMALE',
          birthYear,
          hukou: local ? 'LOCAL' : 'NON_LOCAL',
          communityId: block.community.id,
          education: educations[this.education[i]!]!,
          idNumber: residentIdNumber(region, birthDate, next * 2 + this.male[i]!),
          phone: details.phone,
          address: block.street + details.address,
          birthDate,
        };
      }
    }
  }
}
