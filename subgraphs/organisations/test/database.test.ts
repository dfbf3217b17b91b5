import { sql } from 'drizzle-orm';
import { openDatabase, serveSubgraph } from '@gongzhi/kit';
import { createTestDatabase, migrationFiles, type TestDatabase } from '@gongzhi/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationsSubgraph } from '../src/server.ts';
import { seedStructure } from '../src/db/seed.ts';

let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
});
afterAll(async () => {
  await testDatabase?.drop();
});

const open = () => openDatabase({ name: 'organisations', schema: organisationsSubgraph.dbSchema, url: testDatabase.url, poolMax: 2 });

describe('migrations', () => {
  it('apply once, keep their own table in the slice schema, and are a no-op the second time', async () => {
    const database = await open();
    try {
      await database.migrate(organisationsSubgraph.migrationsFolder);
      await database.migrate(organisationsSubgraph.migrationsFolder);
      const applied = await database.rows<{ n: number }>(sql`select count(*)::int as n from organisations.__migrations`);
      expect(applied[0]!.n).toBe(migrationFiles(organisationsSubgraph.migrationsFolder));
      const schemas = (await database.rows<{ schema: string }>(sql`select distinct table_schema as schema from information_schema.tables
          where table_schema not in ('pg_catalog', 'information_schema')`)).map((row) => row.schema);
      expect(schemas).toEqual(['organisations']);
    } finally {
      await database.close();
    }
  });

  it('seed only an empty slice, so restarts never duplicate data', async () => {
    const database = await open();
    try {
      await database.migrate(organisationsSubgraph.migrationsFolder);
      expect(await seedStructure(database)).toBe(true);
      expect(await seedStructure(database)).toBe(false);
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
    const running = await serveSubgraph(organisationsSubgraph, database, { port: 0, host: '127.0.0.1' });
    const origin = new URL(running.url).origin;
    try {
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      expect((await fetch(`${origin}/nowhere`)).status).toBe(404);
      const huge = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ district { name } }`, padding: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      const ok = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
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
