import { rowsOf } from '@gongzhi/kit';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { nameContains } from '../src/db/name-search.ts';
import { useSeededPeople } from './harness.ts';

const h = useSeededPeople();

const community = 'com-440306001001';

describe('Query.person', () => {
  it('returns a resident with personal fields, community reference and nothing they do not have', async () => {
    const [row] = await h.rows<{
      id: string;
      name: string;
      id_number: string;
      phone: string;
      address: string;
      birth_date: string;
      birth_year: number;
    }>(
      sql`select id, name, id_number, phone, address, birth_date::text as birth_date, birth_year from people.persons
        where community_id = ${community} and id not in (select person_id from people.memberships)
          and id not in (select person_id from people.volunteers) and id not in (select person_id from people.deputies)
        order by id limit 1`,
    );
    const { data, errors } = await h.query(
      `query($id: ID!) { person(id: $id) { id name gender birthYear hukou education community { id } idNumber phone address birthDate
        memberships(includeEnded: true) { id } worker { id } volunteer { id } deputyRoles { id } } }`,
      { id: row!.id },
    );
    expect(errors).toBeUndefined();
    expect(data!.person).toMatchObject({
      id: row!.id,
      name: row!.name,
      birthYear: row!.birth_year,
      community: { id: community },
      idNumber: row!.id_number,
      phone: row!.phone,
      address: row!.address,
      birthDate: row!.birth_date,
      memberships: [],
      worker: null,
      volunteer: null,
      deputyRoles: [],
    });
    expect(data!.person.birthDate.slice(0, 4)).toBe(String(row!.birth_year));
    expect(data!.person.idNumber).toMatch(/^\d{17}[\dX]$/);
  });

  it('is null for an unknown id', async () => {
    const { data, errors } = await h.query(`{ person(id: "per-nobody") { id } }`);
    expect(errors).toBeUndefined();
    expect(data!.person).toBeNull();
  });

  it('lists current posts only, unless ended ones are asked for', async () => {
    const [ended] = await h.rows<{ person_id: string; id: string; valid_to: string }>(
      sql`select person_id, id, valid_to::text as valid_to from people.memberships where valid_to is not null order by id limit 1`,
    );
    const { data } = await h.query(
      `query($id: ID!) { person(id: $id) { current: memberships { id } all: memberships(includeEnded: true) { id role validFrom validTo
        post { id } organisation { id } person { id } } } }`,
      { id: ended!.person_id },
    );
    expect(data!.person.current.map((m: any) => m.id)).not.toContain(ended!.id);
    const all = data!.person.all.find((m: any) => m.id === ended!.id);
    expect(all).toMatchObject({ validTo: ended!.valid_to, person: { id: ended!.person_id } });
    expect(all.post.id).toMatch(/^post-rc-/);
    expect(all.organisation.id).toMatch(/^org-rc-/);
    expect(all.role === 'DEPUTY_DIRECTOR' || all.role === 'COMMITTEE_MEMBER').toBe(true);
  });
});

describe('Query.people', () => {
  it('filters by community and hukou, with a total that matches the database', async () => {
    const [counts] = await h.rows<{ all: number; local: number }>(
      sql`select count(*)::int as all, count(*) filter (where hukou = 'LOCAL')::int as local from people.persons where community_id = ${community}`,
    );
    const { data, errors } = await h.query(
      `query($c: ID) { all: people(communityId: $c) { totalCount } local: people(communityId: $c, hukou: LOCAL, first: 500) {
        totalCount edges { node { hukou community { id } } } } everyone: people { totalCount } }`,
      { c: community },
    );
    expect(errors).toBeUndefined();
    expect(data!.all.totalCount).toBe(counts!.all);
    expect(data!.local.totalCount).toBe(counts!.local);
    expect(counts!.local).toBeGreaterThan(0);
    expect(data!.local.edges).toHaveLength(counts!.local);
    for (const { node } of data!.local.edges) expect(node).toEqual({ hukou: 'LOCAL', community: { id: community } });
    expect(data!.everyone.totalCount).toBe(57_300);
  });

  it('pages by id with cursors, visiting every resident of a community once', async () => {
    const expected = (await h.rows<{ id: string }>(sql`select id from people.persons where community_id = ${community} order by id`)).map(
      (r) => r.id,
    );
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { data, errors }: { data?: any; errors?: unknown } = await h.query(
        `query($c: ID, $after: String) { people(communityId: $c, first: 100, after: $after) {
          edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
        { c: community, after },
      );
      expect(errors).toBeUndefined();
      const page: any = data.people;
      pages++;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(expected.length / 100));
    expect(seen).toEqual(expected);
  });

  it('searches names as case-insensitive substrings, taking LIKE wildcards literally', async () => {
    const [person] = await h.rows<{ id: string; name: string }>(
      sql`select id, name from people.persons where char_length(name) = 3 order by id limit 1`,
    );
    const part = person!.name.slice(1);
    const expected = await h.rows<{ n: number }>(sql`select count(*)::int as n from people.persons where strpos(name, ${part}) > 0`);
    const { data } = await h.query(`query($s: String) { people(search: $s, first: 500) { totalCount edges { node { id name } } } }`, {
      s: ` ${part} `,
    });
    expect(data!.people.totalCount).toBe(expected[0]!.n);
    expect(data!.people.edges.map((e: any) => e.node.id)).toContain(person!.id);
    for (const { node } of data!.people.edges) expect(node.name).toContain(part);

    for (const wildcard of ['%', '_', '\\']) {
      const literal = await h.query(`query($s: String) { people(search: $s) { totalCount } }`, { s: wildcard });
      expect(literal.data!.people.totalCount).toBe(0);
    }
    const blank = await h.query(`{ people(search: "  ") { totalCount } }`);
    expect(blank.data!.people.totalCount).toBe(57_300);
  });

  it('finds names by one character, by whole names, by longer needles and across letter case', async () => {
    const search = async (needle: string) =>
      (await h.data(`query($s: String) { people(search: $s, first: 500) { totalCount edges { node { name } } } }`, { s: needle })).people;
    const byHand = async (needle: string) =>
      (await h.one<{ n: number }>(sql`select count(*)::int as n from people.persons where strpos(lower(name), lower(${needle})) > 0`)).n;
    const { name } = await h.one<{ name: string }>(sql`select name from people.persons where char_length(name) = 3 order by id limit 1`);
    for (const needle of [name[0]!, name.slice(1), name]) {
      const found = await search(needle);
      expect(found.totalCount, needle).toBe(await byHand(needle));
      expect(found.totalCount, needle).toBeGreaterThan(0);
    }
    // Longer than the indexed parts, and in Latin letters of either case: inserted for this test only.
    await h.rows(sql`insert into people.persons (id, name, gender, birth_year, hukou, community_id, education, id_number, phone, address, birth_date)
      values ('per-test-latin', 'Ayşe Nur Demir', 'FEMALE', 1990, 'NON_LOCAL', 'com-440306001001', 'BACHELOR', 'X', 'X', 'X', '1990-01-01')`);
    try {
      expect((await search('NUR DEM')).edges.map((e: any) => e.node.name)).toEqual(['Ayşe Nur Demir']);
      expect((await search('nur demi r')).totalCount).toBe(0);
      expect((await search(`${name}x`)).totalCount).toBe(0);
    } finally {
      await h.rows(sql`delete from people.persons where id = 'per-test-latin'`);
    }
  });

  it('can answer a name search from its index rather than reading every resident', async () => {
    const plan = await h.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = await rowsOf<Record<string, string>>(tx, sql`explain select id from people.persons where ${nameContains('小明')}`);
      return rows.map((row) => Object.values(row)[0]).join('\n');
    });
    expect(plan).toContain('persons_name_parts_idx');
  });

  it('rejects a bad `first` and a forged cursor as bad input naming the argument', async () => {
    for (const first of [-1, 501]) {
      const { errors } = await h.query(`query($first: Int) { people(first: $first) { totalCount } }`, { first });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    }
    const forged = Buffer.from('x:per-440306001001-000001').toString('base64url');
    for (const after of [forged, 'not a cursor']) {
      const { errors } = await h.query(`query($after: String) { people(after: $after) { totalCount } }`, { after });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });
});

describe('Query.communityWorkers', () => {
  it('lists every worker with person, post, trainings and evaluations', async () => {
    const [totals] = await h.rows<{ workers: number; trainings: number }>(
      sql`select (select count(*)::int from people.workers) as workers, (select count(*)::int from people.trainings) as trainings`,
    );
    expect(totals!.workers).toBe(51);
    const { data, errors } = await h.query(`{ communityWorkers(first: 500) { totalCount pageInfo { hasNextPage } edges { node {
      id grade payBand recruitmentChannel recruitedYear hiredOn leftOn person { id worker { id } } community { id } post { id }
      trainings { id title provider completedOn hours } evaluations { id year rating score } } } } }`);
    expect(errors).toBeUndefined();
    const nodes = data!.communityWorkers.edges.map((e: any) => e.node);
    expect(data!.communityWorkers.totalCount).toBe(51);
    expect(data!.communityWorkers.pageInfo.hasNextPage).toBe(false);
    expect(nodes.map((n: any) => n.id)).toEqual([...nodes.map((n: any) => n.id)].sort());
    expect(nodes.reduce((sum: number, n: any) => sum + n.trainings.length, 0)).toBe(totals!.trainings);
    for (const node of nodes) {
      expect(node.person.worker.id).toBe(node.id);
      expect(node.hiredOn.slice(0, 4)).toBe(String(node.recruitedYear));
      const years = node.evaluations.map((e: any) => e.year);
      expect(years).toEqual([...years].sort());
    }
    expect(nodes.some((n: any) => n.post !== null)).toBe(true);
  });

  it('filters by community, by sub-district of the latest count and by recruitment year', async () => {
    const [busiest] = await h.rows<{ community_id: string; n: number }>(
      sql`select community_id, count(*)::int as n from people.workers group by community_id order by n desc, community_id limit 1`,
    );
    const [subdistrict] = await h.rows<{ subdistrict_id: string; n: number }>(
      sql`select pc.subdistrict_id, count(*)::int as n from people.workers w
        join people.population_counts pc on pc.community_id = w.community_id and pc.year = 2019
        group by pc.subdistrict_id order by n desc, pc.subdistrict_id limit 1`,
    );
    const [recruited] = await h.rows<{ n: number }>(sql`select count(*)::int as n from people.workers where recruited_year = 2019`);
    const { data, errors } = await h.query(
      `query($c: ID, $s: ID) { byCommunity: communityWorkers(communityId: $c) { totalCount edges { node { community { id } } } }
        bySubdistrict: communityWorkers(subdistrictId: $s) { totalCount }
        in2019: communityWorkers(recruitedIn: 2019) { totalCount edges { node { recruitedYear recruitmentChannel person { education } } } }
        none: communityWorkers(communityId: $c, recruitedIn: 1990) { totalCount edges { node { id } } } }`,
      { c: busiest!.community_id, s: subdistrict!.subdistrict_id },
    );
    expect(errors).toBeUndefined();
    expect(data!.byCommunity.totalCount).toBe(busiest!.n);
    for (const { node } of data!.byCommunity.edges) expect(node.community.id).toBe(busiest!.community_id);
    expect(data!.bySubdistrict.totalCount).toBe(subdistrict!.n);
    expect(subdistrict!.n).toBeLessThan(51);
    // 250 recruited by public exam in 2019 at scale 1, all with a bachelor's degree or above.
    expect(data!.in2019.totalCount).toBe(recruited!.n);
    expect(recruited!.n).toBe(3);
    for (const { node } of data!.in2019.edges) {
      expect(node).toMatchObject({ recruitedYear: 2019, recruitmentChannel: 'PUBLIC_EXAM' });
      expect(['BACHELOR', 'MASTER', 'DOCTORATE']).toContain(node.person.education);
    }
    expect(data!.none).toEqual({ totalCount: 0, edges: [] });
  });

  it('rejects an impossible recruitment year', async () => {
    const { errors } = await h.query(`{ communityWorkers(recruitedIn: 20190) { totalCount } }`);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'recruitedIn' });
  });
});
