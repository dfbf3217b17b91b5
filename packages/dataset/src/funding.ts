import { allocate } from './allocate.ts';
import { facts, type Facts } from './facts.ts';
import type { DatasetOptions, PeopleDataset } from './people.ts';
import { scaled } from './people.ts';
import { createRandom, randomInt, shuffle } from './random.ts';
import { microProjectBudgetsFen, serviceYears, type ServicesDataset } from './services.ts';
import { districtOrganisationIds, evaluatorCount, socialOrganisationCount, type DistrictStructure } from './structure.ts';

export type FundKind = 'MICRO_PROJECT_FUND' | 'SOCIAL_ORGANISATION_SUPPORT' | 'CHARITY_FUND';
export type GrantStatus = 'AWARDED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
export type TransactionType = 'COMMITMENT' | 'DISBURSEMENT' | 'EXPENDITURE' | 'REFUND';

export interface FundRecord {
  id: string;
  kind: FundKind;
  name: string;
  /** The organisation that holds the fund (a bureau or the charity fund itself). */
  organisationId: string;
}

export interface ProgrammeRecord {
  id: string;
  fundId: string;
  name: string;
  funderOrganisationId: string;
}

export interface BudgetRecord {
  id: string;
  programmeId: string;
  communityId: string;
  subdistrictId: string;
  year: number;
  amountFen: number;
}

export interface GrantRecord {
  id: string;
  programmeId: string;
  title: string;
  funderOrganisationId: string;
  recipientOrganisationId: string;
  implementingOrganisationId: string;
  amountFen: number;
  awardedOn: string;
  plannedStart: string;
  plannedEnd: string;
  /** The budget year the grant is charged to. */
  year: number;
  beneficiaryCommunityId: string;
  /** Recorded at award, so sums by sub-district need no other slice. */
  beneficiarySubdistrictId: string;
  microProjectId: string | null;
  status: GrantStatus;
}

export interface TransactionRecord {
  id: string;
  grantId: string;
  type: TransactionType;
  on: string;
  amountFen: number;
  description: string;
}

export interface ProgressReportRecord {
  id: string;
  grantId: string;
  submittedByOrganisationId: string;
  submittedOn: string;
  periodEnd: string;
  outputs: string;
  spendFen: number;
  narrative: string;
}

export interface FundingDataset {
  funds: FundRecord[];
  programmes: ProgrammeRecord[];
  budgets: BudgetRecord[];
  grants: GrantRecord[];
  transactions: TransactionRecord[];
  progressReports: ProgressReportRecord[];
}

export const programmeIds = {
  microProjects: 'prog-micro-projects',
  socialOrganisationSupport: 'prog-social-organisation-support',
  charity: (n: number) => `prog-cf-${String(n).padStart(3, '0')}`,
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function fundingDataset(
  structure: DistrictStructure,
  people: PeopleDataset,
  services: ServicesDataset,
  options: DatasetOptions,
  source: Facts = facts,
): FundingDataset {
  const random = createRandom(options.seed * 65537 + 11);
  const placementIn = (communityId: string, year: number) =>
    structure.placements.find(
      (p) => p.communityId === communityId && p.validFrom <= `${year}-12-31` && (p.validTo === null || `${year}-12-31` <= p.validTo),
    )!.subdistrictId;
  const subdistrictCode = new Map(structure.subdistricts.map((s) => [s.id, s.code]));
  const socialOrganisation = () =>
    districtOrganisationIds.socialOrganisation(randomInt(random, evaluatorCount + 1, socialOrganisationCount));

  const funds: FundRecord[] = [
    {
      id: 'fund-micro-projects',
      kind: 'MICRO_PROJECT_FUND',
      name: '宝安区民生微实事专项资金',
      organisationId: districtOrganisationIds.finance,
    },
    {
      id: 'fund-social-organisations',
      kind: 'SOCIAL_ORGANISATION_SUPPORT',
      name: '宝安区社会组织扶持发展资金',
      organisationId: districtOrganisationIds.civilAffairs,
    },
  ];
  const programmes: ProgrammeRecord[] = [
    {
      id: programmeIds.microProjects,
      fundId: 'fund-micro-projects',
      name: '民生微实事',
      funderOrganisationId: districtOrganisationIds.finance,
    },
    {
      id: programmeIds.socialOrganisationSupport,
      fundId: 'fund-social-organisations',
      name: '社会组织扶持',
      funderOrganisationId: districtOrganisationIds.civilAffairs,
    },
  ];
  for (let n = 1; n <= source.socialOrganisations.namedCharityFunds; n++) {
    const organisationId = districtOrganisationIds.charityFund(n);
    funds.push({ id: `fund-cf-${String(n).padStart(3, '0')}`, kind: 'CHARITY_FUND', name: `慈善基金（${n}）`, organisationId });
    programmes.push({
      id: programmeIds.charity(n),
      fundId: `fund-cf-${String(n).padStart(3, '0')}`,
      name: `慈善基金（${n}）社区项目`,
      funderOrganisationId: organisationId,
    });
  }

  // Budgets: the micro-project fund per community and year.
  const budgets: BudgetRecord[] = [];
  const budgetFen = microProjectBudgetsFen(structure, people, options, source);
  for (const year of serviceYears) {
    for (const community of structure.communities) {
      budgets.push({
        id: `bud-${community.code}-${year}-micro`,
        programmeId: programmeIds.microProjects,
        communityId: community.id,
        subdistrictId: placementIn(community.id, year),
        year,
        amountFen: budgetFen.get(`${community.id}:${year}`)!,
      });
    }
  }

  const grants: GrantRecord[] = [];
  const transactions: TransactionRecord[] = [];
  const progressReports: ProgressReportRecord[] = [];
  const committeeOrgOf = new Map<string, string>();
  for (const o of structure.organisations)
    if (o.kind === 'RESIDENTS_COMMITTEE' && !committeeOrgOf.has(o.communityId!)) committeeOrgOf.set(o.communityId!, o.id);

  /** Commitment, disbursements, expenditure and sometimes a refund: each within what came before it. */
  const flows = (grant: GrantRecord, spentShare: number) => {
    let n = 0;
    const add = (type: TransactionType, on: string, amountFen: number, description: string) => {
      if (amountFen > 0) transactions.push({ id: `${grant.id}-t${++n}`, grantId: grant.id, type, on, amountFen, description });
    };
    add('COMMITMENT', grant.awardedOn, grant.amountFen, '资金承诺');
    if (grant.status === 'AWARDED' || grant.status === 'CANCELLED') return 0;
    const first = Math.round(grant.amountFen * 0.6);
    add('DISBURSEMENT', addDays(grant.awardedOn, 10), first, '首期拨付');
    const secondDue = grant.status === 'COMPLETED';
    if (secondDue) add('DISBURSEMENT', addDays(grant.awardedOn, 120), grant.amountFen - first, '尾款拨付');
    const disbursed = secondDue ? grant.amountFen : first;
    const spent = Math.min(disbursed, Math.round(grant.amountFen * spentShare));
    add('EXPENDITURE', addDays(grant.awardedOn, 60), Math.round(spent * 0.5), '项目支出');
    add('EXPENDITURE', addDays(grant.awardedOn, 150), spent - Math.round(spent * 0.5), '项目支出');
    const refund = secondDue && random() < 0.1 ? Math.round(spent * 0.05) : 0;
    add('REFUND', addDays(grant.awardedOn, 200), refund, '结余退回');
    return spent - refund;
  };

  // Micro-project grants: approved projects, funded by the sub-district office, run by a social organisation.
  const statusOf = new Map<string, string>();
  for (const step of services.microProjectSteps) statusOf.set(step.microProjectId, step.status);
  const approvedOn = new Map<string, string>();
  for (const step of services.microProjectSteps) if (step.status === 'APPROVED') approvedOn.set(step.microProjectId, step.on);
  for (const project of services.microProjects) {
    const status = statusOf.get(project.id);
    if (status === 'REJECTED' || status === 'PROPOSED') continue;
    const awardedOn = approvedOn.get(project.id)!;
    const grant: GrantRecord = {
      id: `grant-${project.id.slice(3)}`,
      programmeId: programmeIds.microProjects,
      title: project.title,
      funderOrganisationId: districtOrganisationIds.subdistrictOffice(subdistrictCode.get(project.subdistrictId)!),
      recipientOrganisationId: committeeOrgOf.get(project.communityId)!,
      implementingOrganisationId: socialOrganisation(),
      amountFen: project.plannedBudgetFen,
      awardedOn,
      plannedStart: addDays(awardedOn, 15),
      plannedEnd: addDays(awardedOn, 180),
      year: project.year,
      beneficiaryCommunityId: project.communityId,
      beneficiarySubdistrictId: project.subdistrictId,
      microProjectId: project.id,
      status: status === 'APPROVED' ? 'AWARDED' : status === 'IN_PROGRESS' ? 'ACTIVE' : 'COMPLETED',
    };
    grants.push(grant);
    flows(grant, status === 'IN_PROGRESS' ? 0.4 : 0.9 + random() * 0.1);
  }

  // Social-organisation support: the published number of organisations and total in 2019.
  const supported = shuffle(
    random,
    Array.from({ length: socialOrganisationCount - evaluatorCount }, (_, i) =>
      districtOrganisationIds.socialOrganisation(evaluatorCount + 1 + i),
    ),
  ).slice(0, source.socialOrganisations.supported2019);
  const support = allocate(
    scaled(source.socialOrganisations.supportFund2019Cny, options.scale) * 100,
    supported.map(() => 0.5 + random()),
  );
  supported.forEach((organisationId, i) => {
    const community = structure.communities[randomInt(random, 0, structure.communities.length - 1)]!;
    const awardedOn = `2019-${String(randomInt(random, 3, 6)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
    const grant: GrantRecord = {
      id: `grant-so-2019-${String(i + 1).padStart(3, '0')}`,
      programmeId: programmeIds.socialOrganisationSupport,
      title: '社会组织能力建设扶持',
      funderOrganisationId: districtOrganisationIds.civilAffairs,
      recipientOrganisationId: organisationId,
      implementingOrganisationId: organisationId,
      amountFen: support[i]!,
      awardedOn,
      plannedStart: addDays(awardedOn, 10),
      plannedEnd: '2019-12-31',
      year: 2019,
      beneficiaryCommunityId: community.id,
      beneficiarySubdistrictId: placementIn(community.id, 2019),
      microProjectId: null,
      status: random() < 0.7 ? 'COMPLETED' : 'ACTIVE',
    };
    grants.push(grant);
    const spent = flows(grant, 0.8 + random() * 0.2);
    for (const [r, periodEnd] of [
      [1, '2019-09-30'],
      [2, '2019-12-31'],
    ] as const) {
      if (r === 2 && grant.status !== 'COMPLETED') continue;
      progressReports.push({
        id: `${grant.id}-report-${r}`,
        grantId: grant.id,
        submittedByOrganisationId: organisationId,
        submittedOn: addDays(periodEnd, 10),
        periodEnd,
        outputs: r === 1 ? '开展培训3场，服务居民120人次' : '完成全部服务目标，服务居民300人次',
        spendFen: r === 1 ? Math.round(spent / 2) : spent - Math.round(spent / 2),
        narrative: r === 1 ? '项目按计划推进。' : '项目已完成，结余资金按规定退回。',
      });
    }
  });

  // Charity funds: a few community grants each year.
  for (let n = 1; n <= source.socialOrganisations.namedCharityFunds; n++) {
    for (const year of serviceYears) {
      if (random() > 0.4) continue;
      const community = structure.communities[randomInt(random, 0, structure.communities.length - 1)]!;
      const awardedOn = `${year}-${String(randomInt(random, 1, 10)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
      const implementer = socialOrganisation();
      const grant: GrantRecord = {
        id: `grant-cf-${String(n).padStart(3, '0')}-${year}`,
        programmeId: programmeIds.charity(n),
        title: '社区慈善项目',
        funderOrganisationId: districtOrganisationIds.charityFund(n),
        recipientOrganisationId: implementer,
        implementingOrganisationId: implementer,
        amountFen: Math.max(100_00, Math.round(randomInt(random, 20_000, 200_000) * 100 * options.scale * 10)),
        awardedOn,
        plannedStart: addDays(awardedOn, 10),
        plannedEnd: addDays(awardedOn, 200),
        year,
        beneficiaryCommunityId: community.id,
        beneficiarySubdistrictId: placementIn(community.id, year),
        microProjectId: null,
        status: year < 2019 ? 'COMPLETED' : 'ACTIVE',
      };
      grants.push(grant);
      flows(grant, 0.7 + random() * 0.3);
    }
  }

  return { funds, programmes, budgets, grants, transactions, progressReports };
}
