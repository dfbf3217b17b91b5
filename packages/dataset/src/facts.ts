import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the published figures live; a copy of the design's facts file, checked equal by a test. */
export const factsPath = fileURLToPath(new URL('../facts/baoan-2019.json', import.meta.url));

export interface Facts {
  district: { name: string; nameEn: string; city: string; areaKm2: number; code: string };
  subdistricts: {
    count: number;
    formerCount: number;
    names: string[];
    namesEn: string[];
    splits: { new: string; from: string }[];
    splitDate: { value: string };
  };
  communities: { count: number; withWorkstation: number; withWebsite: number; fourDeliberationsTwoDisclosuresCoverage: number };
  residentsCommittees: {
    count: number;
    conventionsRevised: number;
    withDisclosureBoard: number;
    withSupervisionCommittee: number;
    withResidentsCouncil: number;
  };
  population: { managed: number; nonLocalHukouShare: number };
  communityWorkers: { count: number; recruited2019: number; recruited2019MinEducation: string };
  elections: {
    registeredVoters: number;
    turnout: number;
    membersElected: number;
    generalElectionYear: { value: number };
    byElection2019MembersElected: number;
    nonLocalResidentsMayRegister: boolean;
  };
  microProjects: { annualBudgetCny: number; projects2019: number; trainedPeopleCumulativeAtLeast: number };
  neighbourhood: { cultureRooms: number; events: number; peopleServed: number };
  socialOrganisations: { namedCharityFunds: number; supported2019: number; supportFund2019Cny: number };
  perCommunityServices: { legalAdviser: number; psychologicalCounsellor: number; antiDrugSocialWorkersAtLeast: number };
}

export const facts: Facts = JSON.parse(readFileSync(factsPath, 'utf8'));
