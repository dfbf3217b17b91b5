import { describe, expect, it } from 'vitest';
import { allocate, allocateCapped, facts, referenceDataset, residentIdNumber, scaled } from '../src/index.ts';

const { options, structure, people, elections } = referenceDataset();
const persons = [...people.residents.rows()];

describe('allocate', () => {
  it('splits a total exactly, in proportion', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(7, [0, 2, 5])).toEqual([0, 2, 5]);
    const parts = allocate(5_730_000, [3, 1.5, 2.25, 0.75]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(5_730_000);
  });

  it('keeps every part within its cap and the total exact, giving what a capped part cannot take to the others', () => {
    expect(allocateCapped(10, [1, 1, 1], [2, 10, 10])).toEqual([2, 4, 4]);
    const caps = [8, 9, 7, 8, 9];
    const parts = allocateCapped(39, [1.1, 0.9, 1.2, 1, 0.95], caps);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(39);
    parts.forEach((part, i) => expect(part).toBeLessThanOrEqual(caps[i]!));
    expect(() => allocateCapped(50, [1, 1], [20, 20])).toThrow(/exceeds/);
  });
});

describe('people at the default scale', () => {
  const counts2019 = people.populationCounts.filter((c) => c.year === 2019);
  const total = counts2019.reduce((sum, c) => sum + c.localHukou + c.nonLocalHukou, 0);

  it('count residents as published, scaled, with the published non-local share', () => {
    expect(total).toBe(scaled(facts.population.managed, options.scale));
    const nonLocal = counts2019.reduce((sum, c) => sum + c.nonLocalHukou, 0);
    expect(Math.abs(nonLocal / total - facts.population.nonLocalHukouShare)).toBeLessThan(0.0005);
  });

  it('have one Person per counted resident, per community and hukou', () => {
    expect(persons).toHaveLength(total);
    for (const count of counts2019) {
      const here = persons.filter((p) => p.communityId === count.communityId);
      expect(here.filter((p) => p.hukou === 'LOCAL')).toHaveLength(count.localHukou);
      expect(here.filter((p) => p.hukou === 'NON_LOCAL')).toHaveLength(count.nonLocalHukou);
    }
  });

  it('recruit the published workers, all of 2019 with a bachelor degree or above', () => {
    expect(people.workers).toHaveLength(scaled(facts.communityWorkers.count, options.scale));
    const recruited = people.workers.filter((w) => w.recruitedYear === 2019);
    expect(recruited).toHaveLength(scaled(facts.communityWorkers.recruited2019, options.scale));
    const education = new Map(persons.map((p) => [p.id, p.education]));
    for (const worker of recruited) expect(['BACHELOR', 'MASTER', 'DOCTORATE']).toContain(education.get(worker.personId));
  });

  it('give every resident a well-formed ID number and unique ids everywhere', () => {
    expect(residentIdNumber('110105', '1949-12-31', 0)).toHaveLength(18);
    expect(new Set(persons.map((p) => p.idNumber)).size).toBe(persons.length);
    expect(new Set(persons.map((p) => p.id)).size).toBe(persons.length);
    const memberships = [...people.memberships, ...elections.committeeMemberships];
    expect(new Set(memberships.map((m) => m.id)).size).toBe(memberships.length);
  });

  it('never let two people hold one post at once', () => {
    const memberships = [...people.memberships, ...elections.committeeMemberships];
    const byPost = new Map<string, typeof memberships>();
    for (const m of memberships) byPost.set(m.postId, [...(byPost.get(m.postId) ?? []), m]);
    for (const held of byPost.values()) {
      const sorted = [...held].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i - 1]!.validTo !== null && sorted[i - 1]!.validTo! < sorted[i]!.validFrom).toBe(true);
    }
  });
});

describe('elections at the default scale', () => {
  const general = elections.elections.filter((e) => e.type === 'GENERAL');
  const registered = (id: string) => elections.registrations.filter((r) => r.electionId === id).length;

  it('hold one general election per committee, electing the published members', () => {
    expect(general).toHaveLength(structure.residentsCommittees.length);
    const elected = elections.candidacies.filter((c) => c.outcome === 'ELECTED' && general.some((e) => e.id === c.electionId));
    expect(elected).toHaveLength(facts.elections.membersElected);
    const byElected = elections.candidacies.filter((c) => c.outcome === 'ELECTED' && c.electionId.endsWith('-2019-by'));
    expect(byElected).toHaveLength(facts.elections.byElection2019MembersElected);
  });

  it('register the published voters at the published turnout', () => {
    const totalRegistered = general.reduce((sum, e) => sum + registered(e.id), 0);
    const totalParticipated = general.reduce((sum, e) => sum + e.participated!, 0);
    expect(totalRegistered).toBe(scaled(facts.elections.registeredVoters, options.scale));
    expect(totalParticipated).toBe(Math.round(totalRegistered * facts.elections.turnout));
    for (const election of general) expect(election.participated!).toBeLessThanOrEqual(registered(election.id));
  });

  it('reproduce the published electorate exactly at scale 1, where every count is the published one', () => {
    const full = referenceDataset({ scale: 1 });
    const generalElections = full.elections.elections.filter((e) => e.type === 'GENERAL');
    const registrations = full.elections.registrations.filter((r) => r.id.includes('-2017-'));
    const participated = generalElections.reduce((sum, e) => sum + e.participated!, 0);
    expect(full.people.residents.count).toBe(facts.population.managed);
    expect(registrations).toHaveLength(facts.elections.registeredVoters);
    expect(participated / registrations.length).toBe(facts.elections.turnout);
  });

  it('count votes that add up: winners by a majority, participation within registration', () => {
    for (const election of elections.elections) {
      const valid = election.ballotsCast! - election.ballotsRejected!;
      expect(election.participated!).toBeLessThanOrEqual(registered(election.id));
      const list = elections.candidacies.filter((c) => c.electionId === election.id);
      expect(list.filter((c) => c.outcome === 'ELECTED')).toHaveLength(election.seats);
      expect(list.reduce((sum, c) => sum + c.votes!, 0)).toBeLessThanOrEqual(valid * election.seats);
      for (const c of list) if (c.outcome === 'ELECTED') expect(c.votes!).toBeGreaterThan(valid / 2);
      expect(election.differential).toBe(list.length > election.seats);
    }
  });

  it('take every matter through 四议两公开 in order, without skipping', () => {
    const order = ['PROPOSED', 'DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED'];
    expect(new Set(elections.matters.map((m) => m.communityId)).size).toBe(facts.communities.count);
    for (const matter of elections.matters) {
      const stages = elections.matterStages.filter((s) => s.matterId === matter.id);
      expect(stages.map((s) => s.stage)).toEqual(order.slice(0, stages.length));
      for (let i = 1; i < stages.length; i++) expect(stages[i]!.heldOn > stages[i - 1]!.heldOn).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(referenceDataset({ scale: options.scale, seed: options.seed })).toBe(referenceDataset());
    expect(JSON.stringify(referenceDataset({ scale: 0.005, seed: 7 }).elections.candidacies.slice(0, 20))).not.toBe(
      JSON.stringify(elections.candidacies.slice(0, 20)),
    );
  });
});

describe('services and funding at the default scale', () => {
  const { services, funding } = referenceDataset();

  it('time every service request step after the one before', () => {
    let requests = 0;
    for (const { request, steps } of services.serviceRequests()) {
      requests++;
      expect(steps[0]).toMatchObject({ serviceRequestId: request.id, status: 'SUBMITTED', at: request.submittedAt });
      for (let i = 1; i < steps.length; i++) expect(steps[i]!.at > steps[i - 1]!.at).toBe(true);
    }
    expect(requests).toBeGreaterThan(1000);
  });

  it('plan 2019 micro-projects as published, within each community budget', () => {
    const projects2019 = services.microProjects.filter((p) => p.year === 2019);
    expect(projects2019).toHaveLength(scaled(facts.microProjects.projects2019, options.scale));
    const budgets = funding.budgets.filter((b) => b.year === 2019);
    expect(budgets.reduce((sum, b) => sum + b.amountFen, 0)).toBe(scaled(facts.microProjects.annualBudgetCny, options.scale) * 100);
    for (const budget of budgets) {
      const planned = projects2019.filter((p) => p.communityId === budget.communityId).reduce((sum, p) => sum + p.plannedBudgetFen, 0);
      expect(planned).toBeLessThanOrEqual(budget.amountFen);
    }
  });

  it('support the published social organisations with the published sum, and keep every grant balanced', () => {
    const support = funding.grants.filter((g) => g.programmeId === 'prog-social-organisation-support');
    expect(new Set(support.map((g) => g.recipientOrganisationId)).size).toBe(facts.socialOrganisations.supported2019);
    expect(support.reduce((sum, g) => sum + g.amountFen, 0)).toBe(
      scaled(facts.socialOrganisations.supportFund2019Cny, options.scale) * 100,
    );
    for (const grant of funding.grants) {
      const sum = (type: string) =>
        funding.transactions.filter((t) => t.grantId === grant.id && t.type === type).reduce((s, t) => s + t.amountFen, 0);
      expect(sum('COMMITMENT')).toBe(grant.amountFen);
      expect(sum('DISBURSEMENT')).toBeLessThanOrEqual(sum('COMMITMENT'));
      expect(sum('EXPENDITURE')).toBeLessThanOrEqual(sum('DISBURSEMENT'));
      expect(sum('REFUND')).toBeLessThanOrEqual(sum('EXPENDITURE'));
    }
  });

  it('count the published neighbourhood figures of 2019', () => {
    const events2019 = services.events.filter((e) => e.startsAt.startsWith('2019'));
    expect(events2019).toHaveLength(scaled(facts.neighbourhood.events, options.scale));
    expect(events2019.reduce((sum, e) => sum + e.attendance, 0)).toBe(scaled(facts.neighbourhood.peopleServed, options.scale));
    expect(services.services.filter((s) => s.kind === 'CULTURE_ROOM')).toHaveLength(facts.neighbourhood.cultureRooms);
    expect(services.services.filter((s) => s.kind === 'LEGAL_ADVICE')).toHaveLength(facts.communities.count);
  });
});
