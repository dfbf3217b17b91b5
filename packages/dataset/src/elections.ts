import { allocate, allocateCapped } from './allocate.ts';
import { facts, type Facts } from './facts.ts';
import type { DatasetOptions, Hukou, MembershipRecord, PeopleDataset } from './people.ts';
import { scaled } from './people.ts';
import { createRandom, randomInt, shuffle } from './random.ts';
import type { DistrictStructure, PostRecord } from './structure.ts';

export type ElectionType = 'GENERAL' | 'BY_ELECTION';
export type ReportStatus = 'PRE_ELECTION' | 'UNOFFICIAL' | 'CERTIFIED';
export type CandidacyOutcome = 'PENDING' | 'ELECTED' | 'NOT_ELECTED';
export type MatterStage = 'PROPOSED' | 'DISCUSSED' | 'REVIEWED' | 'RESOLVED' | 'RESOLUTION_PUBLISHED' | 'RESULT_PUBLISHED';
export type MeetingKind = 'RESIDENTS_COUNCIL' | 'SUPERVISION_COMMITTEE';

export const matterStages: MatterStage[] = ['PROPOSED', 'DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED'];

export interface ElectionRecord {
  id: string;
  residentsCommitteeId: string;
  /** Where the election was held, as recorded then (committees do not move, sub-districts can). */
  communityId: string;
  subdistrictId: string;
  type: ElectionType;
  differential: boolean;
  seats: number;
  announcedOn: string;
  heldOn: string;
  reportStatus: ReportStatus;
  certifiedOn: string | null;
  /** Results: null before the count. `registered` is never stored: it is the count of registrations. */
  ballotsCast: number | null;
  ballotsRejected: number | null;
  participated: number | null;
}

export interface VoterRegistrationRecord {
  id: string;
  electionId: string;
  personId: string;
  /** Residents of either hukou status may register where they live. */
  hukouBasis: Hukou;
  registeredOn: string;
}

export interface CandidacyRecord {
  id: string;
  electionId: string;
  personId: string;
  incumbent: boolean;
  outcome: CandidacyOutcome;
  votes: number | null;
  /** Ballot order. */
  position: number;
  /** For elected members: when their seat was vacated before the end of the term (null while serving). */
  servedTo: string | null;
}

export interface MatterRecord {
  id: string;
  communityId: string;
  residentsCommitteeId: string;
  title: string;
  summary: string;
}

export interface MatterStageRecord {
  id: string;
  matterId: string;
  stage: MatterStage;
  heldOn: string;
  /** The body that took the step: party committee, joint meeting of the two committees, and so on. */
  body: string;
  minutesRef: string;
  votesFor: number | null;
  votesAgainst: number | null;
  votesAbstain: number | null;
}

export interface MeetingRecord {
  id: string;
  kind: MeetingKind;
  organisationId: string;
  residentsCommitteeId: string;
  heldOn: string;
  title: string;
  attendees: number;
}

export interface MotionRecord {
  id: string;
  meetingId: string;
  title: string;
  votesFor: number;
  votesAgainst: number;
  votesAbstain: number;
  carried: boolean;
}

export interface ElectionsDataset {
  elections: ElectionRecord[];
  registrations: VoterRegistrationRecord[];
  candidacies: CandidacyRecord[];
  matters: MatterRecord[];
  matterStages: MatterStageRecord[];
  meetings: MeetingRecord[];
  motions: MotionRecord[];
  /** Committee seats held by the elected: the people slice records them as memberships. */
  committeeMemberships: MembershipRecord[];
}

/** Election calendar (assumption: the general election in spring 2017, by-elections in autumn 2019). */
export const electionDates = {
  generalAnnounced: '2017-03-01',
  generalHeld: '2017-04-15',
  generalCertified: '2017-04-25',
  byElectionAnnounced: '2019-08-15',
  byElectionHeld: '2019-09-21',
  byElectionCertified: '2019-09-30',
};

const matterTitles = [
  ['老旧小区加装电梯', '征求加装电梯方案与费用分摊意见'],
  ['社区停车位规划', '调整社区公共停车位并确定收费标准'],
  ['股份合作公司物业出租', '审议集体物业公开招租方案'],
  ['民生微实事项目选定', '确定本年度民生微实事项目清单'],
  ['社区公园改造', '改造社区公园及健身设施'],
  ['垃圾分类投放点设置', '确定垃圾分类集中投放点位置'],
];
const stageBodies: Record<MatterStage, string> = {
  PROPOSED: '社区党委',
  DISCUSSED: '社区党委与居委会联席会议',
  REVIEWED: '社区党员大会',
  RESOLVED: '居民代表会议',
  RESOLUTION_PUBLISHED: '社区公开栏及网站',
  RESULT_PUBLISHED: '社区公开栏及网站',
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Votes split into for/against/abstain among `present`, with a clear majority for. */
function vote(random: () => number, present: number): { votesFor: number; votesAgainst: number; votesAbstain: number } {
  const against = Math.floor(present * random() * 0.15);
  const abstain = Math.floor((present - against) * random() * 0.1);
  return { votesFor: present - against - abstain, votesAgainst: against, votesAbstain: abstain };
}

export function electionsDataset(
  structure: DistrictStructure,
  people: PeopleDataset,
  options: DatasetOptions,
  source: Facts = facts,
): ElectionsDataset {
  const random = createRandom(options.seed * 104729 + 3);
  // Adults of 2017 per community, as resident indexes.
  const { residents } = people;
  const adults = new Map<string, number[]>();
  structure.communities.forEach((community, block) => {
    const [start, end] = residents.range(block);
    const list: number[] = [];
    for (let i = start; i < end; i++) if (2017 - residents.birthYear[i]! >= 18) list.push(i);
    adults.set(community.id, list);
  });
  const subdistrictOf = (communityId: string, date: string) =>
    structure.placements.find((p) => p.communityId === communityId && p.validFrom <= date && (p.validTo === null || date <= p.validTo))!
      .subdistrictId;
  const committeeOrganisation = new Map(
    structure.organisations.filter((o) => o.kind === 'RESIDENTS_COMMITTEE').map((o) => [o.residentsCommitteeId!, o.id]),
  );
  const postsByOrganisation = new Map<string, PostRecord[]>();
  for (const post of structure.posts)
    postsByOrganisation.set(post.organisationId, [...(postsByOrganisation.get(post.organisationId) ?? []), post]);
  const holdersByOrganisation = new Map<string, Map<string, string>>();
  for (const m of people.memberships) {
    const byRole = holdersByOrganisation.get(m.organisationId) ?? new Map<string, string>();
    if (!byRole.has(m.role)) byRole.set(m.role, m.personId);
    holdersByOrganisation.set(m.organisationId, byRole);
  }

  const elections: ElectionRecord[] = [];
  const registrations: VoterRegistrationRecord[] = [];
  const candidacies: CandidacyRecord[] = [];
  const committeeMemberships: MembershipRecord[] = [];

  // Registered voters and participation: exact district totals, split by committee.
  const committees = structure.residentsCommittees;
  const registeredTotal = scaled(source.elections.registeredVoters, options.scale);
  const registeredPer = allocate(
    registeredTotal,
    committees.map((rc) => (adults.get(rc.communityId)?.length ?? 0) + 1),
  );
  const participatedPer = allocateCapped(
    Math.round(registeredTotal * source.elections.turnout),
    registeredPer.map((r) => r * (0.9 + random() * 0.1)),
    registeredPer,
  );

  // Votes for an election's candidacies: winners by a majority of valid ballots, within seats × valid.
  const count = (election: ElectionRecord, list: CandidacyRecord[], participated: number) => {
    const rejected = Math.floor(participated * 0.01 * random());
    const valid = participated - rejected;
    election.ballotsCast = participated;
    election.ballotsRejected = rejected;
    election.participated = participated;
    const majority = Math.floor(valid / 2) + 1;
    // Each valid ballot marks at most `seats` names, so all votes together stay within seats × valid.
    let budget = valid * election.seats;
    list.forEach((candidacy, index) => {
      const wins = index < election.seats;
      candidacy.outcome = wins ? 'ELECTED' : 'NOT_ELECTED';
      candidacy.votes = wins ? Math.min(valid, majority + Math.floor(random() * (valid - majority + 1))) : 0;
      budget -= candidacy.votes;
    });
    for (const candidacy of list.slice(election.seats)) {
      candidacy.votes = Math.min(budget, Math.floor(random() * majority * 0.9));
      budget -= candidacy.votes;
    }
  };

  // Seats in ballot order: director, deputy, members; each elected person takes the seat of their rank.
  const seatPosts = (committeeId: string) =>
    (postsByOrganisation.get(committeeOrganisation.get(committeeId)!) ?? []).filter((post) => post.role !== 'AREA_DIRECTOR');

  const winnersByCommittee = new Map<string, { candidacy: CandidacyRecord; post: PostRecord }[]>();
  committees.forEach((committee, i) => {
    const communityAdults = shuffle(random, adults.get(committee.communityId) ?? []);
    const partyCommittee = holdersByOrganisation.get(`org-pc-${committee.communityId.slice(4)}`);
    const firstOfCommunity = committees.find((rc) => rc.communityId === committee.communityId)!.id === committee.id;
    const code = committee.code;
    const election: ElectionRecord = {
      id: `el-${code}-2017-general`,
      residentsCommitteeId: committee.id,
      communityId: committee.communityId,
      subdistrictId: subdistrictOf(committee.communityId, electionDates.generalHeld),
      type: 'GENERAL',
      differential: true,
      seats: committee.seats,
      announcedOn: electionDates.generalAnnounced,
      heldOn: electionDates.generalHeld,
      reportStatus: 'CERTIFIED',
      certifiedOn: electionDates.generalCertified,
      ballotsCast: null,
      ballotsRejected: null,
      participated: null,
    };
    elections.push(election);

    // Candidates: cross-appointed party cadres first where the community does so (一肩挑, 交叉任职).
    const chosen: number[] = [];
    const take = (personId: string | undefined) => {
      const person = personId ? residents.indexOf(personId) : undefined;
      if (person !== undefined && !chosen.includes(person)) chosen.push(person);
    };
    if (firstOfCommunity && partyCommittee) {
      if (random() < 0.8) take(partyCommittee.get('PARTY_SECRETARY'));
      if (random() < 0.6) take(partyCommittee.get('PARTY_COMMITTEE_MEMBER'));
    }
    const extra = randomInt(random, 1, 2);
    for (const person of communityAdults) {
      if (chosen.length >= committee.seats + extra) break;
      if (!chosen.includes(person)) chosen.push(person);
    }
    const list = chosen.map((person, position): CandidacyRecord => ({
      id: `cand-${code}-2017-${String(position + 1).padStart(2, '0')}`,
      electionId: election.id,
      personId: residents.id(person),
      incumbent: random() < 0.55,
      outcome: 'PENDING',
      votes: null,
      position: position + 1,
      servedTo: null,
    }));
    candidacies.push(...list);

    const voters = communityAdults.slice(0, Math.min(registeredPer[i]!, communityAdults.length));
    for (const [n, person] of voters.entries()) {
      registrations.push({
        id: `vr-${code}-2017-${String(n + 1).padStart(6, '0')}`,
        electionId: election.id,
        personId: residents.id(person),
        hukouBasis: residents.hukou(person),
        registeredOn: addDays(electionDates.generalAnnounced, randomInt(random, 1, 20)),
      });
    }
    count(election, list, Math.min(participatedPer[i]!, voters.length));
    const posts = seatPosts(committee.id);
    winnersByCommittee.set(
      committee.id,
      list.slice(0, committee.seats).map((candidacy, k) => ({ candidacy, post: posts[k]! })),
    );
  });

  // 2019 by-elections: the published number of seats, vacated across committees and filled again.
  const vacancies = shuffle(
    random,
    [...winnersByCommittee.values()].flatMap((winners) => winners.slice(1)),
  ).slice(0, source.elections.byElection2019MembersElected);
  const vacatedByCommittee = new Map<string, { candidacy: CandidacyRecord; post: PostRecord }[]>();
  for (const seat of vacancies) {
    const committeeId = elections.find((e) => e.id === seat.candidacy.electionId)!.residentsCommitteeId;
    vacatedByCommittee.set(committeeId, [...(vacatedByCommittee.get(committeeId) ?? []), seat]);
    seat.candidacy.servedTo = addDays(electionDates.byElectionHeld, -randomInt(random, 40, 200));
  }
  for (const committee of committees) {
    const vacated = vacatedByCommittee.get(committee.id);
    if (!vacated) continue;
    const code = committee.code;
    const general = elections.find((e) => e.residentsCommitteeId === committee.id)!;
    const differential = random() < 0.5;
    const election: ElectionRecord = {
      ...general,
      id: `el-${code}-2019-by`,
      subdistrictId: subdistrictOf(committee.communityId, electionDates.byElectionHeld),
      type: 'BY_ELECTION',
      differential,
      seats: vacated.length,
      announcedOn: electionDates.byElectionAnnounced,
      heldOn: electionDates.byElectionHeld,
      certifiedOn: electionDates.byElectionCertified,
    };
    elections.push(election);
    const sitting = new Set(candidacies.filter((c) => c.electionId === general.id).map((c) => residents.indexOf(c.personId)));
    const pool = shuffle(
      random,
      (adults.get(committee.communityId) ?? []).filter((p) => !sitting.has(p)),
    );
    const list = pool.slice(0, vacated.length + (differential ? 1 : 0)).map((person, position): CandidacyRecord => ({
      id: `cand-${code}-2019-${String(position + 1).padStart(2, '0')}`,
      electionId: election.id,
      personId: residents.id(person),
      incumbent: false,
      outcome: 'PENDING',
      votes: null,
      position: position + 1,
      servedTo: null,
    }));
    candidacies.push(...list);
    const generalVoters = registrations.filter((r) => r.electionId === general.id);
    for (const [n, registration] of generalVoters.entries()) {
      registrations.push({
        id: `vr-${code}-2019-${String(n + 1).padStart(6, '0')}`,
        electionId: election.id,
        personId: registration.personId,
        hukouBasis: registration.hukouBasis,
        registeredOn: addDays(electionDates.byElectionAnnounced, randomInt(random, 1, 20)),
      });
    }
    count(election, list, Math.round(generalVoters.length * (0.85 + random() * 0.1)));
    list.slice(0, vacated.length).forEach((candidacy, k) => {
      winnersByCommittee.get(committee.id)!.push({ candidacy, post: vacated[k]!.post });
    });
  }

  // Seats held: from the election day until vacated.
  const heldOn = new Map(elections.map((e) => [e.id, e.heldOn]));
  for (const winners of winnersByCommittee.values()) {
    for (const { candidacy, post } of winners) {
      const from = heldOn.get(candidacy.electionId)!;
      committeeMemberships.push({
        id: `mem-${post.id.slice(5)}-${from.replaceAll('-', '')}`,
        personId: candidacy.personId,
        postId: post.id,
        organisationId: post.organisationId,
        role: post.role,
        validFrom: from,
        validTo: candidacy.servedTo,
      });
    }
  }

  // 四议两公开: every community has a history of major matters, the latest still under way.
  const matters: MatterRecord[] = [];
  const stages: MatterStageRecord[] = [];
  for (const community of structure.communities) {
    const committee = committees.find((rc) => rc.communityId === community.id)!;
    const howMany = randomInt(random, 2, 4);
    for (let m = 1; m <= howMany; m++) {
      const [title, summary] = matterTitles[randomInt(random, 0, matterTitles.length - 1)]!;
      const matter: MatterRecord = {
        id: `mat-${community.code}-${m}`,
        communityId: community.id,
        residentsCommitteeId: committee.id,
        title: title!,
        summary: summary!,
      };
      matters.push(matter);
      const reached = m < howMany ? matterStages.length : randomInt(random, 1, matterStages.length);
      let date = `${2016 + m}-${String(randomInt(random, 1, 9)).padStart(2, '0')}-${String(randomInt(random, 1, 28)).padStart(2, '0')}`;
      for (const stage of matterStages.slice(0, reached)) {
        const voted = stage === 'DISCUSSED' || stage === 'REVIEWED' || stage === 'RESOLVED';
        const present =
          stage === 'DISCUSSED' ? randomInt(random, 9, 15) : stage === 'REVIEWED' ? randomInt(random, 30, 120) : randomInt(random, 25, 60);
        stages.push({
          id: `${matter.id}-${stage.toLowerCase()}`,
          matterId: matter.id,
          stage,
          heldOn: date,
          body: stageBodies[stage],
          minutesRef: `MIN-${community.code}-${m}-${matterStages.indexOf(stage) + 1}`,
          ...(voted ? vote(random, present) : { votesFor: null, votesAgainst: null, votesAbstain: null }),
        });
        date = addDays(date, randomInt(random, 5, 20));
      }
    }
  }

  // Residents' councils meet quarterly; supervision committees review twice a year.
  const meetings: MeetingRecord[] = [];
  const motions: MotionRecord[] = [];
  const councilOf = new Map(
    structure.organisations.filter((o) => o.kind === 'RESIDENTS_COUNCIL').map((o) => [o.residentsCommitteeId!, o.id]),
  );
  const supervisionOf = new Map(
    structure.organisations.filter((o) => o.kind === 'SUPERVISION_COMMITTEE').map((o) => [o.residentsCommitteeId!, o.id]),
  );
  const motionTitles = ['增设社区长者饭堂', '规范电动车停放充电', '调整居民议事规则', '审查上季度居务公开内容', '审查民生微实事资金使用'];
  for (const committee of committees) {
    for (const year of [2017, 2018, 2019]) {
      for (const [kind, months] of [
        ['RESIDENTS_COUNCIL', [3, 6, 9, 12]],
        ['SUPERVISION_COMMITTEE', [6, 12]],
      ] as const) {
        for (const month of months) {
          const meeting: MeetingRecord = {
            id: `mtg-${committee.code}-${year}${String(month).padStart(2, '0')}-${kind === 'RESIDENTS_COUNCIL' ? 'council' : 'supervision'}`,
            kind,
            organisationId: (kind === 'RESIDENTS_COUNCIL' ? councilOf : supervisionOf).get(committee.id)!,
            residentsCommitteeId: committee.id,
            heldOn: `${year}-${String(month).padStart(2, '0')}-${String(randomInt(random, 5, 25)).padStart(2, '0')}`,
            title: kind === 'RESIDENTS_COUNCIL' ? `${year}年第${month / 3}季度居民议事会` : `${year}年居务监督委员会审查会`,
            attendees: kind === 'RESIDENTS_COUNCIL' ? randomInt(random, 11, 25) : randomInt(random, 3, 7),
          };
          meetings.push(meeting);
          const motionsHere = randomInt(random, 1, 3);
          for (let k = 1; k <= motionsHere; k++) {
            const votes = vote(random, meeting.attendees);
            const carried = random() < 0.85;
            motions.push({
              id: `${meeting.id}-${k}`,
              meetingId: meeting.id,
              title: motionTitles[randomInt(random, 0, motionTitles.length - 1)]!,
              ...(carried ? votes : { votesFor: votes.votesAgainst, votesAgainst: votes.votesFor, votesAbstain: votes.votesAbstain }),
              carried,
            });
          }
        }
      }
    }
  }

  return { elections, registrations, candidacies, matters, matterStages: stages, meetings, motions, committeeMemberships };
}
