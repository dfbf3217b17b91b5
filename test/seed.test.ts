import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../scripts/subgraphs.ts';
import { createSeedTarget, runSeed, serveSeededGraph, tableChecksums, withSlices, type SeedTarget } from './seeded-graph.ts';

/** Small enough for every test run; the structure is whole at any scale. */
const scale = '0.002';
const targets: SeedTarget[] = [];
const newTarget = async () => {
  const target = await createSeedTarget();
  targets.push(target);
  return target;
};
const checksumsOf = (target: SeedTarget) => withSlices(target, tableChecksums);

/** The dataset of the default seed at this scale: what the determinism and consistency tests read. */
let seeded: SeedTarget;
beforeAll(async () => {
  seeded = await newTarget();
  const run = await runSeed(seeded, ['--scale', scale]);
  if (run.code !== 0) throw new Error(`npm run seed failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
}, 300_000);
afterAll(async () => {
  for (const target of targets) await target.drop();
}, 120_000);

describe('npm run seed', () => {
  it('refuses bad arguments with a usage line before touching any database', async () => {
    const target = await newTarget();
    for (const args of [
      ['--scale', '0'],
      ['--scale', '2'],
      ['--scale', 'lots', '--seed', '1.5'],
      ['--seed', '-1'],
      ['--sale', '1'],
    ]) {
      const run = await runSeed(target, args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toContain('usage: npm run seed --');
      expect(run.stdout, args.join(' ')).not.toContain('Seeding');
    }
    expect(await target.untouched()).toBe(true);
  }, 120_000);

  it('writes byte-identical data for the same scale and seed, other data for another seed, and replaces what was there', async () => {
    const first = await checksumsOf(seeded);
    // Every table of every slice is covered, and every table of the dataset holds rows (what mutations
    // write, the audit log and idempotency keys, starts empty).
    const operational = /\.(audit_log|idempotency_keys|submission_windows)$/;
    for (const { name } of subgraphs) expect(Object.keys(first).some((table) => table.startsWith(`${name}.`))).toBe(true);
    expect(
      Object.entries(first)
        .filter(([table, sum]) => sum.startsWith('0:') && !operational.test(table))
        .map(([table]) => table),
    ).toEqual([]);

    const other = await newTarget();
    expect((await runSeed(other, ['--scale', scale, '--seed', '7'])).code).toBe(0);
    const otherSums = await checksumsOf(other);
    expect(otherSums['people.persons']).not.toBe(first['people.persons']);
    expect(otherSums['elections.voter_registrations']).not.toBe(first['elections.voter_registrations']);

    // Seeding it again with the default seed replaces its data with exactly the first dataset.
    const again = await runSeed(other, ['--scale', scale, '--seed', '2019']);
    expect(again.code).toBe(0);
    expect(await checksumsOf(other)).toEqual(first);
  }, 300_000);
});

describe('the seeded graph holds together (through the gateway)', () => {
  let graph: Awaited<ReturnType<typeof serveSeededGraph>>;
  beforeAll(async () => {
    graph = await serveSeededGraph(seeded);
  }, 300_000);
  afterAll(async () => graph?.stop());

  /**
   * Every node of a root connection, page by page (the query takes `$after`). Pages are sized so each
   * request fits an admin's cost budget: nested pages count at the size asked for, not the size found.
   */
  const everything = async (query: string, field: string) => {
    const nodes: any[] = [];
    let after: string | null = null;
    do {
      const data: any = await graph.query(query, { after });
      nodes.push(...data[field].edges.map((edge: any) => edge.node));
      after = data[field].pageInfo.hasNextPage ? data[field].pageInfo.endCursor : null;
    } while (after);
    return nodes;
  };
  const named = (value: { name?: string; title?: string; label?: string } | null | undefined) =>
    typeof value === 'object' && value !== null && (value.name ?? value.title ?? value.label ?? '').length > 0;

  it('resolves every reference from one slice to another: no dangling id anywhere', async () => {
    const elections = await everything(
      `query($after: String) { elections(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        residentsCommittee { name } community { name } subdistrict { name }
        candidacies { person { name } } registrations(first: 500) { totalCount edges { node { person { name } } } } } } } }`,
      'elections',
    );
    expect(elections.length).toBeGreaterThan(140);
    for (const e of elections) {
      expect([e.residentsCommittee, e.community, e.subdistrict, ...e.candidacies.map((c: any) => c.person)].every(named)).toBe(true);
      expect(e.registrations.edges.length).toBe(e.registrations.totalCount);
      expect(e.registrations.edges.every((r: any) => named(r.node.person))).toBe(true);
    }

    const organisations = await everything(
      `query($after: String) { organisations(first: 250, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        name community { name } members { person { name community { name } } post { label } } } } } }`,
      'organisations',
    );
    const memberships = organisations.flatMap((o) => o.members);
    expect(memberships.length).toBeGreaterThan(1000);
    expect(memberships.every((m: any) => named(m.person) && named(m.person.community) && named(m.post))).toBe(true);

    const workers = await everything(
      `query($after: String) { communityWorkers(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        person { name } community { name } } } } }`,
      'communityWorkers',
    );
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((w) => named(w.person) && named(w.community))).toBe(true);

    const projects = await everything(
      `query($after: String) { microProjects(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        title proposer { name } community { name } subdistrict { name } evaluations { evaluator { name } } grants { title } } } } }`,
      'microProjects',
    );
    expect(
      projects.every(
        (p) => named(p.proposer) && named(p.community) && named(p.subdistrict) && p.evaluations.every((e: any) => named(e.evaluator)),
      ),
    ).toBe(true);
    expect(projects.some((p) => p.grants.length > 0)).toBe(true);

    const grants = await everything(
      `query($after: String) { grants(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        title programme { name fund { holder { name } } } funder { name } recipient { name } implementer { name }
        beneficiaryCommunity { name } microProject { title } } } } }`,
      'grants',
    );
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) {
      expect([g.programme, g.programme.fund.holder, g.funder, g.recipient, g.implementer, g.beneficiaryCommunity].every(named)).toBe(true);
      if (g.microProject !== null) expect(named(g.microProject)).toBe(true);
    }

    const communities = await everything(
      `query($after: String) { communities(first: 15, after: $after) { pageInfo { hasNextPage endCursor } edges { node { name
      services { provider { name } } events(first: 500) { edges { node { organiser { name } } } }
      deputies { person { name } } volunteers(first: 500) { edges { node { person { name } } } }
      matters(first: 500) { edges { node { residentsCommittee { name } } } } } } } }`,
      'communities',
    );
    expect(communities).toHaveLength(124);
    for (const node of communities) {
      expect(node.services.every((s: any) => named(s.provider))).toBe(true);
      expect(node.events.edges.every((e: any) => named(e.node.organiser))).toBe(true);
      expect(node.deputies.every((d: any) => named(d.person))).toBe(true);
      expect(node.volunteers.edges.every((v: any) => named(v.node.person))).toBe(true);
      expect(node.matters.edges.length).toBeGreaterThan(0);
      expect(node.matters.edges.every((m: any) => named(m.node.residentsCommittee))).toBe(true);
    }
  }, 300_000);

  it('never lets a grant balance go negative nor a turnout exceed 1', async () => {
    const grants = await everything(
      `query($after: String) { grants(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        amountAwarded { amount } balance { committed { amount } disbursed { amount } spent { amount } refunded { amount } netSpent { amount } undisbursed { amount } } } } } }`,
      'grants',
    );
    for (const { amountAwarded, balance } of grants) {
      const [committed, disbursed, spent, refunded] = [balance.committed, balance.disbursed, balance.spent, balance.refunded].map(
        (m) => m.amount,
      );
      expect(committed).toBeLessThanOrEqual(amountAwarded.amount);
      expect(committed >= disbursed && disbursed >= spent && spent >= refunded && refunded >= 0).toBe(true);
      expect(balance.netSpent.amount).toBeGreaterThanOrEqual(0);
      expect(balance.undisbursed.amount).toBeGreaterThanOrEqual(0);
    }
    const elections = await everything(
      `query($after: String) { elections(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
        turnout result { registered participated ballotsCast ballotsValid turnout } candidacies { votes } seats } } } }`,
      'elections',
    );
    for (const e of elections) {
      if (e.result === null) continue;
      expect(e.turnout).toBeLessThanOrEqual(1);
      expect(e.result.participated).toBeLessThanOrEqual(e.result.registered);
      const votes = e.candidacies.reduce((sum: number, c: any) => sum + (c.votes ?? 0), 0);
      expect(votes).toBeLessThanOrEqual(e.seats * e.result.ballotsValid);
    }
    const { district, subdistricts } = await graph.query(
      `{ district { turnout(year: 2017) { rate } } subdistricts { turnout(year: 2017) { rate } } }`,
    );
    expect(district.turnout.rate).toBeLessThanOrEqual(1);
    for (const s of subdistricts) expect(s.turnout.rate).toBeLessThanOrEqual(1);
  }, 300_000);
});
