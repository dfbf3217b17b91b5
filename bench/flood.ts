/**
 * Memory and liveness under a flood of the most expensive operations each role's budget admits: the
 * whole stack (`npm start` in production mode, one process group) must stay under 1 GiB RSS and
 * `/healthz` must answer within 1 s throughout.
 * Run: npm run bench:flood [-- --seconds 30 --connections 32]  (DATABASE_URL: a server to seed a fresh database on)
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mintToken } from '@gongzhi/gateway';
import { createTestDatabase } from '@gongzhi/kit/testing';
import { startProduction } from '../test/hostile/stack.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '32' },
    scale: { type: 'string', default: '0.02' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const database = await createTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-flood-'));
// Rates unlimited: this measures what the admitted work costs, not the rate limit.
const stack = await startProduction(dataDir, database.url, {
  DATASET_SCALE: values.scale,
  READ_RATE_LIMITS: 'public:0,partner:0,analyst:0,staff:0,admin:0',
});
const token = (role: 'partner' | 'analyst' | 'staff' | 'admin') =>
  mintToken(
    {
      role,
      subject: `flood-${role}`,
      organisationId: role === 'partner' ? 'org-so-001' : undefined,
      scopes: role === 'staff' ? ['read:personal'] : [],
    },
    stack.jwtSecret,
    'gongzhi',
    'gongzhi-graph',
  );

/** Each role's heaviest shapes, sized by `$n`. */
const templates: { role: 'public' | 'partner' | 'analyst' | 'staff' | 'admin'; query: string }[] = [
  {
    role: 'public',
    query:
      'query($n: Int) { communities(first: $n) { edges { node { name code organisations(first: 40) { edges { node { name kind creditCode } } } } } } }',
  },
  {
    role: 'partner',
    query:
      'query($n: Int) { grants(first: $n) { edges { node { title recipient { name } transactions { type amount { amount } } progressReports { outputs } } } } }',
  },
  {
    role: 'analyst',
    query:
      'query($n: Int) { people(first: $n) { edges { node { name gender birthYear hukou education community { name subdistrict { name } } memberships { role } } } } }',
  },
  {
    role: 'staff',
    query:
      'query($n: Int) { serviceRequests(first: $n) { edges { node { id description category status history { status at } community { name } } } } }',
  },
  {
    role: 'admin',
    query:
      'query($n: Int) { people(first: $n) { edges { node { name idNumber phone community { name residentsCommittees { name } } memberships { role organisation { name } } } } } }',
  },
  {
    role: 'admin',
    query:
      'query($n: Int) { communities(first: $n) { edges { node { name organisations(first: 50) { edges { node { name members { person { name phone } post { label } } } } } } } } }',
  },
];

async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      errors?: { extensions?: { code?: string } }[];
      extensions?: { cost?: { estimated: number; budget: number } };
    },
  };
}

/** The largest `first` the role's budget admits (at most 500, the page limit). */
async function largestAdmitted(query: string, headers: Record<string, string>): Promise<{ n: number; cost: number }> {
  let low = 1;
  let high = 500;
  let best = { n: 0, cost: 0 };
  while (low <= high) {
    const n = Math.floor((low + high) / 2);
    const { body } = await post(query, { n }, headers);
    if (body.errors?.[0]?.extensions?.code === 'COST_LIMIT_EXCEEDED') high = n - 1;
    else {
      best = { n, cost: body.extensions?.cost?.estimated ?? 0 };
      low = n + 1;
    }
  }
  return best;
}

const plans: { role: string; query: string; n: number; cost: number; headers: Record<string, string> }[] = [];
for (const template of templates) {
  const headers: Record<string, string> = template.role === 'public' ? {} : { authorization: `Bearer ${await token(template.role)}` };
  const { n, cost } = await largestAdmitted(template.query, headers);
  plans.push({ ...template, n, cost, headers });
}

/** Resident memory of every process of the stack (npm and node), in MiB. */
function stackRssMiB(): number {
  let kib = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== stack.child.pid) continue; // process group
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return kib / 1024;
}

const origin = new URL(stack.url).origin;
const stopAt = performance.now() + seconds * 1000;
let maxRss = stackRssMiB();
let maxHealthMs = 0;
let healthFailures = 0;
const statuses = new Map<string, number>();
let completed = 0;

const watcher = (async () => {
  while (performance.now() < stopAt) {
    const started = performance.now();
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) healthFailures += 1;
    } catch {
      healthFailures += 1;
    }
    maxHealthMs = Math.max(maxHealthMs, performance.now() - started);
    maxRss = Math.max(maxRss, stackRssMiB());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
})();

const workers = Array.from({ length: connections }, async (_, i) => {
  const plan = plans[i % plans.length]!;
  while (performance.now() < stopAt) {
    try {
      const { status, body } = await post(plan.query, { n: plan.n }, plan.headers);
      const key = `${plan.role} ${status}${body.errors ? ` ${body.errors[0]?.extensions?.code}` : ''}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      completed += 1;
    } catch (error) {
      statuses.set(`${plan.role} failed: ${(error as Error).message}`, (statuses.get(`${plan.role} failed`) ?? 0) + 1);
    }
  }
});
await Promise.all([watcher, ...workers]);

console.log(
  `Flood of ${connections} connections for ${seconds} s against npm start (production, ${database.url ? 'PostgreSQL server' : 'embedded'}, scale ${values.scale})`,
);
console.log('role      first   estimated cost');
for (const plan of plans) console.log(`${plan.role.padEnd(9)} ${String(plan.n).padStart(5)}   ${plan.cost}`);
console.log(`requests completed: ${completed}`);
for (const [key, count] of [...statuses].sort()) console.log(`  ${key}: ${count}`);
console.log(`largest RSS of the whole stack: ${maxRss.toFixed(0)} MiB (bar: 1024 MiB, ratio ${(maxRss / 1024).toFixed(2)})`);
console.log(
  `slowest /healthz: ${maxHealthMs.toFixed(0)} ms (bar: 1000 ms, ratio ${(maxHealthMs / 1000).toFixed(2)}), failures ${healthFailures}`,
);

process.kill(-stack.child.pid!, 'SIGINT');
await new Promise((resolve) => stack.child.on('close', resolve));
await database.drop();
rmSync(dataDir, { recursive: true, force: true });
