import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from './db.ts';
import { serveSubgraph, type SubgraphDefinition } from './subgraph.ts';
import type { BaseContext } from '@apollo/server';

/**
 * A fresh database for one test file: PGlite in memory by default; with DATABASE_URL set, a new database
 * created on that server (and dropped by `drop()`). Either way migrated, so tests see the real schema.
 */
export interface TestDatabase {
  /** postgres:// URL of the fresh database, or undefined on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => {} };
  const name = `gongzhi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

/** Opens and migrates one subgraph's database inside a test database, seeded when `seed` is true. */
export async function openTestDatabase<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
  testDatabase: TestDatabase,
  options: { seed?: boolean } = {},
): Promise<Database<TSchema>> {
  const database = await openDatabase({
    name: definition.name,
    schema: definition.dbSchema,
    url: testDatabase.url,
    poolMax: 4,
  });
  await database.migrate(definition.migrationsFolder);
  if (options.seed && definition.seed) await definition.seed(database);
  return database;
}

/** A seeded subgraph served over HTTP on a free loopback port, on its own fresh test database. */
export async function serveTestSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
): Promise<{ url: string; database: Database<TSchema>; stop(): Promise<void> }> {
  const testDatabase = await createTestDatabase();
  const database = await openTestDatabase(definition, testDatabase, { seed: true });
  const running = await serveSubgraph(definition, database, { port: 0, host: '127.0.0.1' });
  return {
    url: running.url,
    database,
    stop: async () => {
      await running.stop();
      await database.close();
      await testDatabase.drop();
    },
  };
}
