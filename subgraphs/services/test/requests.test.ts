import { referenceDataset } from '@gongzhi/dataset';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededServices } from './harness.ts';

const h = useSeededServices();

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const workflow = ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'];

const ok = h.data;

async function badInput(query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await h.query(query, variables);
  expect(errors?.[0]?.extensions?.code, JSON.stringify(data)).toBe('BAD_USER_INPUT');
  return errors![0]!.extensions!.argument;
}

const requestFields = `id community { id } category channel description status submittedAt acknowledgedAt resolvedAt hoursToResolve satisfaction
  submitterName submitterPhone history { status at note }`;

describe('service requests', () => {
  it('carry the dataset’s times, derived from their steps, as ISO 8601 UTC instants, with the submitter', async () => {
    const generated = [...referenceDataset().services.serviceRequests()];
    const serviceRequests = generated.map((r) => r.request);
    const stepsOf = new Map(generated.map((r) => [r.request.id, r.steps]));
    // Resolved, unresolved, acknowledged only, and in progress only.
    const picks = [
      serviceRequests.find((r) => stepsOf.get(r.id)!.some((s) => s.status === 'RESOLVED'))!,
      serviceRequests.find((r) => stepsOf.get(r.id)!.length === 2)!,
      serviceRequests.find((r) => stepsOf.get(r.id)!.length === 3)!,
      serviceRequests.find((r) => r.satisfaction !== null)!,
    ];
    const data = await ok(entities('ServiceRequest', requestFields), {
      representations: picks.map((r) => ({ __typename: 'ServiceRequest', id: r.id })),
    });
    picks.forEach((record, i) => {
      const entity = data._entities[i];
      const steps = stepsOf.get(record.id)!;
      const at = (status: string) => steps.find((s) => s.status === status)?.at ?? null;
      const resolvedAt = at('RESOLVED');
      expect(entity).toEqual({
        id: record.id,
        community: { id: record.communityId },
        category: record.category,
        channel: record.channel,
        description: record.description,
        status: steps.at(-1)!.status,
        submittedAt: record.submittedAt,
        acknowledgedAt: at('ACKNOWLEDGED'),
        resolvedAt,
        hoursToResolve: resolvedAt === null ? null : (Date.parse(resolvedAt) - Date.parse(record.submittedAt)) / 3_600_000,
        satisfaction: record.satisfaction,
        submitterName: record.submitterName,
        submitterPhone: record.submitterPhone,
        history: steps.map((s) => ({ status: s.status, at: s.at, note: s.note })),
      });
      expect(entity.submittedAt).toMatch(isoInstant);
      expect(entity.history.map((s: any) => s.status)).toEqual(workflow.slice(0, steps.length));
      expect(entity.submitterName).toBeTruthy();
      expect(entity.submitterPhone).toBeTruthy();
    });
    expect(data._entities[0].hoursToResolve).toBeGreaterThan(0);
    expect(data._entities[1]).toMatchObject({ status: 'ACKNOWLEDGED', resolvedAt: null, hoursToResolve: null });
    expect(data._entities[2].status).toBe('IN_PROGRESS');
  });

  it('list newest first in keyset pages, each at the status of its latest step', async () => {
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from services.service_requests`);
    const seen: any[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const data: any = await ok(
        `query($after: String) { serviceRequests(first: 200, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
          edges { cursor node { id submittedAt status history { status at } } } } }`,
        { after },
      );
      expect(data.serviceRequests.totalCount).toBe(n);
      expect(data.serviceRequests.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: after !== null });
      seen.push(...data.serviceRequests.edges.map((edge: any) => edge.node));
      after = data.serviceRequests.pageInfo.endCursor;
    }
    expect(new Set(seen.map((r) => r.id)).size).toBe(600);
    const times = seen.map((r) => r.submittedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const newest = await h.rows<{ id: string }>(sql`select id from services.service_requests order by submitted_at desc, id limit 600`);
    expect(seen.map((r) => r.id)).toEqual(newest.map((r) => r.id));
    for (const request of seen) {
      // History is in workflow order; its last step is also the latest in time (the dataset records some
      // IN_PROGRESS steps a little before the acknowledgement, so the middle is not always chronological).
      expect(request.history.map((s: any) => s.status)).toEqual(workflow.slice(0, request.history.length));
      expect(request.status).toBe(request.history.at(-1).status);
      const latest = [...request.history].sort((a: any, b: any) => a.at.localeCompare(b.at)).at(-1);
      expect(request.status).toBe(latest.status);
    }
  });

  it('filter by community, current status and inclusive UTC submission days, as SQL counts them', async () => {
    // A request submitted late in its UTC day, so the bounds are tested at both ends of a day.
    const late = await h.one<{ id: string; community: string; day: string }>(sql`select id, community_id as community,
        to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD') as day from services.service_requests
      where extract(hour from submitted_at at time zone 'UTC') = 23 order by id limit 1`);
    const count = async (where: ReturnType<typeof sql>) =>
      (await h.one<{ n: number }>(sql`select count(*)::int as n from services.service_requests r where ${where}`)).n;
    const query = `query($communityId: ID, $status: ServiceRequestStatus, $from: Date, $to: Date) {
      serviceRequests(communityId: $communityId, status: $status, submittedFrom: $from, submittedTo: $to, first: 500) {
        totalCount edges { node { id status submittedAt community { id } } } } }`;
    const utcDay = sql`(r.submitted_at at time zone 'UTC')::date`;

    const oneDay = await ok(query, { from: late.day, to: late.day });
    expect(oneDay.serviceRequests.totalCount).toBe(await count(sql`${utcDay} = ${late.day}::date`));
    expect(oneDay.serviceRequests.edges.map((e: any) => e.node.id)).toContain(late.id);
    expect(oneDay.serviceRequests.edges.every((e: any) => e.node.submittedAt.startsWith(late.day))).toBe(true);
    expect((await ok(query, { from: late.day })).serviceRequests.totalCount).toBe(await count(sql`${utcDay} >= ${late.day}::date`));
    expect((await ok(query, { to: late.day })).serviceRequests.totalCount).toBe(await count(sql`${utcDay} <= ${late.day}::date`));

    const currentStatus = sql`(select s.status::text from services.service_request_steps s where s.service_request_id = r.id order by s.at desc limit 1)`;
    let total = 0;
    for (const status of workflow) {
      const data = await ok(query, { status, from: '2019-01-01', to: '2019-12-31' });
      const expected = await count(sql`${currentStatus} = ${status} and ${utcDay} between '2019-01-01' and '2019-12-31'`);
      expect(data.serviceRequests.totalCount, status).toBe(expected);
      expect(data.serviceRequests.edges.every((e: any) => e.node.status === status)).toBe(true);
      total += expected;
    }
    expect(total).toBe(await count(sql`${utcDay} between '2019-01-01' and '2019-12-31'`));
    expect(total).toBeGreaterThan(0);

    const mine = await ok(query, { communityId: late.community, status: 'CLOSED' });
    expect(mine.serviceRequests.totalCount).toBe(await count(sql`r.community_id = ${late.community} and ${currentStatus} = 'CLOSED'`));
    expect(mine.serviceRequests.edges.every((e: any) => e.node.community.id === late.community)).toBe(true);
  });

  it('refuse a window that ends before it starts, an impossible date, a bad page size and a malformed cursor', async () => {
    expect(await badInput(`{ serviceRequests(submittedFrom: "2019-03-02", submittedTo: "2019-03-01") { totalCount } }`)).toBe(
      'submittedTo',
    );
    expect(await badInput(`{ serviceRequests(first: -5) { totalCount } }`)).toBe('first');
    expect(await badInput(`{ serviceRequests(after: "not-a-cursor") { totalCount } }`)).toBe('after');
    const { errors } = await h.query(`{ serviceRequests(submittedFrom: "2019-02-30") { totalCount } }`);
    expect(errors?.[0]?.message).toMatch(/does not exist/);
    const community = [{ __typename: 'Community', id: 'com-440306001001' }];
    expect(
      await badInput(entities('Community', 'serviceRequests(submittedFrom: "2019-12-31", submittedTo: "2019-01-01") { totalCount }'), {
        representations: community,
      }),
    ).toBe('submittedTo');
    expect(await badInput(entities('Community', 'serviceRequests(first: 100000) { totalCount }'), { representations: community })).toBe(
      'first',
    );
  });

  it('Community.serviceRequests is the root list of the community, with the same filters and cursors', async () => {
    const communities = (
      await h.rows<{ id: string }>(sql`select distinct community_id as id from services.service_requests order by 1 limit 4`)
    ).map((r) => r.id);
    const data = await ok(
      entities(
        'Community',
        `id serviceRequests(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id community { id } } } }
         closed: serviceRequests(status: CLOSED, submittedFrom: "2018-01-01", submittedTo: "2018-06-30", first: 500) { totalCount edges { node { id } } }`,
      ),
      { representations: communities.map((id) => ({ __typename: 'Community', id })) },
    );
    for (const entity of data._entities) {
      const root = await ok(
        `query($id: ID) { serviceRequests(communityId: $id, first: 3) { totalCount edges { cursor node { id } } }
          closed: serviceRequests(communityId: $id, status: CLOSED, submittedFrom: "2018-01-01", submittedTo: "2018-06-30", first: 500) { totalCount edges { node { id } } } }`,
        { id: entity.id },
      );
      expect(entity.serviceRequests.totalCount).toBe(root.serviceRequests.totalCount);
      expect(entity.serviceRequests.edges.map((e: any) => e.cursor)).toEqual(root.serviceRequests.edges.map((e: any) => e.cursor));
      expect(entity.closed).toEqual(root.closed);
      expect(entity.closed.totalCount).toBeGreaterThan(0);
      expect(entity.serviceRequests.edges.every((e: any) => e.node.community.id === entity.id)).toBe(true);
      const next = await ok(
        `query($id: ID, $after: String) { serviceRequests(communityId: $id, first: 3, after: $after) { edges { node { id } } } }`,
        { id: entity.id, after: entity.serviceRequests.pageInfo.endCursor },
      );
      const nested = await ok(
        entities('Community', 'serviceRequests(first: 3, after: $after) { edges { node { id } } }').replace(
          '$representations: [_Any!]!',
          '$representations: [_Any!]!, $after: String',
        ),
        { representations: [{ __typename: 'Community', id: entity.id }], after: entity.serviceRequests.pageInfo.endCursor },
      );
      expect(nested._entities[0].serviceRequests).toEqual(next.serviceRequests);
    }
  });

  it('ServiceRequest is an entity and can be looked up by id', async () => {
    const { id } = await h.one<{ id: string }>(sql`select id from services.service_requests order by id limit 1`);
    const byId = await ok(`query($id: ID!) { serviceRequest(id: $id) { id status submittedAt } }`, { id });
    const data = await ok(entities('ServiceRequest', 'id status submittedAt'), {
      representations: [
        { __typename: 'ServiceRequest', id },
        { __typename: 'ServiceRequest', id: 'sr-missing' },
      ],
    });
    expect(data._entities).toEqual([byId.serviceRequest, null]);
    expect((await ok(`{ serviceRequest(id: "sr-missing") { id } }`)).serviceRequest).toBeNull();
  });
});

describe('requestResolution', () => {
  interface Figures {
    year: number;
    received: number;
    resolved: number;
    medianHours: number | null;
  }

  /**
   * The hand computation: requests submitted in the UTC year, those with a RESOLVED step, and the median
   * hours from submission to resolution over the resolved ones. `area` is a column and id, or null for all.
   */
  async function handComputed(area: readonly ['community_id' | 'subdistrict_id', string] | null, year?: number): Promise<Figures | null> {
    const inArea = area ? sql`r.${sql.identifier(area[0])} = ${area[1]}` : sql`true`;
    const submittedYear = sql`extract(year from r.submitted_at at time zone 'UTC')::int`;
    const { latest } = await h.one<{ latest: number | null }>(
      sql`select max(${submittedYear}) as latest from services.service_requests r where ${inArea}`,
    );
    const asked = year ?? latest;
    if (asked === null) return null;
    const row = await h.one<{ received: number; resolved: number; median: number | null }>(sql`
      select count(*)::int as received, count(resolution.at)::int as resolved,
        percentile_cont(0.5) within group (order by extract(epoch from resolution.at - r.submitted_at)::float8 / 3600) as median
      from services.service_requests r
      left join lateral (select min(s.at) as at from services.service_request_steps s where s.service_request_id = r.id and s.status = 'RESOLVED') resolution on true
      where ${inArea} and ${submittedYear} = ${asked}`);
    if (row.received === 0) return null;
    return { year: asked, received: row.received, resolved: row.resolved, medianHours: row.median === null ? null : Number(row.median) };
  }

  const figures = `requestResolution { year received resolved medianHours } y2017: requestResolution(year: 2017) { year received resolved medianHours }
    y2016: requestResolution(year: 2016) { year }`;

  const close = (actual: Figures | null, expected: Figures | null) => {
    expect(actual === null).toBe(expected === null);
    if (!actual || !expected) return;
    expect({ ...actual, medianHours: null }).toEqual({ ...expected, medianHours: null });
    expect(actual.medianHours).toBeCloseTo(expected.medianHours!, 9);
  };

  it('equals the hand computation in SQL for a community, a sub-district and the district, by default the latest year', async () => {
    const { community, subdistrict } = await h.one<{ community: string; subdistrict: string }>(sql`select community_id as community,
      subdistrict_id as subdistrict from services.service_requests group by 1, 2 order by count(*) desc limit 1`);
    const data = await ok(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Community { id ${figures} } ... on Subdistrict { id ${figures} } ... on District { id ${figures} } } }`,
      {
        representations: [
          { __typename: 'Community', id: community },
          { __typename: 'Subdistrict', id: subdistrict },
          { __typename: 'District', id: 'dst-440306' },
          { __typename: 'Community', id: 'com-nowhere' },
        ],
      },
    );
    const [byCommunity, bySubdistrict, byDistrict, nowhere] = data._entities;
    for (const [entity, area] of [
      [byCommunity, ['community_id', community]],
      [bySubdistrict, ['subdistrict_id', subdistrict]],
      [byDistrict, null],
    ] as const) {
      close(entity.requestResolution, await handComputed(area));
      close(entity.y2017, await handComputed(area, 2017));
      expect(entity.y2016).toBeNull();
      expect(entity.requestResolution.year).toBe(2019);
      expect(entity.requestResolution.resolved).toBeLessThan(entity.requestResolution.received);
      expect(entity.requestResolution.medianHours).toBeGreaterThan(2);
    }
    expect(byDistrict.requestResolution.received).toBe(
      [...referenceDataset().services.serviceRequests()].filter((r) => r.request.submittedAt.startsWith('2019')).length,
    );
    expect(nowhere).toEqual({ id: 'com-nowhere', requestResolution: null, y2017: null, y2016: null });
  });

  it('sums over the sub-districts to the district, and over the communities too', async () => {
    const subdistricts = (
      await h.rows<{ id: string }>(sql`select distinct subdistrict_id as id from services.service_requests order by 1`)
    ).map((r) => r.id);
    const communities = (
      await h.rows<{ id: string }>(sql`select distinct community_id as id from services.service_requests order by 1`)
    ).map((r) => r.id);
    expect(subdistricts).toHaveLength(10);
    expect(communities).toHaveLength(124);
    const selection = 'requestResolution { received resolved } y2018: requestResolution(year: 2018) { received resolved }';
    const data = await ok(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Community { ${selection} } ... on Subdistrict { ${selection} } ... on District { ${selection} } } }`,
      {
        representations: [
          { __typename: 'District', id: 'dst-440306' },
          ...subdistricts.map((id) => ({ __typename: 'Subdistrict', id })),
          ...communities.map((id) => ({ __typename: 'Community', id })),
        ],
      },
    );
    const [district, ...areas] = data._entities;
    const sum = (entities: any[], field: string, key: string) => entities.reduce((total, e) => total + e[field][key], 0);
    for (const field of ['requestResolution', 'y2018']) {
      for (const key of ['received', 'resolved']) {
        expect(sum(areas.slice(0, subdistricts.length), field, key)).toBe(district[field][key]);
        expect(sum(areas.slice(subdistricts.length), field, key)).toBe(district[field][key]);
      }
    }
  });

  it('refuses an impossible year', async () => {
    for (const typename of ['Community', 'Subdistrict', 'District']) {
      expect(
        await badInput(entities(typename, 'requestResolution(year: 99999) { received }'), {
          representations: [{ __typename: typename, id: 'x' }],
        }),
      ).toBe('year');
    }
  });
});
