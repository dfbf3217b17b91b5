/**
 * What a refusal costs the server (DESIGN.md section 7: hostile queries "cost the server little"): for each
 * category of test/hostile/generate.ts, the refused request that costs the most CPU, against a plain
 * `{ __typename }`, measured side by side in one run. Gateway (production mode) and the five subgraphs run
 * in this process on embedded PostgreSQL, so process.cpuUsage() sees all of their work (and the client's,
 * the same small share for every row).
 * Run: npm run bench:refusals
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { developmentToken, readSupergraph, serveGateway } from '@gongzhi/gateway';
import { defaultSupergraphPath } from '@gongzhi/gateway/env';
import { serveTestSubgraph } from '@gongzhi/kit/testing';
import { categories, generate, type HostileRequest } from '../test/hostile/generate.ts';
import { send } from '../test/hostile/run.ts';
import { subgraphs } from '../scripts/subgraphs.ts';

const served: Awaited<ReturnType<typeof serveTestSubgraph>>[] = [];
for (const definition of subgraphs) served.push(await serveTestSubgraph(definition));
const gateway = await serveGateway({
  supergraphSdl: readSupergraph(defaultSupergraphPath),
  subgraphUrls: Object.fromEntries(subgraphs.map((definition, i) => [definition.name, served[i]!.url])),
  port: 0,
  host: '127.0.0.1',
  production: true,
});
const origin = new URL(gateway.url).origin;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

const tokens = {
  partner: await developmentToken({ role: 'partner', organisationId: 'bench-partner' }),
  analyst: await developmentToken({ role: 'analyst' }),
  staff: await developmentToken({ role: 'staff', scopes: ['read:personal', 'write:services'] }),
  admin: await developmentToken({ role: 'admin' }),
};
const requests = generate({ tokens });

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU and wall time per request over sequential sends: at least `min`, until `budgetMs` or `max`. */
async function measure(request: HostileRequest, { min = 5, max = 300, budgetMs = 2_000 } = {}) {
  const cpuBefore = cpuMs();
  const started = performance.now();
  let n = 0;
  let last: Awaited<ReturnType<typeof send>> | undefined;
  while (n < min || (n < max && performance.now() - started < budgetMs)) {
    last = await send(origin, request, agent, 10_000);
    n++;
  }
  return { cpu: (cpuMs() - cpuBefore) / n, wall: (performance.now() - started) / n, n, status: last!.status, text: last!.text };
}

const refusedStatus = (status: number | null) => status !== null && status >= 400 && status < 500 && status !== 429;
const codeOf = (text: string) => /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? '-';
const bytes = (request: HostileRequest) =>
  request.body === undefined ? Buffer.byteLength(request.search ?? '') : Buffer.byteLength(request.body);

const baseline: HostileRequest = {
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  body: '{"query":"{ __typename }"}',
  category: 'malformed',
  label: '{ __typename }',
  caller: 'public',
  expect: { kind: 'accepted' },
};
for (let i = 0; i < 500; i++) await send(origin, baseline, agent, 10_000); // warm-up: plan cache, JIT
const before = await measure(baseline, { min: 200, max: 1_000 });

console.log('CPU to refuse the costliest refused request of each category, against { __typename }');
console.log(
  '(candidates: the 20 largest distinct requests of the category and about 40 more; the five costliest refused in one send are sent again, and the costliest of those is measured)\n',
);
const rows: { cells: string[]; cpu?: number }[] = [];
for (const category of categories) {
  const distinct = new Map<string, HostileRequest>();
  for (const request of requests.filter((r) => r.category === category)) distinct.set(`${request.label}|${request.caller}`, request);
  const ordered = [...distinct.values()].sort((a, b) => bytes(b) - bytes(a));
  const candidates = [
    ...ordered.slice(0, 20),
    ...ordered.slice(20).filter((_, i, all) => i % Math.max(1, Math.ceil(all.length / 40)) === 0),
  ];
  // One send each to find the refused ones and rank them; the five costliest again, a few times each.
  const refused: { request: HostileRequest; cpu: number }[] = [];
  for (const request of candidates) {
    const cpuBefore = cpuMs();
    const outcome = await send(origin, request, agent, 10_000);
    const cpu = cpuMs() - cpuBefore;
    if (refusedStatus(outcome.status)) refused.push({ request, cpu });
  }
  let worst: { request: HostileRequest; cpu: number } | undefined;
  for (const { request } of refused.sort((a, b) => b.cpu - a.cpu).slice(0, 5)) {
    const { cpu } = await measure(request, { min: 10, max: 100, budgetMs: 400 });
    if (!worst || cpu > worst.cpu) worst = { request, cpu };
  }
  if (!worst) {
    rows.push({ cells: [category, '(none of the candidates was refused)', '', '', '', '', '', ''] });
    continue;
  }
  const result = await measure(worst.request);
  rows.push({
    cells: [
      category,
      `[${worst.request.caller}] ${worst.request.label}`.replace(/\p{M}/gu, '').slice(0, 70),
      String(result.status ?? '-'),
      codeOf(result.text),
      `${(bytes(worst.request) / 1024).toFixed(1)} KiB`,
      `${result.cpu.toFixed(2)} ms`,
      '',
      `${result.wall.toFixed(2)} ms (n=${result.n})`,
    ],
    cpu: result.cpu,
  });
}
const after = await measure(baseline, { min: 200, max: 1_000 });

const header = ['category', 'costliest refused request', 'status', 'code', 'body', 'CPU/request', 'vs __typename', 'wall/request'];
// The baseline is measured before and after the rows; their mean is the unit.
const unit = (before.cpu + after.cpu) / 2;
const all = [
  header,
  [
    'baseline',
    '{ __typename } (before / after)',
    '200',
    '-',
    '0.0 KiB',
    `${before.cpu.toFixed(2)} / ${after.cpu.toFixed(2)} ms`,
    '×1.0',
    `${before.wall.toFixed(2)} ms`,
  ],
  ...rows.map(({ cells, cpu }) => cells.map((cell, i) => (i === 6 && cpu !== undefined ? `×${(cpu / unit).toFixed(1)}` : cell))),
];
const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
for (const row of all) console.log(row.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join('  '));

agent.destroy();
await gateway.stop();
for (const subgraph of served) await subgraph.stop();
