import { adminCaller, publicCaller, type Caller } from '@gongzhi/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();
const staff = (scopes: string[]): Caller => ({
  role: 'staff',
  subject: 'clerk-1',
  organisationId: null,
  department: 'civil-affairs',
  scopes,
});
const writer = staff(['write:elections']);
const analyst: Caller = { role: 'analyst', subject: 'a', organisationId: null, department: null, scopes: [] };
const partner: Caller = { role: 'partner', subject: 'p', organisationId: 'org-so-010', department: null, scopes: ['write:elections'] };

const electionFields = `id type differential seats announcedOn heldOn reportStatus certifiedOn version
  residentsCommittee { id } community { id } subdistrict { id }`;
const create = `mutation($input: CreateElectionInput!) { createElection(input: $input) {
  replayed errors { path code message } election { ${electionFields} } } }`;
const register = `mutation($input: RegisterVoterInput!) { registerVoter(input: $input) {
  replayed errors { path code message } registration { id person { id } hukouBasis registeredOn } election { id result { registered } } } }`;
const stand = `mutation($input: AddCandidacyInput!) { addCandidacy(input: $input) {
  replayed errors { path code message } candidacy { id position incumbent outcome votes version person { id } election { id } } } }`;
const record = `mutation($input: RecordElectionResultInput!) { recordElectionResult(input: $input) {
  errors { path code message } election { id reportStatus version
    result { registered participated ballotsCast ballotsRejected ballotsValid }
    candidacies { id position votes outcome version } } } }`;
const certify = `mutation($input: CertifyElectionInput!) { certifyElection(input: $input) {
  errors { path code message } election { id reportStatus certifiedOn version } } }`;
const readElection = `query($id: ID!) { election(id: $id) { ${electionFields}
  result { registered participated ballotsCast ballotsRejected ballotsValid turnout suppressed }
  candidacies { id position votes outcome } registrations(first: 100) { totalCount edges { node { id person { id } } } } } }`;
const publicElection = `query($id: ID!) { election(id: $id) { id reportStatus result { participated } candidacies { id votes outcome } } }`;
const auditOf = `query($id: ID!) { sliceAuditLog(entityId: $id, first: 100) { edges { node { entityType operation actorRole actor before after } } } }`;

type Table = 'elections' | 'voter_registrations' | 'candidacies' | 'audit_log' | 'idempotency_keys';
const rowsOf = async (table: Table) => (await h.one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(`elections.${table}`)}`)).n;
const allCounts = () =>
  Promise.all((['elections', 'voter_registrations', 'candidacies', 'audit_log', 'idempotency_keys'] as Table[]).map(rowsOf));
const auditEntries = async (id: string) => (await h.data(auditOf, { id }, adminCaller)).sliceAuditLog.edges.map((e: any) => e.node);
/** An election as staff allowed to read registrations see it. */
const read = (id: string) => h.data(readElection, { id }, staff(['write:elections', 'read:personal']));
const codes = (errors: any[]) => errors.map((e) => [e.path, e.code]);

/** A committee of the dataset with its certified 2017 general election: where new elections are held. */
let committee: { id: string; communityId: string; subdistrictId: string; seats: number };
beforeAll(async () => {
  committee = await h.one(sql`select residents_committee_id as id, community_id as "communityId", subdistrict_id as "subdistrictId", seats
    from elections.elections where type = 'GENERAL' and report_status = 'CERTIFIED' order by id limit 1`);
});

let serial = 0;
/** A new general election of the committee, PRE_ELECTION, on a day of its own. */
async function newElection(overrides: Record<string, unknown> = {}) {
  serial += 1;
  const year = 2030 + serial;
  const input = {
    residentsCommitteeId: committee.id,
    communityId: committee.communityId,
    subdistrictId: committee.subdistrictId,
    type: 'GENERAL',
    differential: true,
    seats: 5,
    announcedOn: `${year}-03-01`,
    heldOn: `${year}-04-15`,
    idempotencyKey: `election-${serial}`,
    ...overrides,
  };
  const { createElection } = await h.data(create, { input }, writer);
  expect(createElection.errors).toEqual([]);
  return createElection.election as { id: string; version: number; announcedOn: string; heldOn: string };
}

/** Registers `n` new residents; answers their person ids. */
async function registerMany(election: { id: string; announcedOn: string }, n: number, prefix: string) {
  const people: string[] = [];
  for (let i = 0; i < n; i++) {
    const personId = `per-${prefix}-${i}`;
    const input = {
      electionId: election.id,
      personId,
      hukouBasis: i % 3 === 0 ? 'LOCAL' : 'NON_LOCAL',
      registeredOn: election.announcedOn,
      idempotencyKey: `reg-${prefix}-${i}`,
    };
    const { registerVoter } = await h.data(register, { input }, writer);
    expect(registerVoter.errors).toEqual([]);
    people.push(personId);
  }
  return people;
}

/** Puts each person on the ballot, in order; answers the candidacy ids in ballot order. */
async function standMany(electionId: string, people: string[]) {
  const ids: string[] = [];
  for (const [i, personId] of people.entries()) {
    const { addCandidacy } = await h.data(
      stand,
      { input: { electionId, personId, incumbent: i === 0, idempotencyKey: `stand-${electionId}-${personId}` } },
      writer,
    );
    expect(addCandidacy.errors).toEqual([]);
    ids.push(addCandidacy.candidacy.id);
  }
  return ids;
}

/** An election with 12 registered voters and 7 candidates for 5 seats, ready to be counted. */
async function readyElection(prefix: string) {
  const election = await newElection();
  const people = await registerMany(election, 12, prefix);
  const candidacies = await standMany(election.id, people.slice(0, 7));
  return { election, people, candidacies };
}

/** The first `votes.length` candidacies in ballot order, with these votes. */
const votesOf = (candidacies: string[], votes: number[]) => votes.map((n, i) => ({ candidacyId: candidacies[i], votes: n }));

describe('createElection', () => {
  it('schedules an election PRE_ELECTION at version 1, audited, readable at once', async () => {
    const input = {
      residentsCommitteeId: committee.id,
      communityId: committee.communityId,
      subdistrictId: committee.subdistrictId,
      type: 'GENERAL',
      differential: true,
      seats: 7,
      announcedOn: '2022-03-01',
      heldOn: '2022-04-16',
      idempotencyKey: 'create-happy',
    };
    const { createElection: result } = await h.data(create, { input }, writer);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.election).toMatchObject({
      type: 'GENERAL',
      differential: true,
      seats: 7,
      heldOn: '2022-04-16',
      reportStatus: 'PRE_ELECTION',
      certifiedOn: null,
      version: 1,
      residentsCommittee: { id: committee.id },
      community: { id: committee.communityId },
      subdistrict: { id: committee.subdistrictId },
    });
    const { election } = await read(result.election.id);
    expect(election).toMatchObject({ reportStatus: 'PRE_ELECTION', result: null, candidacies: [], registrations: { totalCount: 0 } });
    const { elections } = await h.data(`query($id: ID) { elections(communityId: $id, year: 2022) { edges { node { id } } } }`, {
      id: committee.communityId,
    });
    expect(elections.edges.map((e: any) => e.node.id)).toEqual([result.election.id]);
    const audit = await auditEntries(result.election.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entityType: 'Election',
      operation: 'createElection',
      actorRole: 'staff',
      actor: 'clerk-1',
      before: null,
    });
    expect(JSON.parse(audit[0].after)).toMatchObject({ id: result.election.id, reportStatus: 'PRE_ELECTION', seats: 7, version: 1 });

    const again = await h.data(create, { input }, writer);
    expect(again.createElection).toMatchObject({ replayed: true, errors: [], election: { id: result.election.id } });
  });

  it('schedules a by-election within the term of the last certified general election', async () => {
    const input = {
      residentsCommitteeId: committee.id,
      communityId: committee.communityId,
      subdistrictId: committee.subdistrictId,
      type: 'BY_ELECTION',
      differential: false,
      seats: 1,
      announcedOn: '2018-05-01',
      heldOn: '2018-06-02',
      idempotencyKey: 'by-election',
    };
    const { createElection: result } = await h.data(create, { input }, writer);
    expect(result.errors).toEqual([]);
    expect(result.election).toMatchObject({ type: 'BY_ELECTION', seats: 1, reportStatus: 'PRE_ELECTION', version: 1 });
  });

  it('answers every bad input with a field error, and changes nothing', async () => {
    const base = {
      residentsCommitteeId: committee.id,
      communityId: committee.communityId,
      subdistrictId: committee.subdistrictId,
      type: 'GENERAL',
      differential: true,
      seats: 7,
      announcedOn: '2023-03-01',
      heldOn: '2023-04-15',
    };
    const before = await allCounts();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ seats: 4 }, ['seats'], 'INVALID'],
      [{ seats: 10 }, ['seats'], 'INVALID'],
      [{ type: 'BY_ELECTION', seats: 0 }, ['seats'], 'INVALID'],
      [{ heldOn: '2023-02-28' }, ['heldOn'], 'INVALID'],
      [{ idempotencyKey: ' ' }, ['idempotencyKey'], 'REQUIRED'],
      [{ residentsCommitteeId: '' }, ['residentsCommitteeId'], 'REQUIRED'],
      [{ subdistrictId: '  ' }, ['subdistrictId'], 'REQUIRED'],
      [{ communityId: 'com-elsewhere' }, ['communityId'], 'INVALID'],
      // The committee already held its general election on that day.
      [{ announcedOn: '2017-03-01', heldOn: '2017-04-15' }, ['heldOn'], 'CONFLICT'],
      // A by-election needs a certified general election before it, and fills at most its seats.
      [{ type: 'BY_ELECTION', seats: 1, announcedOn: '2016-01-01', heldOn: '2016-02-01' }, ['type'], 'INVALID'],
      [{ residentsCommitteeId: 'rc-new', communityId: 'com-new', type: 'BY_ELECTION', seats: 1 }, ['type'], 'INVALID'],
      [{ type: 'BY_ELECTION', seats: committee.seats + 1 }, ['seats'], 'LIMIT_EXCEEDED'],
    ];
    for (const [i, [change, path, code]] of cases.entries()) {
      const { createElection: result } = await h.data(create, { input: { ...base, idempotencyKey: `bad-${i}`, ...change } }, writer);
      expect(result.election, JSON.stringify(change)).toBeNull();
      expect(codes(result.errors), JSON.stringify(change)).toEqual([[path, code]]);
      expect(result.errors[0].message).toBeTruthy();
    }
    expect(await allCounts()).toEqual(before);
  });

  it('answers 50 concurrent retries with one election, the same to each', async () => {
    const before = await rowsOf('elections');
    const input = {
      residentsCommitteeId: committee.id,
      communityId: committee.communityId,
      subdistrictId: committee.subdistrictId,
      type: 'GENERAL',
      differential: true,
      seats: 5,
      announcedOn: '2024-03-01',
      heldOn: '2024-04-20',
      idempotencyKey: 'create-retry-50',
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.data(create, { input }, writer)));
    const ids = new Set(answers.map((a: any) => a.createElection.election.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a: any) => !a.createElection.replayed)).toHaveLength(1);
    expect(await rowsOf('elections')).toBe(before + 1);
    expect(await auditEntries([...ids][0]!)).toHaveLength(1);
  });

  it('lets one of 10 concurrent creations for one committee and day through, the others CONFLICT', async () => {
    const before = await rowsOf('elections');
    const input = (i: number) => ({
      residentsCommitteeId: committee.id,
      communityId: committee.communityId,
      subdistrictId: committee.subdistrictId,
      type: 'GENERAL',
      differential: true,
      seats: 5,
      announcedOn: '2025-03-01',
      heldOn: '2025-04-20',
      idempotencyKey: `same-day-${i}`,
    });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.data(create, { input: input(i) }, writer)));
    expect(answers.filter((a: any) => a.createElection.election !== null)).toHaveLength(1);
    for (const a of answers.filter((a: any) => a.createElection.election === null))
      expect(codes(a.createElection.errors)).toEqual([[['heldOn'], 'CONFLICT']]);
    expect(await rowsOf('elections')).toBe(before + 1);
  });
});

describe('registerVoter', () => {
  it('registers a resident once, audited, counted in the election', async () => {
    const election = await newElection();
    const input = {
      electionId: election.id,
      personId: 'per-happy-voter',
      hukouBasis: 'NON_LOCAL',
      registeredOn: election.announcedOn,
      idempotencyKey: 'reg-happy',
    };
    const { registerVoter: result } = await h.data(register, { input }, writer);
    expect(result.errors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.registration).toMatchObject({
      person: { id: 'per-happy-voter' },
      hukouBasis: 'NON_LOCAL',
      registeredOn: election.announcedOn,
    });
    const { election: stored } = await read(election.id);
    expect(stored.registrations.totalCount).toBe(1);
    expect(stored.registrations.edges[0].node).toEqual({ id: result.registration.id, person: { id: 'per-happy-voter' } });
    const audit = await auditEntries(result.registration.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: 'VoterRegistration', operation: 'registerVoter', before: null });
    expect(JSON.parse(audit[0].after)).toMatchObject({ electionId: election.id, personId: 'per-happy-voter', hukouBasis: 'NON_LOCAL' });

    const again = await h.data(register, { input }, writer);
    expect(again.registerVoter).toMatchObject({ replayed: true, registration: { id: result.registration.id } });
    // The same person under another key: a second registration, refused.
    const twice = await h.data(register, { input: { ...input, idempotencyKey: 'reg-happy-2' } }, writer);
    expect(twice.registerVoter.registration).toBeNull();
    expect(codes(twice.registerVoter.errors)).toEqual([[['personId'], 'CONFLICT']]);
    expect((await read(election.id)).election.registrations.totalCount).toBe(1);
  });

  it('answers every bad input with a field error, and changes nothing', async () => {
    const election = await newElection();
    const certified = await h.one<{ id: string; announcedOn: string }>(
      sql`select id, announced_on::text as "announcedOn" from elections.elections where report_status = 'CERTIFIED' order by id limit 1`,
    );
    const base = { electionId: election.id, personId: 'per-bad-voter', hukouBasis: 'LOCAL', registeredOn: election.announcedOn };
    const before = await allCounts();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
      [{ personId: ' ' }, ['personId'], 'REQUIRED'],
      [{ electionId: 'el-none' }, ['electionId'], 'NOT_FOUND'],
      [{ registeredOn: '2000-01-01' }, ['registeredOn'], 'INVALID'],
      [{ registeredOn: '2099-01-01' }, ['registeredOn'], 'INVALID'],
      // Registration closes with the count.
      [{ electionId: certified.id, registeredOn: certified.announcedOn }, ['electionId'], 'ILLEGAL_TRANSITION'],
    ];
    for (const [i, [change, path, code]] of cases.entries()) {
      const { registerVoter: result } = await h.data(register, { input: { ...base, idempotencyKey: `bad-reg-${i}`, ...change } }, writer);
      expect(result.registration, JSON.stringify(change)).toBeNull();
      expect(codes(result.errors), JSON.stringify(change)).toEqual([[path, code]]);
    }
    expect(await allCounts()).toEqual(before);
  });

  it('registers a person once however many try at the same time: 50 keys, one registration, 49 CONFLICT', async () => {
    const election = await newElection();
    const before = await rowsOf('voter_registrations');
    const input = (i: number) => ({
      electionId: election.id,
      personId: 'per-rushed',
      hukouBasis: 'LOCAL',
      registeredOn: election.announcedOn,
      idempotencyKey: `rush-${i}`,
    });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => h.data(register, { input: input(i) }, writer)));
    const won = answers.filter((a: any) => a.registerVoter.registration !== null);
    expect(won).toHaveLength(1);
    const lost = answers.filter((a: any) => a.registerVoter.registration === null);
    expect(lost).toHaveLength(49);
    for (const a of lost) expect(codes(a.registerVoter.errors)).toEqual([[['personId'], 'CONFLICT']]);
    expect(await rowsOf('voter_registrations')).toBe(before + 1);
    const { n } = await h.one<{ n: number }>(
      sql`select count(*)::int as n from elections.voter_registrations where election_id = ${election.id} and person_id = 'per-rushed'`,
    );
    expect(n).toBe(1);
  });
});

describe('addCandidacy', () => {
  it('puts registered voters on the ballot in the order they are added, PENDING, audited', async () => {
    const election = await newElection();
    const people = await registerMany(election, 3, 'ballot');
    const ids = await standMany(election.id, people.slice(0, 2));
    const { election: stored } = await read(election.id);
    expect(stored.candidacies).toEqual([
      { id: ids[0], position: 1, votes: null, outcome: 'PENDING' },
      { id: ids[1], position: 2, votes: null, outcome: 'PENDING' },
    ]);
    const audit = await auditEntries(ids[0]!);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: 'Candidacy', operation: 'addCandidacy', before: null });
    expect(JSON.parse(audit[0].after)).toMatchObject({ personId: people[0], position: 1, outcome: 'PENDING', incumbent: true });

    const before = await allCounts();
    const cases: [Record<string, unknown>, string[], string][] = [
      [{ personId: people[0] }, ['personId'], 'CONFLICT'],
      [{ personId: 'per-not-registered' }, ['personId'], 'INVALID'],
      [{ electionId: 'el-none' }, ['electionId'], 'NOT_FOUND'],
      [{ idempotencyKey: '' }, ['idempotencyKey'], 'REQUIRED'],
    ];
    for (const [i, [change, path, code]] of cases.entries()) {
      const input = { electionId: election.id, personId: people[2], incumbent: false, idempotencyKey: `bad-stand-${i}`, ...change };
      const { addCandidacy: result } = await h.data(stand, { input }, writer);
      expect(result.candidacy, JSON.stringify(change)).toBeNull();
      expect(codes(result.errors), JSON.stringify(change)).toEqual([[path, code]]);
    }
    expect(await allCounts()).toEqual(before);
  });

  it('gives 10 concurrent candidacies 10 distinct ballot positions', async () => {
    const election = await newElection();
    const people = await registerMany(election, 10, 'rush-stand');
    const answers = await Promise.all(
      people.map((personId, i) =>
        h.data(stand, { input: { electionId: election.id, personId, incumbent: false, idempotencyKey: `rush-stand-${i}` } }, writer),
      ),
    );
    const positions = answers.map((a: any) => a.addCandidacy.candidacy.position).sort((a: number, b: number) => a - b);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('recordElectionResult', () => {
  it('refuses every count whose totals do not add up, with the path of the offending item, and changes nothing', async () => {
    const { election, candidacies } = await readyElection('totals');
    // 12 registered, 11 took part, 11 ballots of which 1 rejected: 10 valid, 5 seats × 10 = 50 votes at most.
    const base = {
      id: election.id,
      expectedVersion: 1,
      participated: 11,
      ballotsCast: 11,
      ballotsRejected: 1,
      votes: votesOf(candidacies, [9, 8, 7, 6, 6, 6, 1]),
    };
    const before = await allCounts();
    const stored = await h.rows(sql`select * from elections.candidacies where election_id = ${election.id} order by position`);
    const cases: [Record<string, unknown>, [string[], string][]][] = [
      [{ participated: 13, ballotsCast: 11 }, [[['participated'], 'LIMIT_EXCEEDED']]],
      [{ ballotsCast: 12 }, [[['ballotsCast'], 'LIMIT_EXCEEDED']]],
      [{ ballotsRejected: 12 }, [[['ballotsRejected'], 'LIMIT_EXCEEDED']]],
      [{ votes: votesOf(candidacies, [9, 8, 11, 6, 6, 6, 1]) }, [[['votes', '2', 'votes'], 'LIMIT_EXCEEDED']]],
      [{ votes: votesOf(candidacies, [10, 10, 10, 10, 10, 10, 1]) }, [[['votes'], 'LIMIT_EXCEEDED']]],
      [{ votes: votesOf(candidacies, [9, -1, 7, 6, 6, 6, 1]) }, [[['votes', '1', 'votes'], 'INVALID']]],
      [{ participated: -1 }, [[['participated'], 'INVALID']]],
      [
        { votes: [...votesOf(candidacies, [9, 8, 7, 6, 6, 6]), { candidacyId: candidacies[0], votes: 1 }] },
        [[['votes', '6', 'candidacyId'], 'INVALID']],
      ],
      [
        { votes: [...votesOf(candidacies, [9, 8, 7, 6, 6, 6]), { candidacyId: 'cand-none', votes: 1 }] },
        [
          [['votes', '6', 'candidacyId'], 'NOT_FOUND'],
          [['votes'], 'REQUIRED'],
        ],
      ],
      [{ votes: votesOf(candidacies.slice(0, 6), [9, 8, 7, 6, 6, 6]) }, [[['votes'], 'REQUIRED']]],
      [{ expectedVersion: 2 }, [[['expectedVersion'], 'CONFLICT']]],
      [{ id: 'el-none' }, [[['id'], 'NOT_FOUND']]],
    ];
    for (const [change, expected] of cases) {
      const { recordElectionResult: result } = await h.data(record, { input: { ...base, ...change } }, writer);
      expect(result.election, JSON.stringify(change)).toBeNull();
      expect(codes(result.errors), JSON.stringify(change)).toEqual(expected);
    }
    expect(await allCounts()).toEqual(before);
    expect(await h.rows(sql`select * from elections.candidacies where election_id = ${election.id} order by position`)).toEqual(stored);
    expect((await read(election.id)).election).toMatchObject({ reportStatus: 'PRE_ELECTION', version: 1, result: null });
  });

  it('refuses a count without enough candidates: more than the seats when differential', async () => {
    const election = await newElection();
    const people = await registerMany(election, 5, 'few');
    const candidacies = await standMany(election.id, people);
    const input = {
      id: election.id,
      expectedVersion: 1,
      participated: 5,
      ballotsCast: 5,
      ballotsRejected: 0,
      votes: votesOf(candidacies, [5, 5, 5, 5, 5]),
    };
    const { recordElectionResult: result } = await h.data(record, { input }, writer);
    expect(codes(result.errors)).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
  });

  it('records the count UNOFFICIAL, derives who is elected, corrects it, closes registration, and stays private until certified', async () => {
    const { election, people, candidacies } = await readyElection('count');
    const input = {
      id: election.id,
      expectedVersion: 1,
      participated: 11,
      ballotsCast: 11,
      ballotsRejected: 1,
      votes: votesOf(candidacies, [9, 8, 7, 6, 6, 6, 1]),
    };
    const { recordElectionResult: result } = await h.data(record, { input }, writer);
    expect(result.errors).toEqual([]);
    expect(result.election).toMatchObject({
      reportStatus: 'UNOFFICIAL',
      version: 2,
      result: { registered: 12, participated: 11, ballotsCast: 11, ballotsRejected: 1, ballotsValid: 10 },
    });
    // More than half of 10 valid ballots, and within the 5 seats: the three tied on 6 votes for the last two seats are not elected.
    expect(result.election.candidacies.map((c: any) => [c.votes, c.outcome, c.version])).toEqual([
      [9, 'ELECTED', 2],
      [8, 'ELECTED', 2],
      [7, 'ELECTED', 2],
      [6, 'NOT_ELECTED', 2],
      [6, 'NOT_ELECTED', 2],
      [6, 'NOT_ELECTED', 2],
      [1, 'NOT_ELECTED', 2],
    ]);
    const audit = await auditEntries(election.id);
    expect(audit.map((e: any) => e.operation)).toEqual(['createElection', 'recordElectionResult']);
    expect(JSON.parse(audit[1].before)).toMatchObject({ reportStatus: 'PRE_ELECTION', participated: null, version: 1 });
    expect(JSON.parse(audit[1].after)).toMatchObject({
      reportStatus: 'UNOFFICIAL',
      participated: 11,
      ballotsCast: 11,
      ballotsRejected: 1,
      version: 2,
    });
    const candidacyAudit = await auditEntries(candidacies[0]!);
    expect(candidacyAudit.map((e: any) => e.operation)).toEqual(['addCandidacy', 'recordElectionResult']);
    expect(JSON.parse(candidacyAudit[1].before)).toMatchObject({ votes: null, outcome: 'PENDING' });
    expect(JSON.parse(candidacyAudit[1].after)).toMatchObject({ votes: 9, outcome: 'ELECTED' });

    // Not certified: the public and partners see neither the count nor the votes.
    for (const caller of [publicCaller, partner]) {
      const { election: seen } = await h.data(publicElection, { id: election.id }, caller);
      expect(seen.result).toBeNull();
      expect(seen.candidacies.every((c: any) => c.votes === null && c.outcome === null)).toBe(true);
    }

    // Registration and the ballot are closed.
    const late = await h.data(
      register,
      {
        input: {
          electionId: election.id,
          personId: 'per-late',
          hukouBasis: 'LOCAL',
          registeredOn: election.heldOn,
          idempotencyKey: 'late',
        },
      },
      writer,
    );
    expect(codes(late.registerVoter.errors)).toEqual([[['electionId'], 'ILLEGAL_TRANSITION']]);
    const lateCandidate = await h.data(
      stand,
      { input: { electionId: election.id, personId: people[8], incumbent: false, idempotencyKey: 'late-stand' } },
      writer,
    );
    expect(codes(lateCandidate.addCandidacy.errors)).toEqual([[['electionId'], 'ILLEGAL_TRANSITION']]);

    // A correction before certification: the version read is the one after the first count.
    const stale = await h.data(record, { input: { ...input, votes: votesOf(candidacies, [9, 8, 7, 6, 6, 5, 1]) } }, writer);
    expect(codes(stale.recordElectionResult.errors)).toEqual([[['expectedVersion'], 'CONFLICT']]);
    const corrected = await h.data(
      record,
      { input: { ...input, expectedVersion: 2, votes: votesOf(candidacies, [9, 8, 7, 6, 6, 5, 1]) } },
      writer,
    );
    expect(corrected.recordElectionResult.errors).toEqual([]);
    expect(corrected.recordElectionResult.election.version).toBe(3);
    expect(corrected.recordElectionResult.election.candidacies.map((c: any) => c.outcome)).toEqual([
      'ELECTED',
      'ELECTED',
      'ELECTED',
      'ELECTED',
      'ELECTED',
      'NOT_ELECTED',
      'NOT_ELECTED',
    ]);
  });
});

describe('certifyElection', () => {
  it('certifies a counted election only, from the version read, and then the public sees its count', async () => {
    const { election, candidacies } = await readyElection('certify');
    const early = await h.data(certify, { input: { id: election.id, expectedVersion: 1, on: election.heldOn } }, writer);
    expect(codes(early.certifyElection.errors)).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
    const counted = await h.data(
      record,
      {
        input: {
          id: election.id,
          expectedVersion: 1,
          participated: 12,
          ballotsCast: 12,
          ballotsRejected: 0,
          votes: votesOf(candidacies, [12, 11, 10, 9, 8, 7, 1]),
        },
      },
      writer,
    );
    expect(counted.recordElectionResult.errors).toEqual([]);

    const before = await allCounts();
    for (const [input, path, code] of [
      [{ id: election.id, expectedVersion: 2, on: '2000-01-01' }, ['on'], 'INVALID'],
      [{ id: election.id, expectedVersion: 1, on: election.heldOn }, ['expectedVersion'], 'CONFLICT'],
      [{ id: 'el-none', expectedVersion: 1, on: election.heldOn }, ['id'], 'NOT_FOUND'],
    ] as const) {
      const { certifyElection: result } = await h.data(certify, { input }, writer);
      expect(result.election).toBeNull();
      expect(codes(result.errors)).toEqual([[path, code]]);
    }
    expect(await allCounts()).toEqual(before);
    expect((await h.data(publicElection, { id: election.id }, publicCaller)).election.result).toBeNull();

    const { certifyElection: result } = await h.data(
      certify,
      { input: { id: election.id, expectedVersion: 2, on: election.heldOn } },
      writer,
    );
    expect(result.errors).toEqual([]);
    expect(result.election).toEqual({ id: election.id, reportStatus: 'CERTIFIED', certifiedOn: election.heldOn, version: 3 });
    const audit = await auditEntries(election.id);
    expect(audit.map((e: any) => e.operation)).toEqual(['createElection', 'recordElectionResult', 'certifyElection']);
    expect(JSON.parse(audit[2].before)).toMatchObject({ reportStatus: 'UNOFFICIAL', certifiedOn: null, version: 2 });
    expect(JSON.parse(audit[2].after)).toMatchObject({ reportStatus: 'CERTIFIED', certifiedOn: election.heldOn, version: 3 });

    // Certified: the public sees the count and the candidates' votes and outcomes.
    const { election: seen } = await h.data(publicElection, { id: election.id }, publicCaller);
    expect(seen.reportStatus).toBe('CERTIFIED');
    expect(seen.result).toEqual({ participated: 12 });
    expect(seen.candidacies.map((c: any) => c.votes)).toEqual([12, 11, 10, 9, 8, 7, 1]);
    expect(seen.candidacies.map((c: any) => c.outcome)).toEqual([
      'ELECTED',
      'ELECTED',
      'ELECTED',
      'ELECTED',
      'ELECTED',
      'NOT_ELECTED',
      'NOT_ELECTED',
    ]);

    // Final: no second certificate, no further count.
    const again = await h.data(certify, { input: { id: election.id, expectedVersion: 3, on: election.heldOn } }, writer);
    expect(codes(again.certifyElection.errors)).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
    const recount = await h.data(
      record,
      {
        input: {
          id: election.id,
          expectedVersion: 3,
          participated: 12,
          ballotsCast: 12,
          ballotsRejected: 0,
          votes: votesOf(candidacies, [12, 11, 10, 9, 8, 7, 2]),
        },
      },
      writer,
    );
    expect(codes(recount.recordElectionResult.errors)).toEqual([[['id'], 'ILLEGAL_TRANSITION']]);
    expect((await read(election.id)).election.candidacies.map((c: any) => c.votes)).toEqual([12, 11, 10, 9, 8, 7, 1]);
  });

  it('lets one of 50 concurrent certifications with the same expectedVersion through: 49 CONFLICT, one audit entry', async () => {
    const { election, candidacies } = await readyElection('race');
    const counted = await h.data(
      record,
      {
        input: {
          id: election.id,
          expectedVersion: 1,
          participated: 10,
          ballotsCast: 10,
          ballotsRejected: 0,
          votes: votesOf(candidacies, [10, 9, 8, 7, 6, 2, 1]),
        },
      },
      writer,
    );
    expect(counted.recordElectionResult.errors).toEqual([]);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => h.data(certify, { input: { id: election.id, expectedVersion: 2, on: election.heldOn } }, writer)),
    );
    expect(answers.filter((a: any) => a.certifyElection.errors.length === 0)).toHaveLength(1);
    const lost = answers.filter((a: any) => a.certifyElection.errors.length > 0);
    expect(lost).toHaveLength(49);
    for (const a of lost) expect(codes(a.certifyElection.errors)).toEqual([[['expectedVersion'], 'CONFLICT']]);
    expect((await read(election.id)).election).toMatchObject({ reportStatus: 'CERTIFIED', version: 3 });
    expect((await auditEntries(election.id)).filter((e: any) => e.operation === 'certifyElection')).toHaveLength(1);
  });
});

describe('who may write', () => {
  it('refuses every election mutation to the public, partners, analysts and staff without write:elections', async () => {
    const { election, people, candidacies } = await readyElection('forbidden');
    const before = await allCounts();
    const stored = await h.rows(sql`select * from elections.elections where id = ${election.id}`);
    const operations: [string, string, Record<string, unknown>][] = [
      [
        'createElection',
        create,
        {
          residentsCommitteeId: committee.id,
          communityId: committee.communityId,
          subdistrictId: committee.subdistrictId,
          type: 'GENERAL',
          differential: true,
          seats: 5,
          announcedOn: '2026-03-01',
          heldOn: '2026-04-15',
          idempotencyKey: 'forbidden-create',
        },
      ],
      [
        'registerVoter',
        register,
        {
          electionId: election.id,
          personId: 'per-forbidden',
          hukouBasis: 'LOCAL',
          registeredOn: election.announcedOn,
          idempotencyKey: 'forbidden-reg',
        },
      ],
      ['addCandidacy', stand, { electionId: election.id, personId: people[9], incumbent: false, idempotencyKey: 'forbidden-stand' }],
      [
        'recordElectionResult',
        record,
        {
          id: election.id,
          expectedVersion: 1,
          participated: 10,
          ballotsCast: 10,
          ballotsRejected: 0,
          votes: votesOf(candidacies, [10, 9, 8, 7, 6, 2, 1]),
        },
      ],
      ['certifyElection', certify, { id: election.id, expectedVersion: 1, on: election.heldOn }],
    ];
    for (const caller of [publicCaller, analyst, partner, staff(['read:personal', 'write:funding'])]) {
      for (const [field, mutation, input] of operations) {
        const result = await h.query(mutation, { input }, caller);
        expect(result.data?.[field] ?? null, `${caller.role} ${field}`).toBeNull();
        expect(
          result.errors?.map((e) => e.extensions?.code),
          `${caller.role} ${field}`,
        ).toEqual(['FORBIDDEN']);
      }
    }
    expect(await allCounts()).toEqual(before);
    expect(await h.rows(sql`select * from elections.elections where id = ${election.id}`)).toEqual(stored);
  });
});
