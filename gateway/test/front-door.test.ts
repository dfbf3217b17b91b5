import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnySubgraphDefinition } from '@gongzhi/kit';
import { createTestDatabase, serveTestSubgraph, type TestDatabase } from '@gongzhi/kit/testing';
import { electionsSubgraph } from '@gongzhi/elections';
import { fundingSubgraph } from '@gongzhi/funding';
import { organisationsSubgraph } from '@gongzhi/organisations';
import { peopleSubgraph } from '@gongzhi/people';
import { servicesSubgraph } from '@gongzhi/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultReadRateLimits } from '../src/rate-limit.ts';
import { developmentToken, readSupergraph, serveGateway, type RunningGateway } from '../src/server.ts';
import { fragmentBomb } from './limits.test.ts';

const slices: readonly AnySubgraphDefinition[] = [
  organisationsSubgraph,
  peopleSubgraph,
  servicesSubgraph,
  fundingSubgraph,
  electionsSubgraph,
];

const supergraphSdl = readSupergraph(new URL('../../schema/supergraph.graphql', import.meta.url).pathname);

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any, ms: performance.now() - started };
}

/** What production must never show a client. */
const leaks = /select |insert |postgres|127\.0\.0\.1|localhost:|\/work\/|node_modules|\.ts:\d| {4}at \S|:\d+:\d+\)|Did you mean/i;

describe('the front door, in production mode, over the five slices', () => {
  const served: Awaited<ReturnType<typeof serveTestSubgraph>>[] = [];
  let gateway: RunningGateway;
  let admin: Record<string, string>;

  beforeAll(async () => {
    const urls: Record<string, string> = {};
    for (const definition of slices) {
      const subgraph = await serveTestSubgraph(definition);
      served.push(subgraph);
      urls[definition.name] = subgraph.url;
    }
    gateway = await serveGateway({ supergraphSdl, subgraphUrls: urls, port: 0, host: '127.0.0.1', production: true });
    admin = { authorization: `Bearer ${await developmentToken({ role: 'admin' })}` };
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const subgraph of served) await subgraph.stop();
  });

  it('refuses the fragment bomb at once, and stays healthy', async () => {
    const { status, body } = await post(gateway.url, { query: fragmentBomb(8) });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('MAX_FIELDS_LIMIT');
    expect((await fetch(`${new URL(gateway.url).origin}/healthz`)).status).toBe(200);
  });

  it('refuses alias and cost bombs before planning, with the estimate and the budget', async () => {
    const requests = (n: number) =>
      Array.from({ length: n }, (_, i) => `r${i}: serviceRequests(first: 500) { totalCount edges { node { id description } } }`).join(' ');
    const huge = await post(gateway.url, { query: `{ ${requests(2_000)} }` });
    expect(huge.status).toBe(413);
    expect(huge.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const aliases = await post(gateway.url, { query: `{ ${requests(200)} }` });
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors[0].extensions.code).toBe('MAX_ALIASES_LIMIT');
    const costly = await post(gateway.url, { query: `{ ${requests(40)} }` });
    expect(costly.status).toBe(400);
    expect(costly.body.errors[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', budget: 10_000 });
    expect(costly.body.errors[0].extensions.cost).toBeGreaterThan(40 * 500);
    let nested = 'id';
    for (let i = 0; i < 3; i++) nested = `serviceRequests(first: 500) { edges { node { community { ${nested} } } } }`;
    const deep = await post(gateway.url, { query: `{ ${nested} }` }, admin);
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', budget: 100_000 });
    const populations = Array.from({ length: 5_000 }, (_, i) => `d${i}: district { population(year: 2019) { total } }`).join(' ');
    const flood = await post(gateway.url, { query: `{ ${populations} }` });
    expect(flood.status).toBe(413);
  });

  it('reports the estimated cost of what it runs', async () => {
    const { status, body } = await post(gateway.url, { query: '{ district { name subdistricts { name communities { totalCount } } } }' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.extensions.cost).toEqual({ estimated: expect.any(Number), budget: 10_000 });
    expect(body.extensions.cost.estimated).toBeGreaterThan(10);
  });

  it('refuses bad argument values as BAD_USER_INPUT naming the argument, before any slice sees them', async () => {
    const cases: [string, string][] = [
      ['{ community(id: "\\u0000") { id } }', 'id'],
      ['{ subdistricts(asOf: "0000-01-01") { name } }', 'asOf'],
      ['{ subdistricts(asOf: "2019-13-45") { name } }', 'asOf'],
      [`{ people(search: "${'张'.repeat(5_000)}") { totalCount } }`, 'search'],
    ];
    for (const [query, argument] of cases) {
      const { status, body } = await post(gateway.url, { query }, admin);
      expect(status, query.slice(0, 60)).toBe(400);
      expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(JSON.stringify(body)).not.toMatch(leaks);
    }
    const variable = await post(gateway.url, { query: 'query($id: ID!) { community(id: $id) { id } }', variables: { id: 'com-\u0000' } });
    expect(variable.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'id' });
  });

  it('gives no field suggestions and no internals in production', async () => {
    const { status, body } = await post(gateway.url, { query: '{ person(id: "x") { idNumbe } }' }, admin);
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(body)).not.toMatch(leaks);
    const forged = await post(gateway.url, { query: '{ communities(after: "bm90LWEtY3Vyc29y") { totalCount } }' });
    expect(forged.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(forged.body)).not.toMatch(leaks);
  });

  it('takes media types in any case, refuses batches and mismatched persisted-query hashes as client errors', async () => {
    const upper = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'APPLICATION/JSON' },
      body: JSON.stringify({ query: '{ district { name } }' }),
    });
    expect(upper.status).toBe(200);
    expect(((await upper.json()) as any).data.district.name).toBeTruthy();
    const batch = await post(gateway.url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batch.status).toBe(400);
    expect(batch.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    const query = '{ district { name } }';
    const wrong = await post(gateway.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const right = await post(gateway.url, {
      query,
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } },
    });
    expect(right.status).toBe(200);
  });
});

describe('read rate limits, counted in PostgreSQL', () => {
  let database: TestDatabase;
  const gateways: RunningGateway[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    // Two instances on one database share the count; embedded PostgreSQL (in memory) has one instance.
    for (let i = 0; i < (database.url ? 2 : 1); i++) {
      gateways.push(
        await serveGateway({
          supergraphSdl,
          port: 0,
          host: '127.0.0.1',
          // A day's window: a burst never straddles two windows (they start at midnight UTC).
          readRateLimits: {
            windowSeconds: 86_400,
            perWindow: { ...defaultReadRateLimits.perWindow, public: 4, analyst: 50 },
            databaseUrl: database.url,
          },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await database?.drop();
  });

  it('answers 429 with Retry-After once a caller has used its window, across instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(gateways[i % gateways.length]!.url, { query: '{ __typename }' })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await post(gateways.at(-1)!.url, { query: '{ __typename }' });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    // Another caller has its own count.
    const token = await developmentToken({ role: 'staff', subject: 'clerk-1' });
    expect((await post(gateways[0]!.url, { query: '{ __typename }' }, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('counts a burst exactly: requests of one tick share a statement, none slips through', async () => {
    const token = await developmentToken({ role: 'analyst', subject: 'analyst-burst' });
    const limit = 50;
    const burst = await Promise.all(
      Array.from({ length: limit + 20 }, () =>
        post(gateways[0]!.url, { query: '{ __typename }' }, { authorization: `Bearer ${token}` }).then((r) => r.status),
      ),
    );
    expect(burst.filter((status) => status === 200)).toHaveLength(limit);
    expect(burst.filter((status) => status === 429)).toHaveLength(20);
  });
});

describe('a subgraph that sends its headers and then stalls', () => {
  let stalled: Server;
  let url: string;
  beforeAll(async () => {
    stalled = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":');
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    stalled.closeAllConnections();
    await new Promise((resolve) => stalled.close(resolve));
  });

  it('is SUBGRAPH_UNAVAILABLE naming it, within the subgraph budget', async () => {
    const gateway = await serveGateway({
      supergraphSdl,
      subgraphUrls: { organisations: url },
      port: 0,
      host: '127.0.0.1',
      timeoutMs: 500,
      production: true,
    });
    try {
      const { status, body, ms } = await post(gateway.url, { query: '{ district { name } }' });
      expect(status).toBe(200);
      expect(body.errors[0].extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'organisations' });
      expect(body.errors[0].message).toBe('Subgraph "organisations" did not answer within 500 ms');
      // Cut off at its budget, not left waiting: without one the call never ends.
      expect(ms).toBeLessThan(30_000);
    } finally {
      await gateway.stop();
    }
  });
});

describe('one deadline per request, down to every subgraph call', () => {
  let hung: Server;
  let url: string;
  /** Calls the hung subgraph received, and whether the gateway has hung up on each. */
  const calls: { closed: boolean }[] = [];
  beforeAll(async () => {
    hung = createServer((request) => {
      const call = { closed: false };
      calls.push(call);
      request.socket.once('close', () => (call.closed = true));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
  });

  const waitFor = async (condition: () => boolean) => {
    for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    return condition();
  };

  it('answers when the request budget runs out, and hangs up on the subgraph', async () => {
    const gateway = await serveGateway({
      supergraphSdl,
      subgraphUrls: { organisations: url },
      port: 0,
      host: '127.0.0.1',
      timeoutMs: 60_000,
      requestTimeoutMs: 300,
    });
    try {
      calls.length = 0;
      const { body, ms } = await post(gateway.url, { query: '{ district { name } }' });
      expect(body.errors[0].extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'organisations' });
      expect(body.errors[0].message).toMatch(/time budget/);
      expect(ms).toBeLessThan(30_000);
      expect(await waitFor(() => calls.length === 1 && calls[0]!.closed)).toBe(true);
    } finally {
      await gateway.stop();
    }
  });

  it('hangs up on the subgraph when its own client goes away', async () => {
    const gateway = await serveGateway({
      supergraphSdl,
      subgraphUrls: { organisations: url },
      port: 0,
      host: '127.0.0.1',
      timeoutMs: 60_000,
      requestTimeoutMs: 60_000,
    });
    try {
      calls.length = 0;
      const client = new AbortController();
      const answer = fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ district { name } }' }),
        signal: client.signal,
      });
      expect(await waitFor(() => calls.length === 1)).toBe(true);
      client.abort();
      await expect(answer).rejects.toThrow();
      expect(await waitFor(() => calls[0]!.closed)).toBe(true);
    } finally {
      await gateway.stop();
    }
  });
});
