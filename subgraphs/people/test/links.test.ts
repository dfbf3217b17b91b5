import { districtStructure, electionDates } from '@gongzhi/dataset';
import { today } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { entities, useSeededPeople } from './harness.ts';

const h = useSeededPeople();

/**
 * What the gateway sends for `Community.crossAppointments`: the ids of the fields it @requires, as the
 * organisations slice resolves them (built here from the same reference structure).
 */
function communityRepresentations(options: { withCommittees?: boolean } = {}) {
  const structure = districtStructure();
  return structure.communities.map((community) => ({
    __typename: 'Community',
    id: community.id,
    partyCommittee: { id: `org-pc-${community.code}` },
    workstation: { id: `org-ws-${community.code}` },
    residentsCommittees:
      options.withCommittees === false
        ? []
        : structure.residentsCommittees
            .filter((committee) => committee.communityId === community.id)
            .map((committee) => ({ organisation: { id: `org-rc-${committee.code}` } })),
  }));
}

const bodyOf = (organisationId: string) => organisationId.split('-')[1];

describe('Community.crossAppointments', () => {
  it('finds the people holding posts today in more than one leading body, as counted by hand', async () => {
    const representations = communityRepresentations();
    const { data, errors } = await h.query(
      entities(
        'Community',
        'id crossAppointments { person { id name community { id } } memberships { id role validFrom validTo organisation { id } post { id } } }',
      ),
      { representations },
    );
    expect(errors).toBeUndefined();
    const date = today();
    const byHand = await h.rows<{ person_id: string; community: string }>(
      sql`select person_id, 'com-' || substr(min(organisation_id) filter (where organisation_id not like 'org-rc-%'), 8) as community
        from people.memberships
        where (organisation_id like 'org-pc-%' or organisation_id like 'org-ws-%' or organisation_id like 'org-rc-%')
          and valid_from <= ${date} and (valid_to is null or valid_to >= ${date})
        group by person_id having count(distinct substr(organisation_id, 1, 6)) > 1 order by person_id`,
    );
    const found = data!._entities.flatMap((c: any) => c.crossAppointments.map((a: any) => ({ person_id: a.person.id, community: c.id })));
    expect([...found].sort((a, b) => (a.person_id < b.person_id ? -1 : 1))).toEqual(byHand);
    // The dataset makes the party secretary the committee director in most communities (一肩挑).
    const withAppointments = data!._entities.filter((c: any) => c.crossAppointments.length > 0);
    expect(withAppointments.length).toBeGreaterThan(124 / 2);
    let secretaryDirectors = 0;
    for (const community of data!._entities) {
      for (const appointment of community.crossAppointments) {
        expect(appointment.person.community.id).toBe(community.id);
        expect(new Set(appointment.memberships.map((m: any) => bodyOf(m.organisation.id))).size).toBeGreaterThan(1);
        for (const membership of appointment.memberships) {
          expect(membership.validFrom <= date && (membership.validTo === null || membership.validTo >= date)).toBe(true);
        }
        const roles = appointment.memberships.map((m: any) => m.role);
        if (roles.includes('PARTY_SECRETARY') && roles.includes('COMMITTEE_DIRECTOR')) secretaryDirectors++;
      }
    }
    expect(secretaryDirectors).toBeGreaterThan(124 / 2);
  });

  it('counts only the bodies the representation names, all committees of a community as one', async () => {
    const withoutCommittees = communityRepresentations({ withCommittees: false });
    const none = await h.query(entities('Community', 'crossAppointments { person { id } }'), { representations: withoutCommittees });
    expect(none.data!._entities.every((c: any) => c.crossAppointments.length === 0)).toBe(true);

    // Two committees of one community only: a person on both would still hold posts in one body.
    const twoCommittees = communityRepresentations().find((c) => c.residentsCommittees.length === 2)!;
    const committeesOnly = await h.query(entities('Community', 'crossAppointments { person { id } }'), {
      representations: [{ ...twoCommittees, partyCommittee: null, workstation: null }],
    });
    expect(committeesOnly.errors).toBeUndefined();
    expect(committeesOnly.data!._entities[0].crossAppointments).toEqual([]);
  });
});

describe('Organisation.members and Post.holder', () => {
  async function vacancy() {
    const [seat] = await h.rows<{
      post_id: string;
      organisation_id: string;
      before: string;
      vacated: string;
      after: string;
      successor: string;
      from: string;
    }>(
      sql`select ended.post_id, ended.organisation_id, ended.person_id as before, ended.valid_to::text as vacated,
          next.person_id as successor, next.valid_from::text as from, (ended.valid_to + 1)::text as after
        from people.memberships ended join people.memberships next on next.post_id = ended.post_id and next.valid_from > ended.valid_to
        where ended.valid_to is not null order by ended.post_id limit 1`,
    );
    return seat!;
  }

  it('answers who held a seat before, during and after a by-election vacancy', async () => {
    const seat = await vacancy();
    expect(seat.from).toBe(electionDates.byElectionHeld);
    expect(seat.after < seat.from).toBe(true);
    const { data, errors } = await h.query(
      `query($representations: [_Any!]!, $vacated: Date, $after: Date, $from: Date) { _entities(representations: $representations) { ... on Post {
        id before: holder(on: $vacated) { id } during: holder(on: $after) { id } refilled: holder(on: $from) { id } now: holder { id }
        early: holder(on: "2017-04-14") { id }
        holders { id validFrom validTo person { id } post { id } organisation { id } } } } }`,
      { representations: [{ __typename: 'Post', id: seat.post_id }], vacated: seat.vacated, after: seat.after, from: seat.from },
    );
    expect(errors).toBeUndefined();
    const post = data!._entities[0];
    expect(post.before).toEqual({ id: seat.before });
    expect(post.during).toBeNull();
    expect(post.refilled).toEqual({ id: seat.successor });
    expect(post.now).toEqual({ id: seat.successor });
    expect(post.early).toBeNull();
    expect(post.holders.map((m: any) => [m.person.id, m.validFrom, m.validTo])).toEqual([
      [seat.before, electionDates.generalHeld, seat.vacated],
      [seat.successor, electionDates.byElectionHeld, null],
    ]);
    for (const membership of post.holders)
      expect(membership).toMatchObject({ post: { id: seat.post_id }, organisation: { id: seat.organisation_id } });
  });

  it('lists the members of an organisation on a date, by default today', async () => {
    const seat = await vacancy();
    const [seats] = await h.rows<{ n: number }>(
      sql`select count(distinct post_id)::int as n from people.memberships where organisation_id = ${seat.organisation_id}`,
    );
    const { data, errors } = await h.query(
      `query($representations: [_Any!]!, $vacated: Date, $after: Date) { _entities(representations: $representations) { ... on Organisation {
        today: members { id person { id } post { id } role validTo } before: members(activeOn: $vacated) { person { id } }
        during: members(activeOn: $after) { person { id } } founding: members(activeOn: "2000-01-01") { id } } } }`,
      {
        representations: [
          { __typename: 'Organisation', id: seat.organisation_id },
          { __typename: 'Organisation', id: 'org-pc-440306001001' },
        ],
        vacated: seat.vacated,
        after: seat.after,
      },
    );
    expect(errors).toBeUndefined();
    const [committee, partyCommittee] = data!._entities;
    expect(committee.today).toHaveLength(seats!.n);
    expect(committee.today.map((m: any) => m.person.id)).toContain(seat.successor);
    expect(committee.before.map((m: any) => m.person.id)).toContain(seat.before);
    expect(committee.during.length).toBeLessThan(committee.before.length);
    expect(committee.during.map((m: any) => m.person.id)).not.toContain(seat.before);
    expect(committee.founding).toEqual([]);
    expect(partyCommittee.today.map((m: any) => m.role).sort()).toEqual([
      'DEPUTY_PARTY_SECRETARY',
      'PARTY_COMMITTEE_MEMBER',
      'PARTY_COMMITTEE_MEMBER',
      'PARTY_COMMITTEE_MEMBER',
      'PARTY_SECRETARY',
    ]);
  });
});

describe('what the slice adds to a community', () => {
  it('gives workers, residents, volunteers and deputies as connections and lists', async () => {
    const [row] = await h.rows<{ id: string; workers: number; volunteers: number; deputies: number }>(
      sql`select d.reception_community_id as id,
          (select count(*)::int from people.workers w where w.community_id = d.reception_community_id) as workers,
          (select count(*)::int from people.volunteers v where v.community_id = d.reception_community_id) as volunteers,
          count(*)::int as deputies
        from people.deputies d group by d.reception_community_id
        having (select count(*) from people.workers w where w.community_id = d.reception_community_id) > 0
        order by d.reception_community_id limit 1`,
    );
    const { data, errors } = await h.query(
      entities(
        'Community',
        `workers { totalCount edges { node { id community { id } } } }
        volunteers(first: 5) { totalCount edges { node { id registeredOn serviceHours skills person { volunteer { id } } community { id } } } pageInfo { hasNextPage } }
        residents(first: 2, hukou: NON_LOCAL) { edges { node { hukou community { id } } } }
        deputies { id body level termStart termEnd receptionDays receptionCommunity { id } person { id deputyRoles { id } } }`,
      ),
      { representations: [{ __typename: 'Community', id: row!.id }] },
    );
    expect(errors).toBeUndefined();
    const community = data!._entities[0];
    expect(community.workers.totalCount).toBe(row!.workers);
    for (const { node } of community.workers.edges) expect(node.community.id).toBe(row!.id);
    expect(community.volunteers.totalCount).toBe(row!.volunteers);
    expect(community.volunteers.edges).toHaveLength(Math.min(5, row!.volunteers));
    expect(community.volunteers.pageInfo.hasNextPage).toBe(row!.volunteers > 5);
    for (const { node } of community.volunteers.edges) {
      expect(node.person.volunteer.id).toBe(node.id);
      expect(node.skills.length).toBeGreaterThan(0);
    }
    expect(community.residents.edges).toHaveLength(2);
    for (const { node } of community.residents.edges) expect(node).toEqual({ hukou: 'NON_LOCAL', community: { id: row!.id } });
    expect(community.deputies).toHaveLength(row!.deputies);
    for (const deputy of community.deputies) {
      expect(deputy.receptionCommunity.id).toBe(row!.id);
      expect(deputy.receptionDays).toHaveLength(2);
      expect(deputy.person.deputyRoles.map((d: any) => d.id)).toContain(deputy.id);
      expect(deputy.termStart).toBeLessThan(deputy.termEnd);
    }
  });
});
