import { allocate } from './allocate.ts';
import { facts, type Facts } from './facts.ts';
import type { DatasetOptions, PeopleDataset } from './people.ts';
import { scaled } from './people.ts';
import { createRandom, randomInt, shuffle } from './random.ts';
import { districtOrganisationIds, evaluatorCount, socialOrganisationCount, type DistrictStructure } from './structure.ts';

export type MicroProjectCategory = 'FACILITY' | 'SERVICE' | 'TRAINING' | 'ACTIVITY';
export type MicroProjectStatus = 'PROPOSED' | 'APPROVED' | 'IN_PROGRESS' | 'COMPLETED' | 'EVALUATED' | 'REJECTED';
export type ServiceRequestStatus = 'SUBMITTED' | 'ACKNOWLEDGED' | 'IN_PROGRESS' | 'RESOLVED' | 'CLOSED';
export type ServiceRequestCategory =
  'ENVIRONMENT' | 'PUBLIC_SAFETY' | 'NEIGHBOUR_DISPUTE' | 'FACILITY_REPAIR' | 'PROPERTY_MANAGEMENT' | 'SOCIAL_ASSISTANCE' | 'OTHER';
export type ServiceRequestChannel = 'COMMUNITY_WEBSITE' | 'HOTLINE' | 'IN_PERSON' | 'WECHAT' | 'GRID_PATROL';
export type ServiceKind = 'LEGAL_ADVICE' | 'COUNSELLING' | 'ANTI_DRUG' | 'CULTURE_ROOM';
export type EventKind = 'NEIGHBOURHOOD' | 'TRAINING' | 'LAW_LECTURE';

export interface MicroProjectRecord {
  id: string;
  communityId: string;
  /** Recorded at proposal, so sums by sub-district need no other slice. */
  subdistrictId: string;
  year: number;
  title: string;
  category: MicroProjectCategory;
  proposerOrganisationId: string;
  /** Integer fen; the money itself lives in the funding slice. */
  plannedBudgetFen: number;
  beneficiaries: number;
}

/** A dated step of a micro-project's lifecycle; the current status is the latest step. */
export interface MicroProjectStepRecord {
  id: string;
  microProjectId: string;
  status: MicroProjectStatus;
  on: string;
  note: string;
}

export interface ServiceRequestRecord {
  id: string;
  communityId: string;
  subdistrictId: string;
  category: ServiceRequestCategory;
  channel: ServiceRequestChannel;
  description: string;
  submittedAt: string;
  /** Sensitive: who submitted it; never in public answers (as in Open311). */
  submitterName: string;
  submitterPhone: string;
  satisfaction: number | null;
}

/** A status change of a service request; submitted, acknowledged and resolved times are read from these. */
export interface ServiceRequestStepRecord {
  id: string;
  serviceRequestId: string;
  status: ServiceRequestStatus;
  at: string;
  note: string;
}

export interface ServiceRecord {
  id: string;
  communityId: string;
  kind: ServiceKind;
  name: string;
  providerOrganisationId: string;
  location: string;
  /** Opening hours, as "DAY HH:MM-HH:MM" entries. */
  schedule: string[];
}

export interface EventRecord {
  id: string;
  communityId: string;
  kind: EventKind;
  title: string;
  startsAt: string;
  organiserOrganisationId: string;
  attendance: number;
}

export interface EvaluationRecord {
  id: string;
  evaluatorOrganisationId: string;
  microProjectId: string | null;
  serviceId: string | null;
  evaluatedOn: string;
  score: number;
  reportRef: string;
}

export interface ServiceRequestWithSteps {
  request: ServiceRequestRecord;
  steps: ServiceRequestStepRecord[];
}

export interface DutyItemRecord {
  id: string;
  title: string;
  department: string;
  mandate: string;
  devolvable: boolean;
  fundsFollowTask: boolean;
}

export interface ServicesDataset {
  microProjects: MicroProjectRecord[];
  microProjectSteps: MicroProjectStepRecord[];
  /** Service requests with their steps (about 650,000 at scale 1), generated afresh on every call. */
  serviceRequests(): Generator<ServiceRequestWithSteps>;
  services: ServiceRecord[];
  events: EventRecord[];
  evaluations: EvaluationRecord[];
  dutyItems: DutyItemRecord[];
}

export const serviceYears = [2017, 2018, 2019] as const;
/** Micro-projects and budgets of earlier years relative to 2019 (assumption). */
export const yearShare: Record<number, number> = { 2017: 0.9, 2018: 0.95, 2019: 1 };
/** Service requests per 1,000 residents a year (assumption). */
const requestsPer1000 = 40;

const projectTitles: Record<MicroProjectCategory, string[]> = {
  FACILITY: ['小区路灯更换', '长者休憩座椅增设', '儿童游乐设施翻新', '无障碍坡道改造', '社区健身路径'],
  SERVICE: ['长者助餐服务', '四点半课堂', '残障人士康复服务', '独居老人探访'],
  TRAINING: ['垃圾分类培训', '家庭急救技能培训', '青年就业技能培训', '消防安全培训'],
  ACTIVITY: ['邻里文化节', '亲子阅读活动', '社区运动会', '传统节日活动'],
};
const requestTexts: Record<ServiceRequestCategory, string> = {
  ENVIRONMENT: '楼道垃圾堆放，请尽快清理',
  PUBLIC_SAFETY: '小区门禁损坏，存在安全隐患',
  NEIGHBOUR_DISPUTE: '楼上噪音扰民，协调未果',
  FACILITY_REPAIR: '路灯不亮，夜间出行不便',
  PROPERTY_MANAGEMENT: '物业费用公示不清，要求说明',
  SOCIAL_ASSISTANCE: '申请临时救助，家庭困难',
  OTHER: '建议增设便民服务设施',
};
const dutyItems: Omit<DutyItemRecord, 'id'>[] = [
  {
    title: '居民信息采集与更新',
    department: '区政务服务数据管理局',
    mandate: '《深圳市居住登记条例》',
    devolvable: true,
    fundsFollowTask: true,
  },
  {
    title: '流动人口出租屋登记',
    department: '区出租屋综合管理所',
    mandate: '《深圳市出租屋管理若干规定》',
    devolvable: true,
    fundsFollowTask: true,
  },
  { title: '社区矫正协助', department: '区司法局', mandate: '《社区矫正法》', devolvable: true, fundsFollowTask: true },
  { title: '禁毒宣传与社区戒毒康复', department: '区禁毒办', mandate: '《禁毒法》', devolvable: true, fundsFollowTask: true },
  { title: '计划生育服务', department: '区卫生健康局', mandate: '《人口与计划生育法》', devolvable: true, fundsFollowTask: false },
  { title: '最低生活保障初审', department: '区民政局', mandate: '《社会救助暂行办法》', devolvable: true, fundsFollowTask: true },
  { title: '老年人优待证办理', department: '区民政局', mandate: '《老年人权益保障法》', devolvable: true, fundsFollowTask: false },
  { title: '退役军人服务', department: '区退役军人事务局', mandate: '《退役军人保障法》', devolvable: true, fundsFollowTask: true },
  { title: '安全生产检查', department: '区应急管理局', mandate: '《安全生产法》', devolvable: false, fundsFollowTask: false },
  { title: '行政执法', department: '区城市管理和综合执法局', mandate: '《行政处罚法》', devolvable: false, fundsFollowTask: false },
  {
    title: '环境卫生监督',
    department: '区城市管理和综合执法局',
    mandate: '《深圳经济特区市容和环境卫生管理条例》',
    devolvable: true,
    fundsFollowTask: true,
  },
  { title: '居务公开', department: '区民政局', mandate: '《城市居民委员会组织法》', devolvable: true, fundsFollowTask: false },
];

function addHours(iso: string, hours: number): string {
  return new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function servicesDataset(
  structure: DistrictStructure,
  people: PeopleDataset,
  options: DatasetOptions,
  source: Facts = facts,
): ServicesDataset {
  const random = createRandom(options.seed * 31337 + 5);
  const communities = structure.communities;
  const placementIn = (communityId: string, year: number) =>
    structure.placements.find(
      (p) => p.communityId === communityId && p.validFrom <= `${year}-12-31` && (p.validTo === null || `${year}-12-31` <= p.validTo),
    )!.subdistrictId;
  const population2019 = new Map<string, number>();
  for (const count of people.populationCounts)
    if (count.year === 2019) population2019.set(count.communityId, count.localHukou + count.nonLocalHukou);
  const weights = communities.map((c) => population2019.get(c.id) ?? 1);
  const committeeOrgOf = new Map<string, string>();
  for (const o of structure.organisations)
    if (o.kind === 'RESIDENTS_COMMITTEE' && !committeeOrgOf.has(o.communityId!)) committeeOrgOf.set(o.communityId!, o.id);
  const socialOrganisation = () =>
    districtOrganisationIds.socialOrganisation(randomInt(random, evaluatorCount + 1, socialOrganisationCount));
  const evaluator = () => districtOrganisationIds.socialOrganisation(randomInt(random, 1, evaluatorCount));

  // Micro-projects: the published number in 2019, planned within each community's share of the budget.
  const microProjects: MicroProjectRecord[] = [];
  const microProjectSteps: MicroProjectStepRecord[] = [];
  const evaluations: EvaluationRecord[] = [];
  const budgetFen = microProjectBudgetsFen(structure, people, options, source);
  const trainings: MicroProjectRecord[] = [];
  for (const year of serviceYears) {
    const count = scaled(source.microProjects.projects2019 * yearShare[year]!, options.scale);
    const perCommunity = allocate(count, weights);
    communities.forEach((community, c) => {
      const n = perCommunity[c]!;
      if (n === 0) return;
      const planned = allocate(
        Math.floor(budgetFen.get(`${community.id}:${year}`)! * (0.85 + random() * 0.13)),
        Array.from({ length: n }, () => 0.5 + random()),
      );
      for (let k = 0; k < n; k++) {
        const category = (['FACILITY', 'SERVICE', 'TRAINING', 'ACTIVITY'] as const)[randomInt(random, 0, 3)]!;
        const id = `mp-${community.code}-${year}-${String(k + 1).padStart(3, '0')}`;
        microProjects.push({
          id,
          communityId: community.id,
          subdistrictId: placementIn(community.id, year),
          year,
          title: projectTitles[category][randomInt(random, 0, projectTitles[category].length - 1)]!,
          category,
          proposerOrganisationId: random() < 0.6 ? committeeOrgOf.get(community.id)! : `org-pc-${community.code}`,
          plannedBudgetFen: planned[k]!,
          beneficiaries: randomInt(random, 30, 2000),
        });
        // Lifecycle: earlier years are finished; 2019 is caught at every step.
        const rejected = random() < 0.04;
        if (category === 'TRAINING' && !rejected) trainings.push(microProjects.at(-1)!);
        const reached = rejected ? 1 : year < 2019 ? 4 : randomInt(random, 1, 4);
        let on = `${year}-${String(randomInt(random, 1, 4)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
        const path: MicroProjectStatus[] = ['PROPOSED', rejected ? 'REJECTED' : 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'EVALUATED'];
        for (let step = 0; step <= reached; step++) {
          microProjectSteps.push({ id: `${id}-${step + 1}`, microProjectId: id, status: path[step]!, on, note: '' });
          if (path[step] === 'EVALUATED') {
            const score = randomInt(random, 62, 98);
            evaluations.push({
              id: `ev-${id}`,
              evaluatorOrganisationId: evaluator(),
              microProjectId: id,
              serviceId: null,
              evaluatedOn: on,
              score,
              reportRef: `EVAL-${id.slice(3)}`,
            });
          }
          on = addDays(on, randomInt(random, 10, 60));
        }
      }
    });
  }

  // Training projects together trained the published number of people (cumulative, all years).
  const trained = allocate(
    scaled(source.microProjects.trainedPeopleCumulativeAtLeast, options.scale),
    trainings.map((p) => p.beneficiaries),
  );
  trainings.forEach((project, k) => (project.beneficiaries = trained[k]!));

  // Standing services: one legal adviser, one counsellor and one anti-drug worker per community; 28 culture rooms.
  const services: ServiceRecord[] = [];
  const cultureRooms = new Set(
    shuffle(
      random,
      communities.map((c) => c.id),
    ).slice(0, source.neighbourhood.cultureRooms),
  );
  for (const community of communities) {
    const at = `深圳市宝安区${community.name}党群服务中心`;
    const add = (kind: ServiceKind, name: string, schedule: string[]) =>
      services.push({
        id: `svc-${community.code}-${kind.toLowerCase()}`,
        communityId: community.id,
        kind,
        name,
        providerOrganisationId: socialOrganisation(),
        location: at,
        schedule,
      });
    add('LEGAL_ADVICE', `${community.name}法律顾问服务`, ['WEDNESDAY 14:30-17:30']);
    add('COUNSELLING', `${community.name}心理咨询室`, ['TUESDAY 09:00-12:00', 'THURSDAY 14:00-17:00']);
    add('ANTI_DRUG', `${community.name}禁毒社工站`, ['MONDAY 09:00-17:00', 'FRIDAY 09:00-17:00']);
    if (cultureRooms.has(community.id)) add('CULTURE_ROOM', `${community.name}邻里文化室`, ['SATURDAY 09:00-21:00', 'SUNDAY 09:00-21:00']);
  }
  for (const service of services) {
    if (service.kind === 'CULTURE_ROOM' || service.kind === 'ANTI_DRUG') continue;
    const year = 2019;
    evaluations.push({
      id: `ev-${service.id}-${year}`,
      evaluatorOrganisationId: evaluator(),
      microProjectId: null,
      serviceId: service.id,
      evaluatedOn: `${year}-12-${String(randomInt(random, 1, 20)).padStart(2, '0')}`,
      score: randomInt(random, 70, 97),
      reportRef: `EVAL-${service.id.slice(4)}-${year}`,
    });
  }

  // Events: the published number in 2019 and the people they served.
  const events: EventRecord[] = [];
  for (const year of serviceYears) {
    const count = scaled(source.neighbourhood.events * yearShare[year]!, options.scale);
    const attendance = allocate(
      scaled(source.neighbourhood.peopleServed * yearShare[year]!, options.scale),
      Array.from({ length: count }, () => 0.3 + random()),
    );
    const hosts = allocate(count, weights);
    let e = 0;
    communities.forEach((community, c) => {
      for (let k = 0; k < hosts[c]!; k++, e++) {
        const kind = (['NEIGHBOURHOOD', 'TRAINING', 'LAW_LECTURE'] as const)[randomInt(random, 0, 2)]!;
        events.push({
          id: `evt-${community.code}-${year}-${String(k + 1).padStart(3, '0')}`,
          communityId: community.id,
          kind,
          title: kind === 'LAW_LECTURE' ? '法治大讲堂' : kind === 'TRAINING' ? '居民技能培训' : '邻里节',
          startsAt: `${year}-${String(randomInt(random, 1, 12)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}T${String(randomInt(random, 9, 19)).padStart(2, '0')}:00:00.000Z`,
          organiserOrganisationId: random() < 0.5 ? `org-sc-${community.code}` : socialOrganisation(),
          attendance: attendance[e]!,
        });
      }
    });
  }

  return {
    microProjects,
    microProjectSteps,
    serviceRequests: () => serviceRequests(structure, people, options),
    services,
    events,
    evaluations,
    dutyItems: dutyItems.map((item, i) => ({ id: `duty-${String(i + 1).padStart(2, '0')}`, ...item })),
  };
}

/**
 * Service requests over three years, most resolved within days, streamed: at full scale they are the
 * largest table after the residents. Submitters are among the first 200 residents of their community.
 */
function* serviceRequests(
  structure: DistrictStructure,
  people: PeopleDataset,
  options: DatasetOptions,
): Generator<ServiceRequestWithSteps> {
  const random = createRandom(options.seed * 31337 + 11);
  const communities = structure.communities;
  const { residents } = people;
  const population2019 = new Map<string, number>();
  for (const count of people.populationCounts)
    if (count.year === 2019) population2019.set(count.communityId, count.localHukou + count.nonLocalHukou);
  const subdistrictIn = new Map<string, string>();
  for (const year of serviceYears)
    for (const p of structure.placements)
      if (p.validFrom <= `${year}-12-31` && (p.validTo === null || `${year}-12-31` <= p.validTo))
        subdistrictIn.set(`${p.communityId}:${year}`, p.subdistrictId);
  const categories = Object.keys(requestTexts) as ServiceRequestCategory[];
  const channels: ServiceRequestChannel[] = ['COMMUNITY_WEBSITE', 'HOTLINE', 'IN_PERSON', 'WECHAT', 'GRID_PATROL'];
  for (const year of serviceYears) {
    for (const [c, community] of communities.entries()) {
      const n = Math.round((((population2019.get(community.id) ?? 1) * requestsPer1000) / 1000) * yearShare[year]!);
      const [first, end] = residents.range(c);
      const submitters = Math.min(200, end - first);
      for (let k = 0; k < n; k++) {
        const id = `sr-${community.code}-${year}-${String(k + 1).padStart(5, '0')}`;
        const category = categories[randomInt(random, 0, categories.length - 1)]!;
        const submittedAt = new Date(
          Date.UTC(year, randomInt(random, 0, 11), randomInt(random, 1, 28), randomInt(random, 0, 23), randomInt(random, 0, 59)),
        ).toISOString();
        const submitter = submitters > 0 ? residents.contact(first + randomInt(random, 0, submitters - 1)) : { name: '匿名', phone: '' };
        const resolvedAfter = random() < 0.92 ? Math.round(2 + random() ** 2 * 240) : null;
        const request: ServiceRequestRecord = {
          id,
          communityId: community.id,
          subdistrictId: subdistrictIn.get(`${community.id}:${year}`)!,
          category,
          channel: channels[randomInt(random, 0, channels.length - 1)]!,
          description: requestTexts[category],
          submittedAt,
          submitterName: submitter.name,
          submitterPhone: submitter.phone,
          satisfaction: resolvedAfter !== null && random() < 0.7 ? randomInt(random, 2, 5) : null,
        };
        // Each step strictly after the one before: acknowledged within hours, worked on, resolved, closed.
        const acknowledged = 0.5 + random() * 4;
        const hours: [ServiceRequestStatus, number][] = [
          ['SUBMITTED', 0],
          ['ACKNOWLEDGED', acknowledged],
        ];
        if (resolvedAfter !== null) {
          const resolved = Math.max(resolvedAfter, acknowledged + 1);
          hours.push(['IN_PROGRESS', (acknowledged + resolved) / 2], ['RESOLVED', resolved], ['CLOSED', resolved + 72]);
        } else if (random() < 0.5) hours.push(['IN_PROGRESS', acknowledged + 24]);
        const steps = hours.map(([status, after], s): ServiceRequestStepRecord => ({
          id: `${id}-${s + 1}`,
          serviceRequestId: id,
          status,
          at: addHours(submittedAt, after),
          note: '',
        }));
        yield { request, steps };
      }
    }
  }
}

/**
 * The micro-project budget of each community and year in fen (`communityId:year`): the published annual
 * fund in 2019, split by population. The funding slice stores it; services plans within it.
 */
export function microProjectBudgetsFen(
  structure: DistrictStructure,
  people: PeopleDataset,
  options: DatasetOptions,
  source: Facts = facts,
): Map<string, number> {
  const population2019 = new Map<string, number>();
  for (const count of people.populationCounts)
    if (count.year === 2019) population2019.set(count.communityId, count.localHukou + count.nonLocalHukou);
  const weights = structure.communities.map((c) => population2019.get(c.id) ?? 1);
  const budgets = new Map<string, number>();
  for (const year of serviceYears) {
    const totalFen = scaled(source.microProjects.annualBudgetCny * yearShare[year]!, options.scale) * 100;
    allocate(totalFen, weights).forEach((fen, c) => budgets.set(`${structure.communities[c]!.id}:${year}`, fen));
  }
  return budgets;
}
