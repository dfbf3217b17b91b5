import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnySubgraphDefinition } from '@gongzhi/kit';
import { serveTestSubgraph } from '@gongzhi/kit/testing';
import { electionsSubgraph } from '@gongzhi/elections';
import { fundingSubgraph } from '@gongzhi/funding';
import { organisationsSubgraph } from '@gongzhi/organisations';
import { peopleSubgraph } from '@gongzhi/people';
import { servicesSubgraph } from '@gongzhi/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraph, serveGateway, type RunningGateway } from '../src/server.ts';

const slices: readonly AnySubgraphDefinition[] = [
  organisationsSubgraph,
  peopleSubgraph,
  servicesSubgraph,
  fundingSubgraph,
  electionsSubgraph,
];

const supergraphSdl = readSupergraph(new URL('../../schema/supergraph.graphql', import.meta.url).pathname);

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('gateway over the subgraphs', () => {
  const served: Awaited<ReturnType<typeof serveTestSubgraph>>[] = [];
  let gateway: RunningGateway;

  beforeAll(async () => {
    const urls: Record<string, string> = {};
    for (const definition of slices) {
      const subgraph = await serveTestSubgraph(definition);
      served.push(subgraph);
      urls[definition.name] = subgraph.url;
    }
    gateway = await serveGateway({ supergraphSdl, subgraphUrls: urls, port: 0, host: '127.0.0.1', timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const subgraph of served) await subgraph.stop();
  });

  it('answers the district query: 10 sub-districts summing to 124 communities', async () => {
    const { status, body } = await post(gateway.url, { query: '{ district { name subdistricts { name communities { totalCount } } } }' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.district.subdistricts).toHaveLength(10);
    expect(body.data.district.subdistricts.reduce((sum: number, s: any) => sum + s.communities.totalCount, 0)).toBe(124);
  });

  it('pages through all communities with cursors, in code order, without repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { body } = await post(gateway.url, {
        query:
          'query($after: String) { communities(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }',
        variables: { after },
      });
      expect(body.errors).toBeUndefined();
      seen.push(...body.data.communities.edges.map((e: any) => e.node.code));
      if (!body.data.communities.pageInfo.hasNextPage) break;
      after = body.data.communities.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(124);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(124);
  });

  it('rejects a page size over the limit and a forged cursor with BAD_USER_INPUT', async () => {
    const tooMany = await post(gateway.url, { query: '{ communities(first: 100000) { totalCount } }' });
    expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const forged = await post(gateway.url, { query: '{ communities(after: "bm90LWEtY3Vyc29y") { totalCount } }' });
    expect(forged.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(forged.body.errors[0].message).toMatch(/cursor/);
  });

  it('reports malformed requests as client errors, not server errors', async () => {
    const syntax = await post(gateway.url, { query: '{ district { name ' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await post(gateway.url, { query: '{ district { population } }' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const notJson = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
  });

  it('answers with partial data and an error naming the slice when one subgraph is dead', async () => {
    const urls = Object.fromEntries(
      Object.entries(gateway.subgraphs).map(([name, url]) => [name, name === 'people' ? 'http://127.0.0.1:9/graphql' : url]),
    );
    const degraded = await serveGateway({ supergraphSdl, subgraphUrls: urls, port: 0, host: '127.0.0.1', timeoutMs: 2_000 });
    try {
      const { status, body } = await post(degraded.url, {
        query: '{ community(code: "440306001001") { name turnout { rate } population { total } } }',
      });
      expect(status).toBe(200);
      expect(body.data.community.name).toMatch(/社区$/);
      expect(body.data.community.turnout.rate).toBeGreaterThan(0.5);
      expect(body.data.community.population).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'people' });
    } finally {
      await degraded.stop();
    }
  });

  it('refuses an operation nested deeper than the limit, fragments included, before any subgraph is called', async () => {
    const deep = `{ community(code: "440306001001") { ${'partyCommittee { community { '.repeat(8)}name${' } }'.repeat(8)} } }`;
    const { status, body } = await post(gateway.url, { query: deep });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('MAX_DEPTH_LIMIT');
    expect(body.errors[0].message).toMatch(/at most 15/);
    const viaFragments = `query { community(code: "440306001001") { ...a } }
      fragment a on Community { partyCommittee { community { ...b } } }
      fragment b on Community { partyCommittee { community { ...c } } }
      fragment c on Community { partyCommittee { community { ...d } } }
      fragment d on Community { partyCommittee { community { ...e } } }
      fragment e on Community { partyCommittee { community { ...f } } }
      fragment f on Community { partyCommittee { community { ...g } } }
      fragment g on Community { partyCommittee { community { ...h } } }
      fragment h on Community { partyCommittee { community { name } } }`;
    expect((await post(gateway.url, { query: viaFragments })).body.errors[0].message).toMatch(/at most 15/);
    const introspection = await post(gateway.url, {
      query:
        '{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } } } } }',
    });
    expect(introspection.status).toBe(200);
    expect(introspection.body.data.__schema.types.length).toBeGreaterThan(50);
  });

  it('is live, and ready while every subgraph is', async () => {
    const origin = new URL(gateway.url).origin;
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  });
});

describe('gateway resilience', () => {
  let hung: Server;
  let hungUrl: string;
  beforeAll(async () => {
    // Accepts connections and never answers: a subgraph stuck on a lock or a dead upstream.
    hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
  });

  it('answers within its subgraph timeout, with an error naming the hung subgraph', async () => {
    const gateway = await serveGateway({
      supergraphSdl,
      subgraphUrls: { organisations: hungUrl },
      port: 0,
      host: '127.0.0.1',
      timeoutMs: 500,
    });
    try {
      const started = Date.now();
      const { status, body } = await post(gateway.url, { query: '{ district { name } }' });
      const elapsed = Date.now() - started;
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors[0].message).toBe('Subgraph "organisations" did not answer within 500 ms');
      expect(body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'organisations' });
      expect(elapsed).toBeLessThan(5_000);
      const ready = await fetch(`${new URL(gateway.url).origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).reason).toMatch(/organisations/);
    } finally {
      await gateway.stop();
    }
  });

  it('is not ready when a subgraph is down', async () => {
    const gateway = await serveGateway({
      supergraphSdl,
      subgraphUrls: { organisations: 'http://127.0.0.1:9/graphql' },
      port: 0,
      host: '127.0.0.1',
      timeoutMs: 500,
    });
    try {
      const origin = new URL(gateway.url).origin;
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(503);
      const { body } = await post(gateway.url, { query: '{ district { name } }' });
      expect(body.errors[0].message).toMatch(/^Subgraph "organisations" is unreachable/);
      expect(body.errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    } finally {
      await gateway.stop();
    }
  });
});
