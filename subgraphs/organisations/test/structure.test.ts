import { describe, expect, it } from 'vitest';
import { useSeededOrganisations } from './harness.ts';

const h = useSeededOrganisations();

describe('district structure', () => {
  it('has 10 sub-districts today whose communities sum to 124', async () => {
    const { data, errors } = await h.query(`{ district { name code subdistricts { name communities { totalCount } } } }`);
    expect(errors).toBeUndefined();
    expect(data!.district.name).toBe('宝安区');
    expect(data!.district.code).toBe('440306000000');
    expect(data!.district.subdistricts).toHaveLength(10);
    const total = data!.district.subdistricts.reduce((sum: number, s: any) => sum + s.communities.totalCount, 0);
    expect(total).toBe(124);
  });

  it('answers as it was before the 2016 split: 6 sub-districts, the same 124 communities', async () => {
    const { data, errors } = await h.query(
      `{ subdistricts(asOf: "2015-06-30") { name communities(first: 100) { totalCount edges { node { code } } } } }`,
    );
    expect(errors).toBeUndefined();
    const names = data!.subdistricts.map((s: any) => s.name).sort();
    expect(names).toEqual(['新安街道', '松岗街道', '沙井街道', '石岩街道', '福永街道', '西乡街道'].sort());
    expect(data!.subdistricts.reduce((sum: number, s: any) => sum + s.communities.totalCount, 0)).toBe(124);
    const codes = data!.subdistricts.flatMap((s: any) => s.communities.edges.map((e: any) => e.node.code));
    expect(new Set(codes).size).toBe(124);
  });

  it('records the split lineage both ways', async () => {
    const { data } = await h.query(`{ subdistrict(code: "440306003000") { name validFrom splitFrom { name splitInto { name } } } }`);
    expect(data!.subdistrict).toEqual({
      name: '航城街道',
      validFrom: '2016-10-01',
      splitFrom: { name: '西乡街道', splitInto: [{ name: '航城街道' }] },
    });
  });

  it('places a community of a new sub-district in its parent before the split', async () => {
    const { data } = await h.query(`{ subdistrict(code: "440306003000") { communities(first: 1) { edges { node { code
      before: subdistrict(asOf: "2016-09-30") { name } after: subdistrict(asOf: "2016-10-01") { name }
      placements { validFrom validTo subdistrict { name } } } } } } }`);
    const node = data!.subdistrict.communities.edges[0].node;
    expect(node.before.name).toBe('西乡街道');
    expect(node.after.name).toBe('航城街道');
    expect(node.placements).toEqual([
      { validFrom: '2004-10-01', validTo: '2016-09-30', subdistrict: { name: '西乡街道' } },
      { validFrom: '2016-10-01', validTo: null, subdistrict: { name: '航城街道' } },
    ]);
  });

  it('gives every community its trinity: party committee, workstation, one or more committees', async () => {
    const { data, errors } = await h.query(`{ communities(first: 200) { totalCount edges { node { id
      partyCommittee { kind community { id } } workstation { kind }
      residentsCommittees { seats organisation { kind } residentsCouncil { kind } supervisionCommittee { kind } conventions { version } } } } } }`);
    expect(errors).toBeUndefined();
    const nodes = data!.communities.edges.map((e: any) => e.node);
    expect(data!.communities.totalCount).toBe(124);
    expect(nodes).toHaveLength(124);
    for (const node of nodes) {
      expect(node.partyCommittee).toEqual({ kind: 'PARTY_COMMITTEE', community: { id: node.id } });
      expect(node.workstation.kind).toBe('WORKSTATION');
      expect(node.residentsCommittees.length).toBeGreaterThanOrEqual(1);
    }
    const committees = nodes.flatMap((n: any) => n.residentsCommittees);
    expect(committees).toHaveLength(140);
    expect(committees.reduce((sum: number, c: any) => sum + c.seats, 0)).toBe(957);
    for (const committee of committees) {
      expect(committee.organisation.kind).toBe('RESIDENTS_COMMITTEE');
      expect(committee.residentsCouncil.kind).toBe('RESIDENTS_COUNCIL');
      expect(committee.supervisionCommittee.kind).toBe('SUPERVISION_COMMITTEE');
      expect(committee.conventions.map((c: any) => c.version)).toEqual([1, 2]);
    }
  });

  it('finds communities by sub-district and by name, in Chinese or English', async () => {
    const sd = await h.query(`{ subdistrict(code: "440306001000") { id communities { totalCount } } }`);
    const { id, communities } = sd.data!.subdistrict;
    const bySubdistrict = await h.query(`query($id: ID) { communities(subdistrictId: $id) { totalCount } }`, { id });
    expect(bySubdistrict.data!.communities.totalCount).toBe(communities.totalCount);
    expect(communities.totalCount).toBe(20);

    const first = await h.query(`{ communities(first: 1) { edges { node { name nameEn } } } }`);
    const { name, nameEn } = first.data!.communities.edges[0].node;
    const zh = await h.query(`query($s: String) { communities(search: $s) { edges { node { name } } } }`, { s: name.slice(0, 2) });
    expect(zh.data!.communities.edges.map((e: any) => e.node.name)).toContain(name);
    const en = await h.query(`query($s: String) { communities(search: $s) { edges { node { nameEn } } } }`, { s: nameEn.toUpperCase() });
    expect(en.data!.communities.edges.map((e: any) => e.node.nameEn)).toContain(nameEn);
    const wildcard = await h.query(`{ communities(search: "%") { totalCount } }`);
    expect(wildcard.data!.communities.totalCount).toBe(0);
  });

  it('looks up a community by code and rejects ambiguous lookups', async () => {
    const ok = await h.query(`{ community(code: "440306001001") { id code } }`);
    expect(ok.data!.community).toEqual({ id: 'com-440306001001', code: '440306001001' });
    const both = await h.query(`{ community(id: "com-440306001001", code: "440306001001") { id } }`);
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const neither = await h.query(`{ subdistrict { id } }`);
    expect(neither.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await h.query(`{ community(id: "com-nope") { id } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.community).toBeNull();
  });

  it('rejects an impossible date', async () => {
    const { errors } = await h.query(`{ subdistricts(asOf: "2019-02-30") { id } }`);
    expect(errors?.[0]?.message).toMatch(/does not exist/);
  });
});
