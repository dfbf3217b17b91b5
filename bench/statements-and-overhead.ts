/**
 * Two quality bars of DESIGN.md section 7, measured side by side in one run on embedded PostgreSQL:
 * 1. SQL statements per gateway request do not grow with list size (10 → 1,000 items);
 * 2. the gateway's overhead is small against the subgraph work it plans (same query, direct vs gateway).
 * Run: npm run bench
 */
import { performance } from 'node:perf_hooks';
import { developmentToken, readSupergraph, serveGateway } from '@gongzhi/gateway';
import { defaultSupergraphPath } from '@gongzhi/gateway/env';
import { gatewayCredential, serveTestSubgraph } from '@gongzhi/kit/testing';
import { subgraphs } from '../scripts/subgraphs.ts';

const all: Awaited<ReturnType<typeof serveTestSubgraph>>[] = [];
for (const definition of subgraphs) all.push(await serveTestSubgraph(definition));
const subgraph = all[0]!;
const gateway = await serveGateway({
  supergraphSdl: readSupergraph(defaultSupergraphPath),
  subgraphUrls: Object.fromEntries(subgraphs.map((definition, i) => [definition.name, all[i]!.url])),
  port: 0,
  host: '127.0.0.1',
});

// As an admin through the gateway, and with the gateway's credential straight to a subgraph.
const asAdmin = { authorization: `Bearer ${await developmentToken({ role: 'admin' })}` };
const asGateway = await gatewayCredential();

async function post(url: string, query: string, variables: Record<string, unknown>) {
  const headers = { 'content-type': 'application/json', ...(url === gateway.url ? asAdmin : asGateway) };
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const statementTotal = () => all.reduce((sum, s) => sum + s.database.statementCount(), 0);

/** Statements sent by every slice's database while the gateway answers one request. */
async function statements(query: string, variables: Record<string, unknown>, count: (data: any) => number) {
  const before = statementTotal();
  const data = await post(gateway.url, query, variables);
  return { items: count(data), statements: statementTotal() - before };
}

const postsQuery = `query($n: Int) { organisations(kind: WORKSTATION, first: $n) { edges { node { name community { name subdistrict { name } }
  posts { role gridArea { name } building { name households } } } } } }`;
const countPosts = (data: any) => data.organisations.edges.reduce((sum: number, e: any) => sum + e.node.posts.length, 0);
const communitiesQuery = `query($n: Int) { communities(first: $n) { totalCount edges { node { name subdistrict { name } residentsCommittees { name
  organisation { name } conventions { version } } partyCommittee { name posts { label } } workstation { name } organisations(first: 5) { totalCount } } } } }`;
const countCommunities = (data: any) => data.communities.edges.length;
const acrossSlices = `query($n: Int) { communities(first: $n) { edges { node { name residentsCommittees { members { name hukou
  memberships { role } candidacies { votes } } } turnout { rate } population { total nonLocalShare } workersPer1000Residents
  crossAppointments { person { name } } matters(first: 3) { edges { node { stage stages { heldOn } } } }
  microProjects { edges { node { title status grants { balance { netSpent { amount } } } } } } requestResolution { medianHours }
  budget { amount { amount } } microProjectSpendPerResident } } } }`;

console.log('1. SQL statements per gateway request, by list size');
for (const [label, query, sizes, count] of [
  ['posts (with grid area and building)', postsQuery, [1, 12, 124], countPosts],
  ['communities (with trinity and nested page)', communitiesQuery, [10, 50, 124], countCommunities],
  ['communities across all five slices', acrossSlices, [10, 50, 124], countCommunities],
] as const) {
  const rows = [];
  for (const n of sizes) rows.push(await statements(query, { n }, count));
  const first = rows[0]!;
  const last = rows.at(-1)!;
  console.log(`   ${label}`);
  for (const row of rows) console.log(`     ${String(row.items).padStart(6)} items: ${row.statements} statements`);
  console.log(`     ratio ${last.items}/${first.items} items → statements ×${(last.statements / first.statements).toFixed(2)}`);
}

async function median(url: string, query: string, variables: Record<string, unknown>, runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await post(url, query, variables);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

console.log('\n2. Gateway overhead (median of 40 runs, after 10 warm-up runs each)');
for (const [label, query, variables] of [
  ['small: district name', '{ district { name } }', {}],
  ['large: 124 communities with nested fields', communitiesQuery, { n: 124 }],
] as const) {
  await median(subgraph.url, query, variables, 10);
  await median(gateway.url, query, variables, 10);
  const direct = await median(subgraph.url, query, variables, 40);
  const viaGateway = await median(gateway.url, query, variables, 40);
  console.log(
    `   ${label}: subgraph ${direct.toFixed(2)} ms, via gateway ${viaGateway.toFixed(2)} ms, ratio ×${(viaGateway / direct).toFixed(2)}`,
  );
}

await gateway.stop();
for (const served of all) await served.stop();
