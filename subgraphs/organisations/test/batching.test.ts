import { entitiesQuery as entities } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useSeededOrganisations } from './harness.ts';

const h = useSeededOrganisations();

/** SQL statements one operation sends. */
async function statementsFor(query: string, variables?: Record<string, unknown>) {
  const before = h.database.statementCount();
  const result = await h.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { statements: h.database.statementCount() - before, data: result.data! };
}

async function ids(field: string, connection = true): Promise<string[]> {
  if (connection) {
    const { data } = await h.query(`{ ${field}(first: 500) { edges { node { id } } } }`);
    return data![field].edges.map((e: any) => e.node.id);
  }
  throw new Error('unsupported');
}

describe('no N+1', () => {
  it('resolves 10 or 124 Community references with nested fields in the same number of statements', async () => {
    const communityIds = await ids('communities');
    expect(communityIds).toHaveLength(124);
    const query = entities(
      'Community',
      `id name subdistrict { name district { name } } residentsCommittees { name organisation { name } conventions { version } }
       partyCommittee { name posts { role } } workstation { name } gridAreas { name director { role } buildings { name head { role } } }
       organisations(first: 3) { totalCount edges { node { kind } } }`,
    );
    const small = await statementsFor(query, { representations: communityIds.slice(0, 10).map((id) => ({ __typename: 'Community', id })) });
    const large = await statementsFor(query, { representations: communityIds.map((id) => ({ __typename: 'Community', id })) });
    expect(small.data._entities).toHaveLength(10);
    expect(large.data._entities).toHaveLength(124);
    expect(large.data._entities.every((c: any) => c.organisations.edges.length === 3 && c.organisations.totalCount >= 6)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });

  it('resolves 1 or 1,000 Post references in the same number of statements', async () => {
    const { data } = await h.query(`{ organisations(kind: WORKSTATION, first: 124) { edges { node { posts { id role } } } } }`);
    // Building heads: the shape with the most nested references (grid area and building).
    const postIds: string[] = data!.organisations.edges.flatMap((e: any) =>
      e.node.posts.filter((p: any) => p.role === 'BUILDING_HEAD').map((p: any) => p.id),
    );
    expect(postIds.length).toBeGreaterThanOrEqual(1000);
    const query = entities('Post', 'id role organisation { name community { name } } gridArea { name } building { name households }');
    const one = await statementsFor(query, { representations: postIds.slice(0, 1).map((id) => ({ __typename: 'Post', id })) });
    const thousand = await statementsFor(query, { representations: postIds.slice(0, 1000).map((id) => ({ __typename: 'Post', id })) });
    expect(thousand.data._entities).toHaveLength(1000);
    expect(thousand.data._entities.every((p: any) => p.building !== null && p.gridArea !== null)).toBe(true);
    expect(thousand.statements).toBe(one.statements);
  });

  it('resolves 10 or 500 Organisation references, and their committees, in the same number of statements', async () => {
    // Community-level organisations, so the small and the large set have the same shape.
    const { data } = await h.query(`{ communities(first: 200) { edges { node { organisations(first: 10) { edges { node { id } } } } } } }`);
    const organisationIds: string[] = data!.communities.edges
      .flatMap((e: any) => e.node.organisations.edges.map((o: any) => o.node.id))
      .slice(0, 500);
    expect(organisationIds).toHaveLength(500);
    const query = entities('Organisation', 'id kind community { code } residentsCommittee { name community { name } } posts { label }');
    const small = await statementsFor(query, {
      representations: organisationIds.slice(0, 10).map((id) => ({ __typename: 'Organisation', id })),
    });
    const large = await statementsFor(query, { representations: organisationIds.map((id) => ({ __typename: 'Organisation', id })) });
    expect(large.data._entities).toHaveLength(500);
    expect(small.data._entities.some((o: any) => o.residentsCommittee !== null)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });

  it('lists 124 communities with sub-district, committees and party committee in a constant number of statements', async () => {
    const query = `query($n: Int) { communities(first: $n) { totalCount edges { node { name subdistrict { name }
      residentsCommittees { name } partyCommittee { name } } } } }`;
    const ten = await statementsFor(query, { n: 10 });
    const all = await statementsFor(query, { n: 124 });
    expect(all.data.communities.edges).toHaveLength(124);
    expect(all.statements).toBe(ten.statements);
    // page, count, placements, sub-districts, committees, party committees
    expect(all.statements).toBeLessThanOrEqual(6);
  });

  it('answers governance figures for 1 or 10 sub-districts and the district with one aggregate statement per field and date', async () => {
    const subdistrictIds = (await h.rows<{ id: string }>(sql`select id from organisations.subdistricts order by code`)).map(
      (row) => row.id,
    );
    expect(subdistrictIds).toHaveLength(10);
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on District { governance { communities residentsCommittees } old: governance(asOf: "2015-06-30") { communities } }
      ... on Subdistrict { governance { communities residentsCommittees } old: governance(asOf: "2015-06-30") { communities } } } }`;
    const [district] = await h.rows<{ id: string }>(sql`select id from organisations.districts`);
    const representations = (n: number) => [
      { __typename: 'District', id: district!.id },
      ...subdistrictIds.slice(0, n).map((id) => ({ __typename: 'Subdistrict', id })),
    ];
    const one = await statementsFor(query, { representations: representations(1) });
    const ten = await statementsFor(query, { representations: representations(10) });
    expect(ten.data._entities).toHaveLength(11);
    expect(ten.data._entities.slice(1).reduce((sum: number, s: any) => sum + s.governance.communities, 0)).toBe(
      ten.data._entities[0].governance.communities,
    );
    expect(ten.statements).toBe(one.statements);
    // the district and the sub-districts looked up, then one aggregate for the district and one for the sub-districts per date
    expect(ten.statements).toBe(6);
  });

  it('returns unknown references as null without failing the batch', async () => {
    const { data } = await statementsFor(entities('Community', 'id'), {
      representations: [
        { __typename: 'Community', id: 'com-440306001001' },
        { __typename: 'Community', id: 'com-missing' },
      ],
    });
    expect(data._entities).toEqual([{ id: 'com-440306001001' }, null]);
  });
});
