import { allocate } from './allocate.ts';
import { facts, type Facts } from './facts.ts';
import { givenNameCharacters, surnames } from './names.ts';
import { createRandom, randomInt, shuffle } from './random.ts';
import type { DistrictStructure, PostRecord } from './structure.ts';

export type Gender = 'FEMALE' | 'MALE';
export type Hukou = 'LOCAL' | 'NON_LOCAL';
export type Education =
  | 'PRIMARY'
  | 'JUNIOR_SECONDARY'
  | 'SENIOR_SECONDARY'
  | 'VOCATIONAL'
  | 'ASSOCIATE'
  | 'BACHELOR'
  | 'MASTER'
  | 'DOCTORATE';

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

/** Official resident count of a community for a year, as recorded under its sub-district of that year. */
export interface PopulationCountRecord {
  communityId: string;
  subdistrictId: string;
  year: number;
  localHukou: number;
  nonLocalHukou: number;
}

export interface MembershipRecord {
  id: string;
  personId: string;
  postId: string;
  organisationId: string;
  role: PostRecord['role'];
  validFrom: string;
  validTo: string | null;
}

export type PayGrade = 'GRADE_1' | 'GRADE_2' | 'GRADE_3' | 'GRADE_4' | 'GRADE_5' | 'GRADE_6';
export type RecruitmentChannel = 'PUBLIC_EXAM' | 'TRANSFER' | 'ELECTED_CADRE' | 'CONTRACT';

export interface CommunityWorkerRecord {
  id: string;
  personId: string;
  communityId: string;
  postId: string | null;
  grade: PayGrade;
  payBand: number;
  recruitmentChannel: RecruitmentChannel;
  recruitedYear: number;
  hiredOn: string;
  leftOn: string | null;
}

export interface TrainingRecord {
  id: string;
  workerId: string;
  title: string;
  provider: string;
  completedOn: string;
  hours: number;
}

export type EvaluationRating = 'EXCELLENT' | 'COMPETENT' | 'BASICALLY_COMPETENT' | 'INCOMPETENT';

export interface WorkerEvaluationRecord {
  id: string;
  workerId: string;
  year: number;
  rating: EvaluationRating;
  score: number;
}

export interface VolunteerRecord {
  id: string;
  personId: string;
  communityId: string;
  registeredOn: string;
  serviceHours: number;
  skills: string[];
}

export type DeputyBody = 'NPC' | 'CPPCC';

export interface DeputyRecord {
  id: string;
  personId: string;
  body: DeputyBody;
  level: 'DISTRICT' | 'CITY';
  termStart: number;
  termEnd: number;
  /** Community where the deputy receives residents (接待站). */
  receptionCommunityId: string;
  /** Days of the month on which the deputy receives residents. */
  receptionDays: number[];
}

export interface PeopleDataset {
  persons: PersonRecord[];
  populationCounts: PopulationCountRecord[];
  /** Posts outside residents' committees; committee seats come from election results. */
  memberships: MembershipRecord[];
  workers: CommunityWorkerRecord[];
  trainings: TrainingRecord[];
  evaluations: WorkerEvaluationRecord[];
  volunteers: VolunteerRecord[];
  deputies: DeputyRecord[];
}

export interface DatasetOptions {
  /** 1 reproduces the published figures; smaller keeps the structure and shrinks the counts in proportion. */
  scale: number;
  seed: number;
}

export const populationYears = [2017, 2018, 2019] as const;
/** Population of earlier years relative to 2019 (assumption: steady growth). */
const populationGrowth: Record<number, number> = { 2017: 0.94, 2018: 0.97, 2019: 1 };

const educationWeights: [Education, number][] = [
  ['PRIMARY', 10], ['JUNIOR_SECONDARY', 30], ['SENIOR_SECONDARY', 22], ['VOCATIONAL', 10],
  ['ASSOCIATE', 12], ['BACHELOR', 13], ['MASTER', 2.6], ['DOCTORATE', 0.4],
];
const atLeastBachelor: Education[] = ['BACHELOR', 'MASTER', 'DOCTORATE'];
/** Province codes of the ID numbers of non-local residents (Guangdong's other cities, Hunan, Guangxi, ...). */
const originCodes = ['440882', '441302', '430104', '450102', '360102', '510104', '411302', '420102', '350102', '441521'];
const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idChecks = '10X98765432';

function pickWeighted<T>(random: () => number, items: [T, number][]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random() * total;
  for (const [item, weight] of items) {
    point -= weight;
    if (point < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** An 18-character resident ID number (GB 11643) with a valid check character; synthetic. */
export function residentIdNumber(region: string, birthDate: string, sequence: number): string {
  if (sequence > 999) throw new Error(`no ID number left for ${region} ${birthDate}`);
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * idWeights[index]!, 0);
  return first17 + idChecks[sum % 11]!;
}

/** Scaled counts: at scale 1 exactly the published figure. */
export function scaled(figure: number, scale: number): number {
  return Math.round(figure * scale);
}

export function peopleDataset(structure: DistrictStructure, options: DatasetOptions, source: Facts = facts): PeopleDataset {
  const random = createRandom(options.seed * 7919 + 1);
  const communities = structure.communities;
  const placementOn = (communityId: string, date: string) =>
    structure.placements.find((p) => p.communityId === communityId && p.validFrom <= date && (p.validTo === null || date <= p.validTo))!;

  // Official population, exact at every scale in total, split by community with stable weights.
  const weights = communities.map(() => 0.5 + random());
  const localShares = communities.map(() => 0.02 + random() * 0.11);
  const populationCounts: PopulationCountRecord[] = [];
  const residentsByCommunity = new Map<string, { total: number; local: number }>();
  for (const year of populationYears) {
    const total = scaled(source.population.managed * populationGrowth[year]!, options.scale);
    const totals = allocate(total, weights);
    const local = allocate(Math.round(total * (1 - source.population.nonLocalHukouShare)), totals.map((t, i) => t * localShares[i]!));
    communities.forEach((community, i) => {
      const localHukou = Math.min(local[i]!, totals[i]!);
      populationCounts.push({
        communityId: community.id,
        subdistrictId: placementOn(community.id, `${year}-12-31`).subdistrictId,
        year,
        localHukou,
        nonLocalHukou: totals[i]! - localHukou,
      });
      if (year === 2019) residentsByCommunity.set(community.id, { total: totals[i]!, local: localHukou });
    });
  }

  // Residents: one Person per counted resident of 2019.
  const persons: PersonRecord[] = [];
  const residents = new Map<string, PersonRecord[]>();
  // ID numbers are unique by region, birth date and a sequence whose parity is the gender (GB 11643).
  const idSequences = new Map<string, number>();
  const nextIdNumber = (region: string, birthDate: string, gender: Gender) => {
    const key = region + birthDate;
    const next = idSequences.get(key) ?? 0;
    idSequences.set(key, next + 1);
    return residentIdNumber(region, birthDate, next * 2 + (gender === 'MALE' ? 1 : 0));
  };
  const subdistrictName = new Map(structure.subdistricts.map((s) => [s.id, s.name]));
  for (const community of communities) {
    const { total, local } = residentsByCommunity.get(community.id)!;
    const list: PersonRecord[] = [];
    const street = `深圳市宝安区${subdistrictName.get(placementOn(community.id, '2019-12-31').subdistrictId)}${community.name}`;
    for (let n = 0; n < total; n++) {
      const hukou: Hukou = n < local ? 'LOCAL' : 'NON_LOCAL';
      const birthYear = randomInt(random, 1940, 2018);
      const birthDate = `${birthYear}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
      const gender: Gender = random() < 0.52 ? 'MALE' : 'FEMALE';
      const given = givenNameCharacters[randomInt(random, 0, givenNameCharacters.length - 1)]! + (random() < 0.7 ? givenNameCharacters[randomInt(random, 0, givenNameCharacters.length - 1)]! : '');
      const adult = birthYear <= 2001;
      const person: PersonRecord = {
        id: `per-${community.code}-${String(n + 1).padStart(6, '0')}`,
        name: surnames[randomInt(random, 0, surnames.length - 1)]! + given,
        gender,
        birthYear,
        hukou,
        communityId: community.id,
        education: adult ? pickWeighted(random, educationWeights) : 'PRIMARY',
        idNumber: nextIdNumber(hukou === 'LOCAL' ? '440306' : originCodes[randomInt(random, 0, originCodes.length - 1)]!, birthDate, gender),
        phone: `1${randomInt(random, 30, 99)}${String(randomInt(random, 0, 99_999_999)).padStart(8, '0')}`,
        address: `${street}${randomInt(random, 1, 60)}栋${randomInt(random, 1, 30)}0${randomInt(random, 1, 8)}`,
        birthDate,
      };
      persons.push(person);
      list.push(person);
    }
    residents.set(community.id, list);
  }

  // Post holders are adult residents of the community, drawn without repeats while there are enough.
  const pools = new Map<string, PersonRecord[]>();
  const holderFor = (communityId: string): PersonRecord | null => {
    let pool = pools.get(communityId);
    if (!pool) {
      pool = shuffle(random, residents.get(communityId)!.filter((p) => p.birthYear <= 1995 && p.birthYear >= 1955));
      pools.set(communityId, pool);
    }
    return pool.pop() ?? null;
  };
  const organisationCommunity = new Map(structure.organisations.map((o) => [o.id, o.communityId]));
  const organisationKind = new Map(structure.organisations.map((o) => [o.id, o.kind]));
  const memberships: MembershipRecord[] = [];
  const hold = (person: PersonRecord, post: PostRecord, from: string): MembershipRecord => {
    const membership: MembershipRecord = {
      id: `mem-${post.id.slice(5)}-${from.replaceAll('-', '')}`,
      personId: person.id,
      postId: post.id,
      organisationId: post.organisationId,
      role: post.role,
      validFrom: from,
      validTo: null,
    };
    memberships.push(membership);
    return membership;
  };

  // Party committee and workstation seats; building heads fill one building in three (the rest are vacant).
  const partyTermFrom = '2016-11-20';
  const heldBy = new Map<string, PersonRecord>();
  for (const post of structure.posts) {
    const kind = organisationKind.get(post.organisationId);
    if (kind === 'RESIDENTS_COMMITTEE') continue;
    if (post.role === 'BUILDING_HEAD' && random() > 1 / 3) continue;
    const person = holderFor(organisationCommunity.get(post.organisationId)!);
    if (!person) continue;
    heldBy.set(post.id, person);
    hold(person, post, kind === 'PARTY_COMMITTEE' ? partyTermFrom : '2017-01-01');
  }

  // Community workers (社区专职工作者): the published total, with 250 recruited by public exam in 2019.
  const workerTotal = scaled(source.communityWorkers.count, options.scale);
  const recruited2019 = scaled(source.communityWorkers.recruited2019, options.scale);
  const workersPerCommunity = allocate(workerTotal, communities.map((c) => residentsByCommunity.get(c.id)!.total));
  const workers: CommunityWorkerRecord[] = [];
  const areaDirectorPosts = new Map<string, PostRecord[]>();
  for (const post of structure.posts) {
    if (post.role !== 'AREA_DIRECTOR') continue;
    const communityId = organisationCommunity.get(post.organisationId)!;
    areaDirectorPosts.set(communityId, [...(areaDirectorPosts.get(communityId) ?? []), post]);
  }
  const recruitedIn2019 = new Set(shuffle(random, Array.from({ length: workerTotal }, (_, i) => i)).slice(0, recruited2019));
  let workerIndex = 0;
  communities.forEach((community, c) => {
    const directors = areaDirectorPosts.get(community.id) ?? [];
    for (let k = 0; k < workersPerCommunity[c]!; k++, workerIndex++) {
      // Area directors are workers; further workers are drawn from the residents.
      const directorPost = directors[k];
      const person = (directorPost && heldBy.get(directorPost.id)) || holderFor(community.id);
      if (!person) break;
      const in2019 = recruitedIn2019.has(workerIndex);
      if (in2019 && !atLeastBachelor.includes(person.education)) person.education = random() < 0.85 ? 'BACHELOR' : 'MASTER';
      const recruitedYear = in2019 ? 2019 : randomInt(random, 2005, 2018);
      const channel: RecruitmentChannel = in2019 ? 'PUBLIC_EXAM' : pickWeighted(random, [['PUBLIC_EXAM', 5], ['TRANSFER', 2], ['ELECTED_CADRE', 1], ['CONTRACT', 2]]);
      const grade = `GRADE_${randomInt(random, 1, 6)}` as PayGrade;
      workers.push({
        id: `wkr-${person.id.slice(4)}`,
        personId: person.id,
        communityId: community.id,
        postId: directorPost?.id ?? null,
        grade,
        payBand: Number(grade.slice(-1)) * 3 + randomInt(random, 0, 2),
        recruitmentChannel: channel,
        recruitedYear,
        hiredOn: `${recruitedYear}-${String(randomInt(random, 3, 9)).padStart(2, '0')}-01`,
        leftOn: null,
      });
    }
  });

  const trainingTitles = ['社区治理实务', '四议两公开操作规程', '网格化管理', '矛盾纠纷调解', '应急管理与安全', '党建引领基层治理'];
  const trainings: TrainingRecord[] = [];
  const evaluations: WorkerEvaluationRecord[] = [];
  for (const worker of workers) {
    const count = randomInt(random, 1, 4);
    for (let t = 1; t <= count; t++) {
      const year = randomInt(random, worker.recruitedYear, 2019);
      trainings.push({
        id: `trn-${worker.id.slice(4)}-${t}`,
        workerId: worker.id,
        title: trainingTitles[randomInt(random, 0, trainingTitles.length - 1)]!,
        provider: random() < 0.5 ? '宝安区民政局' : '宝安区委组织部',
        completedOn: `${year}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-15`,
        hours: randomInt(random, 4, 40),
      });
    }
    for (let year = Math.max(worker.recruitedYear, 2015); year <= 2019; year++) {
      if (year === worker.recruitedYear && worker.hiredOn > `${year}-06-30`) continue;
      const score = randomInt(random, 62, 99);
      evaluations.push({
        id: `eval-${worker.id.slice(4)}-${year}`,
        workerId: worker.id,
        year,
        score,
        rating: score >= 90 ? 'EXCELLENT' : score >= 75 ? 'COMPETENT' : score >= 65 ? 'BASICALLY_COMPETENT' : 'INCOMPETENT',
      });
    }
  }

  // Volunteers: about 3 % of residents, building heads among them.
  const volunteers: VolunteerRecord[] = [];
  const skills = ['巡逻', '助老', '文明劝导', '垃圾分类', '义诊', '法律咨询', '心理疏导', '儿童托管'];
  const buildingHeads = new Set(memberships.filter((m) => m.role === 'BUILDING_HEAD').map((m) => m.personId));
  for (const person of persons) {
    if (!buildingHeads.has(person.id) && random() > 0.03) continue;
    volunteers.push({
      id: `vol-${person.id.slice(4)}`,
      personId: person.id,
      communityId: person.communityId,
      registeredOn: `${randomInt(random, 2012, 2019)}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-01`,
      serviceHours: randomInt(random, 2, 400),
      skills: shuffle(random, skills).slice(0, randomInt(random, 1, 3)),
    });
  }

  // Deputies: a few district NPC deputies and CPPCC members per sub-district, receiving residents monthly.
  const deputies: DeputyRecord[] = [];
  for (const subdistrict of structure.subdistricts) {
    const inSubdistrict = communities.filter((c) => placementOn(c.id, '2019-12-31').subdistrictId === subdistrict.id);
    for (const [body, count] of [['NPC', randomInt(random, 3, 6)], ['CPPCC', randomInt(random, 2, 4)]] as const) {
      for (let d = 0; d < count; d++) {
        const community = inSubdistrict[randomInt(random, 0, inSubdistrict.length - 1)]!;
        const person = holderFor(community.id);
        if (!person) continue;
        deputies.push({
          id: `dep-${person.id.slice(4)}-${body.toLowerCase()}`,
          personId: person.id,
          body,
          level: random() < 0.8 ? 'DISTRICT' : 'CITY',
          termStart: 2017,
          termEnd: 2021,
          receptionCommunityId: community.id,
          receptionDays: [randomInt(random, 1, 14), randomInt(random, 15, 28)],
        });
      }
    }
  }

  return { persons, populationCounts, memberships, workers, trainings, evaluations, volunteers, deputies };
}
