import { sql } from 'drizzle-orm';
import { seedIfEmpty, serveSubgraph } from '@gongzhi/kit';
import { gatewayCredential, testSubgraphSecret, useFreshDatabase } from '@gongzhi/kit/testing';
import { describe, expect, it } from 'vitest';
import { organisationsSubgraph } from '../src/server.ts';
import { structureSeed } from '../src/db/seed.ts';

const { open } = useFreshDatabase(organisationsSubgraph);

describe('seed', () => {
  it('seed only an empty slice, so restarts never duplicate data', async () => {
    const database = await open();
    try {
      await database.migrate(organisationsSubgraph.migrationsFolder);
      expect(await seedIfEmpty(database, structureSeed, {})).toBe(true);
      expect(await seedIfEmpty(database, structureSeed, {})).toBe(false);
      const count = await database.rows<{ n: number }>(sql`select count(*)::int as n from organisations.communities`);
      expect(count[0]!.n).toBe(124);
    } finally {
      await database.close();
    }
  });
});

describe('subgraph HTTP service', () => {
  it('answers health, readiness, unknown paths and oversize bodies, and is unready once its database is gone', async () => {
    const database = await open();
    await database.migrate(organisationsSubgraph.migrationsFolder);
    const running = await serveSubgraph(organisationsSubgraph, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
    const origin = new URL(running.url).origin;
    try {
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      expect((await fetch(`${origin}/nowhere`)).status).toBe(404);
      const huge = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await gatewayCredential()) },
        body: JSON.stringify({ query: `{ district { name } }`, padding: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      const ok = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await gatewayCredential()) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
      await database.close();
      const unready = await fetch(`${origin}/readyz`);
      expect(unready.status).toBe(503);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    } finally {
      await running.stop();
      await database.close();
    }
  });
});
