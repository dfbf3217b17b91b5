import { allocate } from './allocate.ts';
import { facts, type Facts } from './facts.ts';
import { createRandom, randomInt, shuffle } from './random.ts';
import { Residents, residentIdNumber, type Education, type ResidentBlock } from './residents.ts';
import type { DistrictStructure, PostRecord } from './structure.ts';

export type { Education, Gender, Hukou, PersonRecord } from './residents.ts';

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
  /** Every resident counted in 2019, as columns; `residents.rows()` streams the Person records. */
  residents: Residents;
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

const atLeastBachelor: Education[] = ['BACHELOR', 'MASTER', 'DOCTORATE'];

function pickWeighted<T>(random: () => number, items: [T, number][]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random() * total;
  for (const [item, weight] of items) {
    point -= weight;
    if (point < 0) return item;
  }
  return items[items.length - 1]![0];
}

export { residentIdNumber };

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
    const local = allocate(
      Math.round(total * (1 - source.population.nonLocalHukouShare)),
      totals.map((t, i) => t * localShares[i]!),
    );
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
  const subdistrictName = new Map(structure.subdistricts.map((s) => [s.id, s.name]));
  const blocks: ResidentBlock[] = communities.map((community) => ({
    community,
    ...residentsByCommunity.get(community.id)!,
    street: `深圳市宝安区${subdistrictName.get(placementOn(community.id, '2019-12-31').subdistrictId)}${community.name}`,
  }));
  const residents = new Residents(blocks, options.seed);
  const blockOf = new Map(communities.map((c, b) => [c.id, b]));

  // Post holders are adult residents of the community, drawn without repeats while there are enough.
  const pools = new Map<string, number[]>();
  const holderFor = (communityId: string): number | null => {
    let pool = pools.get(communityId);
    if (!pool) {
      const [start, end] = residents.range(blockOf.get(communityId)!);
      const working: number[] = [];
      for (let i = start; i < end; i++) if (residents.birthYear[i]! <= 1995 && residents.birthYear[i]! >= 1955) working.push(i);
      pool = shuffle(random, working);
      pools.set(communityId, pool);
    }
    return pool.pop() ?? null;
  };
  const organisationCommunity = new Map(structure.organisations.map((o) => [o.id, o.communityId]));
  const organisationKind = new Map(structure.organisations.map((o) => [o.id, o.kind]));
  const memberships: MembershipRecord[] = [];
  const hold = (person: number, post: PostRecord, from: string): MembershipRecord => {
    const membership: MembershipRecord = {
      id: `mem-${post.id.slice(5)}-${from.replaceAll('-', '')}`,
      personId: residents.id(person),
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
  const heldBy = new Map<string, number>();
  for (const post of structure.posts) {
    const kind = organisationKind.get(post.organisationId);
    if (kind === 'RESIDENTS_COMMITTEE') continue;
    if (post.role === 'BUILDING_HEAD' && random() > 1 / 3) continue;
    const person = holderFor(organisationCommunity.get(post.organisationId)!);
    if (person === null) continue;
    heldBy.set(post.id, person);
    hold(person, post, kind === 'PARTY_COMMITTEE' ? partyTermFrom : '2017-01-01');
  }

  // Community workers (社区专职工作者): the published total, with 250 recruited by public exam in 2019.
  const workerTotal = scaled(source.communityWorkers.count, options.scale);
  const recruited2019 = scaled(source.communityWorkers.recruited2019, options.scale);
  const workersPerCommunity = allocate(
    workerTotal,
    communities.map((c) => residentsByCommunity.get(c.id)!.total),
  );
  const workers: CommunityWorkerRecord[] = [];
  const areaDirectorPosts = new Map<string, PostRecord[]>();
  for (const post of structure.posts) {
    if (post.role !== 'AREA_DIRECTOR') continue;
    const communityId = organisationCommunity.get(post.organisationId)!;
    areaDirectorPosts.set(communityId, [...(areaDirectorPosts.get(communityId) ?? []), post]);
  }
  const recruitedIn2019 = new Set(
    shuffle(
      random,
      Array.from({ length: workerTotal }, (_, i) => i),
    ).slice(0, recruited2019),
  );
  let workerIndex = 0;
  communities.forEach((community, c) => {
    const directors = areaDirectorPosts.get(community.id) ?? [];
    for (let k = 0; k < workersPerCommunity[c]!; k++, workerIndex++) {
      // Area directors are workers; further workers are drawn from the residents.
      const directorPost = directors[k];
      const person = (directorPost && heldBy.get(directorPost.id)) ?? holderFor(community.id);
      if (person === null) break;
      const in2019 = recruitedIn2019.has(workerIndex);
      if (in2019 && !atLeastBachelor.includes(residents.educationOf(person)))
        residents.raiseEducation(person, random() < 0.85 ? 'BACHELOR' : 'MASTER');
      const personId = residents.id(person);
      const recruitedYear = in2019 ? 2019 : randomInt(random, 2005, 2018);
      const channel: RecruitmentChannel = in2019
        ? 'PUBLIC_EXAM'
        : pickWeighted(random, [
            ['PUBLIC_EXAM', 5],
            ['TRANSFER', 2],
            ['ELECTED_CADRE', 1],
            ['CONTRACT', 2],
          ]);
      const grade = `GRADE_${randomInt(random, 1, 6)}` as PayGrade;
      workers.push({
        id: `wkr-${personId.slice(4)}`,
        personId,
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
  const buildingHeads = new Set(memberships.filter((m) => m.role === 'BUILDING_HEAD').map((m) => residents.indexOf(m.personId)));
  for (let person = 0; person < residents.count; person++) {
    if (!buildingHeads.has(person) && random() > 0.03) continue;
    const personId = residents.id(person);
    volunteers.push({
      id: `vol-${personId.slice(4)}`,
      personId,
      communityId: communities[residents.blockOf(person)]!.id,
      registeredOn: `${randomInt(random, 2012, 2019)}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-01`,
      serviceHours: randomInt(random, 2, 400),
      skills: shuffle(random, skills).slice(0, randomInt(random, 1, 3)),
    });
  }

  // Deputies: a few district NPC deputies and CPPCC members per sub-district, receiving residents monthly.
  const deputies: DeputyRecord[] = [];
  for (const subdistrict of structure.subdistricts) {
    const inSubdistrict = communities.filter((c) => placementOn(c.id, '2019-12-31').subdistrictId === subdistrict.id);
    for (const [body, count] of [
      ['NPC', randomInt(random, 3, 6)],
      ['CPPCC', randomInt(random, 2, 4)],
    ] as const) {
      for (let d = 0; d < count; d++) {
        const community = inSubdistrict[randomInt(random, 0, inSubdistrict.length - 1)]!;
        const person = holderFor(community.id);
        if (person === null) continue;
        const personId = residents.id(person);
        deputies.push({
          id: `dep-${personId.slice(4)}-${body.toLowerCase()}`,
          personId,
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

  return { residents, populationCounts, memberships, workers, trainings, evaluations, volunteers, deputies };
}
