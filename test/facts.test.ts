import { defaultScale, facts, scaled } from '@gongzhi/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeedTarget, runSeed, serveSeededGraph, type SeedTarget, type ServedGraph } from './seeded-graph.ts';

/**
 * The published figures of ../shared/facts/baoan-2019.json, asked of the gateway (never of SQL) on a
 * dataset written by `npm run seed`. On a PostgreSQL server (DATABASE_URL) the dataset is the full
 * district, scale 1, and every figure must match exactly; on embedded PostgreSQL it is the default scale,
 * where counts shrink in proportion and the structure stays whole. FACTS_SCALE overrides the choice.
 */
const scale = Number(process.env.FACTS_SCALE ?? (process.env.DATABASE_URL ? 1 : defaultScale));
/** A published count at this scale: exact at scale 1. */
const count = (figure: number) => scaled(figure, scale);
/** Fen of a published amount of yuan at this scale. */
const fen = (yuan: number) => scaled(yuan, scale) * 100;

let target: SeedTarget;
let graph: ServedGraph;
let seedOutput = '';

beforeAll(async () => {
  target = await createSeedTarget();
  const run = await runSeed(target, ['--scale', String(scale)]);
  seedOutput = run.stdout;
  if (run.code !== 0) throw new Error(`npm run seed failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  graph = await serveSeededGraph(target);
}, 900_000);

afterAll(async () => {
  await graph?.stop();
  await target?.drop();
}, 120_000);

describe(`the published figures through the gateway, at scale ${scale}`, () => {
  it('were seeded by npm run seed, which reported its progress', () => {
    expect(seedOutput).toContain(`Seeding the reference dataset at scale ${scale} with seed 2019`);
    expect(seedOutput).toMatch(/people\.persons +[\d,]+ done in/);
    expect(seedOutput).toMatch(/Seeded all five slices in [\d.]+ s\./);
  });

  it('the district and its ten sub-districts, four of them split from older ones on the published date', async () => {
    const { district } = await graph.query(`{ district {
      name nameEn city areaKm2 code
      now: subdistricts(asOf: "2019-12-31") { name nameEn validFrom splitFrom { name } }
      before: subdistricts(asOf: "2016-09-30") { name } } }`);
    expect(district).toMatchObject({
      name: facts.district.name,
      nameEn: facts.district.nameEn,
      city: facts.district.city,
      areaKm2: facts.district.areaKm2,
    });
    expect(district.code.startsWith(facts.district.code)).toBe(true);
    expect(district.now).toHaveLength(facts.subdistricts.count);
    // Official names carry the level: 新安街道, Xin'an Subdistrict.
    const short = (name: string) => name.replace(/(街道| Subdistrict)$/, '');
    expect(district.now.map((s: any) => short(s.name)).sort()).toEqual([...facts.subdistricts.names].sort());
    expect(district.now.map((s: any) => short(s.nameEn)).sort()).toEqual([...facts.subdistricts.namesEn].sort());
    expect(district.before).toHaveLength(facts.subdistricts.formerCount);
    const splits = district.now
      .filter((s: any) => s.splitFrom)
      .map((s: any) => ({ new: short(s.name), from: short(s.splitFrom.name), on: s.validFrom }));
    expect(splits.sort((a: any, b: any) => a.new.localeCompare(b.new))).toEqual(
      facts.subdistricts.splits.map((s) => ({ ...s, on: facts.subdistricts.splitDate.value })).sort((a, b) => a.new.localeCompare(b.new)),
    );
  });

  it('every community and residents’ committee with what it must have, and 四议两公开 everywhere', async () => {
    const { district } = await graph.query(`{ district {
      governance(asOf: "2019-12-31") { communities communitiesWithWorkstation communitiesWithWebsite residentsCommittees
        committeesWithRevisedConvention committeesWithDisclosureBoard committeesWithResidentsCouncil committeesWithSupervisionCommittee }
      deliberation { communities matters } } }`);
    expect(district.governance).toEqual({
      communities: facts.communities.count,
      communitiesWithWorkstation: facts.communities.withWorkstation,
      communitiesWithWebsite: facts.communities.withWebsite,
      residentsCommittees: facts.residentsCommittees.count,
      committeesWithRevisedConvention: facts.residentsCommittees.conventionsRevised,
      committeesWithDisclosureBoard: facts.residentsCommittees.withDisclosureBoard,
      committeesWithResidentsCouncil: facts.residentsCommittees.withResidentsCouncil,
      committeesWithSupervisionCommittee: facts.residentsCommittees.withSupervisionCommittee,
    });
    expect(district.deliberation.communities / district.governance.communities).toBe(
      facts.communities.fourDeliberationsTwoDisclosuresCoverage,
    );
    expect(district.deliberation.matters).toBeGreaterThanOrEqual(facts.communities.count);
  });

  it('the official population with its non-local share, and one Person per counted resident in every community', async () => {
    const { district, communities } = await graph.query(`{
      district { population(year: 2019) { total localHukou nonLocalHukou nonLocalShare } }
      communities(first: 500) { totalCount edges { node { id population(year: 2019) { total nonLocalHukou }
        residents(first: 1) { totalCount } nonLocal: residents(hukou: NON_LOCAL, first: 1) { totalCount } } } } }`);
    expect(district.population.total).toBe(count(facts.population.managed));
    expect(district.population.nonLocalHukou).toBe(
      district.population.total - Math.round(district.population.total * (1 - facts.population.nonLocalHukouShare)),
    );
    expect(Math.abs(district.population.nonLocalShare - facts.population.nonLocalHukouShare)).toBeLessThanOrEqual(
      0.5 / district.population.total,
    );
    expect(communities.totalCount).toBe(facts.communities.count);
    let persons = 0;
    for (const { node } of communities.edges) {
      expect(node.residents.totalCount, node.id).toBe(node.population.total);
      expect(node.nonLocal.totalCount, node.id).toBe(node.population.nonLocalHukou);
      persons += node.residents.totalCount;
    }
    expect(persons).toBe(count(facts.population.managed));
  });

  it('the community workers, and the 2019 recruits all with a bachelor’s degree or above', async () => {
    const { district } = await graph.query(
      `{ district { workforce(year: 2019) { workers recruited recruitedByEducation { education count } } } }`,
    );
    expect(district.workforce.workers).toBe(count(facts.communityWorkers.count));
    expect(district.workforce.recruited).toBe(count(facts.communityWorkers.recruited2019));
    const byEducation = district.workforce.recruitedByEducation as { education: string; count: number }[];
    expect(byEducation.reduce((sum, e) => sum + e.count, 0)).toBe(district.workforce.recruited);
    const levels = ['PRIMARY', 'JUNIOR_SECONDARY', 'SENIOR_SECONDARY', 'VOCATIONAL', 'ASSOCIATE', 'BACHELOR', 'MASTER', 'DOCTORATE'];
    for (const { education } of byEducation)
      expect(levels.indexOf(education)).toBeGreaterThanOrEqual(levels.indexOf(facts.communityWorkers.recruited2019MinEducation));
  });

  it('the general election: registered voters, turnout and members elected; the 2019 by-elections; non-local voters', async () => {
    const year = facts.elections.generalElectionYear.value;
    const { district, elections } = await graph.query(
      `query($year: Int!) { district {
        general: electionTotals(year: $year, type: GENERAL) { elections registered participated turnout membersElected }
        by2019: electionTotals(year: 2019, type: BY_ELECTION) { membersElected } }
        elections(year: $year, type: GENERAL, first: 1) { edges { node { registrations(first: 500) { edges { node { hukouBasis } } } } } } }`,
      { year },
    );
    expect(district.general.elections).toBe(facts.residentsCommittees.count);
    expect(district.general.registered).toBe(count(facts.elections.registeredVoters));
    expect(district.general.participated).toBe(Math.round(district.general.registered * facts.elections.turnout));
    expect(Math.abs(district.general.turnout - facts.elections.turnout)).toBeLessThanOrEqual(0.5 / district.general.registered);
    expect(district.general.membersElected).toBe(facts.elections.membersElected);
    expect(district.by2019.membersElected).toBe(facts.elections.byElection2019MembersElected);
    const bases = elections.edges[0].node.registrations.edges.map((e: any) => e.node.hukouBasis);
    expect(bases.includes('NON_LOCAL')).toBe(facts.elections.nonLocalResidentsMayRegister);
  });

  it('the 2019 micro-projects within the annual budget, and the people their trainings reached', async () => {
    const { district } = await graph.query(`{ district {
      y2019: microProjectTotals(year: 2019) { projects plannedBudget { amount } }
      microProjectBudget(year: 2019) { amount currency }
      trainings: microProjectTotals(category: TRAINING) { beneficiaries } } }`);
    expect(district.y2019.projects).toBe(count(facts.microProjects.projects2019));
    expect(district.microProjectBudget).toEqual({ amount: fen(facts.microProjects.annualBudgetCny), currency: 'CNY' });
    expect(district.y2019.plannedBudget.amount).toBeLessThanOrEqual(district.microProjectBudget.amount);
    expect(district.trainings.beneficiaries).toBeGreaterThanOrEqual(count(facts.microProjects.trainedPeopleCumulativeAtLeast));
  });

  it('culture rooms, neighbourhood events and the people they served, and the standing services of every community', async () => {
    const { district } = await graph.query(`{ district {
      neighbourhood(year: 2019) { events attendance } serviceCoverage { kind services communities }
      governance(asOf: "2019-12-31") { communities } } }`);
    expect(district.neighbourhood).toEqual({
      events: count(facts.neighbourhood.events),
      attendance: count(facts.neighbourhood.peopleServed),
    });
    const coverage = new Map<string, { services: number; communities: number }>(
      district.serviceCoverage.map(({ kind, services, communities }: any) => [kind, { services, communities }]),
    );
    const communities = district.governance.communities;
    expect(coverage.get('CULTURE_ROOM')!.services).toBe(facts.neighbourhood.cultureRooms);
    expect(coverage.get('LEGAL_ADVICE')).toEqual({ services: communities * facts.perCommunityServices.legalAdviser, communities });
    expect(coverage.get('COUNSELLING')).toEqual({
      services: communities * facts.perCommunityServices.psychologicalCounsellor,
      communities,
    });
    expect(coverage.get('ANTI_DRUG')!.communities).toBe(communities);
    expect(coverage.get('ANTI_DRUG')!.services).toBeGreaterThanOrEqual(
      communities * facts.perCommunityServices.antiDrugSocialWorkersAtLeast,
    );
  });

  it('the named charity funds, and the social organisations supported in 2019 with the published fund', async () => {
    const { funds, district } = await graph.query(`{ funds(kind: CHARITY_FUND) { name holder { name } }
      district { grantTotals(year: 2019, kind: SOCIAL_ORGANISATION_SUPPORT) { recipients awarded { amount } } } }`);
    expect(funds).toHaveLength(facts.socialOrganisations.namedCharityFunds);
    expect(new Set(funds.map((f: any) => f.name)).size).toBe(facts.socialOrganisations.namedCharityFunds);
    expect(funds.every((f: any) => f.holder.name.length > 0)).toBe(true);
    expect(district.grantTotals.recipients).toBe(facts.socialOrganisations.supported2019);
    expect(district.grantTotals.awarded.amount).toBe(fen(facts.socialOrganisations.supportFund2019Cny));
  });
});
