import { referenceDataset, scaled } from '@gongzhi/dataset';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

const ok = h.data;

async function badInput(query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await h.query(query, variables);
  expect(errors?.[0]?.extensions?.code, JSON.stringify(data)).toBe('BAD_USER_INPUT');
  return errors![0]!.extensions!.argument;
}

const communityIds = async () =>
  (await h.rows<{ id: string }>(sql`select distinct community_id as id from services.services order by 1`)).map((row) => row.id);

describe('events', () => {
  it('2019 held the published number of events and served the published number of people, at this scale', async () => {
    const { scale } = referenceDataset().options;
    const data = await ok(
      `{ events(from: "2019-01-01", to: "2019-12-31", first: 500) { totalCount edges { node { attendance startsAt } } } }`,
    );
    expect(data.events.totalCount).toBe(scaled(1097, scale));
    expect(data.events.totalCount).toBe(11);
    const attendees = data.events.edges.reduce((sum: number, edge: any) => sum + edge.node.attendance, 0);
    expect(attendees).toBe(scaled(33421, scale));
    expect(attendees).toBe(334);
    expect(data.events.edges.every((edge: any) => edge.node.startsAt.startsWith('2019-'))).toBe(true);
  });

  it('list newest first, filtered by community and inclusive UTC days, in keyset pages', async () => {
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from services.events`);
    const all = await ok(
      `{ events(first: 500) { totalCount edges { node { id kind title startsAt attendance community { id } organiser { id } } } } }`,
    );
    expect(all.events.totalCount).toBe(n);
    const nodes = all.events.edges.map((edge: any) => edge.node);
    const times = nodes.map((event: any) => event.startsAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(nodes.map((e: any) => e.kind))).toEqual(new Set(['NEIGHBOURHOOD', 'TRAINING', 'LAW_LECTURE']));
    expect(nodes.filter((e: any) => e.kind === 'LAW_LECTURE').every((e: any) => e.title === '法治大讲堂')).toBe(true);

    const first = await ok(`{ events(first: 4) { edges { node { id } } pageInfo { endCursor hasNextPage } } }`);
    const next = await ok(
      `query($after: String) { events(first: 4, after: $after) { edges { node { id } } pageInfo { hasPreviousPage } } }`,
      {
        after: first.events.pageInfo.endCursor,
      },
    );
    expect([...first.events.edges, ...next.events.edges].map((e: any) => e.node.id)).toEqual(nodes.slice(0, 8).map((e: any) => e.id));

    const day = nodes[3].startsAt.slice(0, 10);
    const sameDay = await ok(`query($day: Date) { events(from: $day, to: $day) { totalCount edges { node { id } } } }`, { day });
    expect(sameDay.events.edges.map((e: any) => e.node.id)).toEqual(
      nodes.filter((e: any) => e.startsAt.startsWith(day)).map((e: any) => e.id),
    );
    const community = nodes[0].community.id;
    const mine = await ok(
      `query($id: ID) { events(communityId: $id, to: "2019-12-31", first: 500) { totalCount edges { node { id } } } }`,
      { id: community },
    );
    expect(mine.events.edges.map((e: any) => e.node.id)).toEqual(
      nodes.filter((e: any) => e.community.id === community && e.startsAt < '2020').map((e: any) => e.id),
    );

    expect(await badInput(`{ events(from: "2019-06-01", to: "2019-05-31") { totalCount } }`)).toBe('to');
    expect(await badInput(`{ events(first: 9999) { totalCount } }`)).toBe('first');
    expect(await badInput(`{ events(after: "k") { totalCount } }`)).toBe('after');
  });

  it('Community.events is the root list of the community', async () => {
    const hosts = (
      await h.rows<{ id: string }>(sql`select community_id as id from services.events group by 1 order by count(*) desc, 1 limit 3`)
    ).map((row) => row.id);
    const data = await ok(
      entities(
        'Community',
        'id events(first: 1) { totalCount pageInfo { hasNextPage } edges { cursor node { id community { id } } } } y2018: events(from: "2018-01-01", to: "2018-12-31") { totalCount }',
      ),
      { representations: [...hosts, 'com-nowhere'].map((id) => ({ __typename: 'Community', id })) },
    );
    for (const entity of data._entities.slice(0, hosts.length)) {
      const root = await ok(
        `query($id: ID) { events(communityId: $id, first: 1) { totalCount pageInfo { hasNextPage } edges { cursor node { id community { id } } } }
          y2018: events(communityId: $id, from: "2018-01-01", to: "2018-12-31") { totalCount } }`,
        { id: entity.id },
      );
      expect({ events: entity.events, y2018: entity.y2018 }).toEqual(root);
      expect(entity.events.totalCount).toBeGreaterThan(0);
    }
    expect(data._entities.at(-1).events.totalCount).toBe(0);
    expect(
      await badInput(entities('Community', 'events(from: "2019-02-01", to: "2019-01-01") { totalCount }'), {
        representations: [{ __typename: 'Community', id: hosts[0] }],
      }),
    ).toBe('to');
  });
});

describe('standing services', () => {
  it('one legal adviser and one counsellor in every community, 28 culture rooms, each with a schedule and a provider', async () => {
    const ids = await communityIds();
    expect(ids).toHaveLength(124);
    const data = await ok(entities('Community', 'id services { id kind name location schedule community { id } provider { id } }'), {
      representations: ids.map((id) => ({ __typename: 'Community', id })),
    });
    let cultureRooms = 0;
    for (const community of data._entities) {
      const kinds = community.services.map((s: any) => s.kind);
      expect(kinds.filter((k: string) => k === 'LEGAL_ADVICE')).toHaveLength(1);
      expect(kinds.filter((k: string) => k === 'COUNSELLING')).toHaveLength(1);
      expect(kinds.filter((k: string) => k === 'ANTI_DRUG').length).toBeGreaterThanOrEqual(1);
      cultureRooms += kinds.filter((k: string) => k === 'CULTURE_ROOM').length;
      for (const service of community.services) {
        expect(service.community.id).toBe(community.id);
        expect(service.provider.id).toMatch(/^org-so-/);
        expect(service.schedule.length).toBeGreaterThan(0);
        for (const entry of service.schedule) expect(entry).toMatch(/^(MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY \d{2}:\d{2}-\d{2}:\d{2}$/);
      }
    }
    expect(cultureRooms).toBe(28);
  });

  it('legal advice and counselling are evaluated by a third party; the evaluation points back to its service', async () => {
    const [id] = await communityIds();
    const data = await ok(
      entities(
        'Community',
        'services { id kind evaluations { id score evaluatedOn reportRef evaluator { id } service { id kind } microProject { id } } }',
      ),
      { representations: [{ __typename: 'Community', id }] },
    );
    for (const service of data._entities[0].services) {
      const evaluated = service.kind === 'LEGAL_ADVICE' || service.kind === 'COUNSELLING';
      expect(service.evaluations).toHaveLength(evaluated ? 1 : 0);
      for (const evaluation of service.evaluations) {
        expect(evaluation).toMatchObject({ service: { id: service.id, kind: service.kind }, microProject: null });
        expect(evaluation.score).toBeGreaterThanOrEqual(0);
        expect(evaluation.score).toBeLessThanOrEqual(100);
        expect(evaluation.evaluatedOn).toMatch(/^2019-12-/);
      }
    }
  });
});

describe('evaluations and the duties list', () => {
  it('Organisation.evaluationsGiven lists an evaluator’s evaluations newest first, as SQL counts them', async () => {
    const evaluators = await h.rows<{ id: string; n: number }>(sql`select evaluator_organisation_id as id, count(*)::int as n
      from services.evaluations group by 1 order by 1`);
    expect(evaluators.length).toBeGreaterThan(1);
    const data = await ok(
      entities(
        'Organisation',
        'id evaluationsGiven { id evaluatedOn score reportRef evaluator { id } microProject { id status } service { id } }',
      ),
      { representations: [...evaluators.map((e) => e.id), 'org-none'].map((id) => ({ __typename: 'Organisation', id })) },
    );
    evaluators.forEach((evaluator, i) => {
      const given = data._entities[i].evaluationsGiven;
      expect(given).toHaveLength(evaluator.n);
      const dates = given.map((e: any) => e.evaluatedOn);
      expect([...dates].sort().reverse()).toEqual(dates);
      for (const evaluation of given) {
        expect(evaluation.evaluator.id).toBe(evaluator.id);
        expect((evaluation.microProject === null) !== (evaluation.service === null)).toBe(true);
        if (evaluation.microProject) expect(evaluation.microProject.status).toBe('EVALUATED');
      }
    });
    expect(data._entities.at(-1)).toEqual({ id: 'org-none', evaluationsGiven: [] });
  });

  it('dutyItems is the duties list of the dataset', async () => {
    const data = await ok(`{ dutyItems { id title department mandate devolvable fundsFollowTask } }`);
    expect(data.dutyItems).toEqual(referenceDataset().services.dutyItems);
    expect(data.dutyItems.some((item: any) => item.devolvable && !item.fundsFollowTask)).toBe(true);
  });
});
