import { ids } from '@gongzhi/dataset';
import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { sql, useSeededElections } from './harness.ts';

const h = useSeededElections();

const stageOrder = ['PROPOSED', 'DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED'];

const ok = h.data;

describe('matters under 四议两公开', () => {
  it('take their stages in order, none skipped, and are at the last one taken', async () => {
    const { n } = await h.one<{ n: number }>(sql`select count(*)::int as n from elections.matters`);
    const data =
      await ok(`{ matters(first: 500) { totalCount pageInfo { hasNextPage } edges { node { id stage community { id } residentsCommittee { id }
      title summary stages { stage heldOn body minutesRef votes { for against abstain } } } } } }`);
    expect(data.matters.totalCount).toBe(n);
    expect(data.matters.pageInfo.hasNextPage).toBe(false);
    const nodes = data.matters.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(n);
    expect(nodes.map((m: any) => m.id)).toEqual([...nodes.map((m: any) => m.id)].sort());
    for (const matter of nodes) {
      const stages = matter.stages.map((s: any) => s.stage);
      expect(stages).toEqual(stageOrder.slice(0, stages.length));
      expect(matter.stage).toBe(stages.at(-1));
      const dates = matter.stages.map((s: any) => s.heldOn);
      expect([...dates].sort()).toEqual(dates);
      for (const step of matter.stages) {
        const voted = ['DISCUSSED', 'REVIEWED', 'RESOLVED'].includes(step.stage);
        expect(step.votes === null).toBe(!voted);
        if (voted) expect(step.votes.for).toBeGreaterThan(step.votes.against);
      }
    }
    // Every matter but a community's latest is finished; some latest ones are still under way.
    expect(nodes.some((m: any) => m.stage === 'RESULT_PUBLISHED')).toBe(true);
    expect(nodes.some((m: any) => m.stage !== 'RESULT_PUBLISHED')).toBe(true);
  });

  it('filter on the stage each has reached, as SQL counts it, and page by id', async () => {
    const counts = await h.rows<{ stage: string; n: number }>(sql`
      select stage::text, count(*)::int as n from (select max(stage) as stage from elections.matter_stages group by matter_id) reached group by stage`);
    const byStage = new Map(counts.map((row) => [row.stage, row.n]));
    let total = 0;
    for (const stage of stageOrder) {
      const data = await ok(`query($stage: MatterStage) { matters(stage: $stage, first: 500) { totalCount edges { node { stage } } } }`, {
        stage,
      });
      expect(data.matters.totalCount).toBe(byStage.get(stage) ?? 0);
      expect(data.matters.edges.every((edge: any) => edge.node.stage === stage)).toBe(true);
      total += data.matters.totalCount;
    }
    const all = await ok(`{ matters { totalCount } }`);
    expect(total).toBe(all.matters.totalCount);

    const first = await ok(`{ matters(first: 3) { edges { node { id } } pageInfo { endCursor hasNextPage } } }`);
    const next = await ok(
      `query($after: String) { matters(first: 3, after: $after) { edges { node { id } } pageInfo { hasPreviousPage } } }`,
      {
        after: first.matters.pageInfo.endCursor,
      },
    );
    const ids = [...first.matters.edges, ...next.matters.edges].map((edge: any) => edge.node.id);
    expect(new Set(ids).size).toBe(6);
    expect([...ids].sort()).toEqual(ids);
    expect(next.matters.pageInfo.hasPreviousPage).toBe(true);
    const { errors } = await h.query(`{ matters(after: "bogus") { totalCount } }`);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('Community.matters is the same list as matters(communityId), per community in one page', async () => {
    const communities = (
      await h.rows<{ id: string }>(sql`select distinct community_id as id from elections.matters order by 1 limit 5`)
    ).map((r) => r.id);
    const data = await ok(
      entities(
        'Community',
        'id matters(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id community { id } } } } done: matters(stage: RESULT_PUBLISHED) { totalCount }',
      ),
      { representations: communities.map((id) => ({ __typename: 'Community', id })) },
    );
    for (const entity of data._entities) {
      const root = await ok(
        `query($id: ID) { matters(communityId: $id, first: 2) { totalCount edges { node { id } } }
        done: matters(communityId: $id, stage: RESULT_PUBLISHED) { totalCount } }`,
        { id: entity.id },
      );
      expect(entity.matters.totalCount).toBe(root.matters.totalCount);
      expect(entity.matters.edges.map((e: any) => e.node.id)).toEqual(root.matters.edges.map((e: any) => e.node.id));
      expect(entity.matters.edges.every((e: any) => e.node.community.id === entity.id)).toBe(true);
      expect(entity.done.totalCount).toBe(root.done.totalCount);
      expect(entity.matters.pageInfo.hasNextPage).toBe(entity.matters.totalCount > 2);
      const rest = await ok(
        entities('Community', 'matters(first: 10, after: $after) { edges { node { id } } }').replace(
          '$representations: [_Any!]!',
          '$representations: [_Any!]!, $after: String',
        ),
        { representations: [{ __typename: 'Community', id: entity.id }], after: entity.matters.pageInfo.endCursor },
      );
      expect(rest._entities[0].matters.edges).toHaveLength(entity.matters.totalCount - 2);
    }
  });

  it('Matter is an entity and can be looked up by id', async () => {
    const { id } = await h.one<{ id: string }>(sql`select id from elections.matters order by id limit 1`);
    const byId = await ok(`query($id: ID!) { matter(id: $id) { id title stages { stage } } }`, { id });
    const data = await ok(entities('Matter', 'id title stages { stage }'), {
      representations: [
        { __typename: 'Matter', id },
        { __typename: 'Matter', id: 'mat-missing' },
      ],
    });
    expect(data._entities).toEqual([byId.matter, null]);
    expect((await ok(`{ matter(id: "mat-missing") { id } }`)).matter).toBeNull();
  });
});

describe('meetings and motions', () => {
  async function committeeMeetings(selection: string) {
    const { id } = await h.one<{ id: string }>(sql`select residents_committee_id as id from elections.meetings order by 1 limit 1`);
    const data = await ok(entities('ResidentsCommittee', selection), { representations: [{ __typename: 'ResidentsCommittee', id }] });
    return { id, committee: data._entities[0] };
  }

  it('lists a committee’s meetings newest first, filtered by kind and year, with their motions', async () => {
    const { id, committee } =
      await committeeMeetings(`all: meetings { id kind heldOn title attendees organisation { id } residentsCommittee { id }
        motions { id title carried votes { for against abstain } } }
      councils: meetings(kind: RESIDENTS_COUNCIL) { kind }
      supervision2018: meetings(kind: SUPERVISION_COMMITTEE, year: 2018) { kind heldOn }
      in2019: meetings(year: 2019) { heldOn }
      in2016: meetings(year: 2016) { id }`);
    const [expected] = await h.rows<{ meetings: number; motions: number }>(sql`select
      (select count(*)::int from elections.meetings where residents_committee_id = ${id}) as meetings,
      (select count(*)::int from elections.motions m join elections.meetings g on g.id = m.meeting_id where g.residents_committee_id = ${id}) as motions`);
    expect(committee.all).toHaveLength(expected!.meetings);
    expect(committee.all.flatMap((m: any) => m.motions)).toHaveLength(expected!.motions);
    const dates = committee.all.map((m: any) => m.heldOn);
    expect([...dates].sort().reverse()).toEqual(dates);
    // Quarterly councils and twice-yearly supervision reviews over 2017–2019.
    expect(committee.all).toHaveLength(18);
    expect(committee.councils).toHaveLength(12);
    expect(committee.councils.every((m: any) => m.kind === 'RESIDENTS_COUNCIL')).toBe(true);
    expect(committee.supervision2018).toHaveLength(2);
    expect(committee.supervision2018.every((m: any) => m.kind === 'SUPERVISION_COMMITTEE' && m.heldOn.startsWith('2018'))).toBe(true);
    expect(committee.in2019).toHaveLength(6);
    expect(committee.in2016).toEqual([]);
    for (const meeting of committee.all) {
      expect(meeting.residentsCommittee.id).toBe(id);
      const code = id.slice('rc-'.length);
      expect(meeting.organisation.id).toBe(
        meeting.kind === 'RESIDENTS_COUNCIL' ? ids.residentsCouncil(code) : ids.supervisionCommittee(code),
      );
      expect(meeting.motions.length).toBeGreaterThanOrEqual(1);
      for (const motion of meeting.motions) {
        const { for: yes, against, abstain } = motion.votes;
        expect(yes + against + abstain).toBe(meeting.attendees);
        expect(motion.carried).toBe(yes > against);
      }
    }
  });

  it('rejects an impossible year', async () => {
    const { errors } = await h.query(entities('ResidentsCommittee', 'meetings(year: 20190) { id }'), {
      representations: [{ __typename: 'ResidentsCommittee', id: 'rc-440306001201' }],
    });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'year' });
  });
});
