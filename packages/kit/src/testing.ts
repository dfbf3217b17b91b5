import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect } from 'vitest';
import { adminCaller, callerHeader, developmentSubgraphSecret, signCaller, type Caller } from './access.ts';
import { openDatabase, seedIfEmpty, type Database } from './db.ts';
import { buildSubgraphApollo, serveSubgraph, type SubgraphDefinition } from './subgraph.ts';

/**
 * A fresh database for one test file: PGlite in memory by default; with DATABASE_URL set, a new database
 * created on that server (and dropped by `drop()`). Either way migrated, so tests see the real schema.
 */
export interface TestDatabase {
  /** postgres:// URL of the fresh database, or undefined on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** Which PostgreSQL a test asks for: the default (the server under DATABASE_URL, else embedded), or embedded whatever is set. */
export type TestEngine = 'default' | 'embedded';

/** The engines a test that must hold on both runs on: embedded always, and the server when DATABASE_URL names one. */
export const testEngines = (): { name: string; engine: TestEngine }[] => [
  { name: 'embedded PostgreSQL', engine: 'embedded' },
  ...(process.env.DATABASE_URL ? [{ name: 'PostgreSQL server', engine: 'default' as const }] : []),
];

export async function createTestDatabase(engine: TestEngine = 'default'): Promise<TestDatabase> {
  const serverUrl = engine === 'embedded' ? undefined : process.env.DATABASE_URL;
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
    appRole: definition.appRole,
  });
  await database.migrate(definition.migrationsFolder);
  if (options.seed && definition.seed) await seedIfEmpty(database, definition.seed, {});
  return database;
}

/** The secret test subgraphs and test gateways share: the development one, the gateway's default. */
export const testSubgraphSecret = developmentSubgraphSecret;

/** Headers a request to a test subgraph needs to be taken as coming from the gateway, for `caller`. */
export async function gatewayCredential(caller: Caller = adminCaller): Promise<Record<string, string>> {
  return { [callerHeader]: await signCaller(caller, testSubgraphSecret) };
}

/** A seeded subgraph served over HTTP on a free loopback port, on its own fresh test database. */
export async function serveTestSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
  engine: TestEngine = 'default',
): Promise<{ url: string; database: Database<TSchema>; stop(): Promise<void> }> {
  const testDatabase = await createTestDatabase(engine);
  const database = await openTestDatabase(definition, testDatabase, { seed: true });
  const running = await serveSubgraph(definition, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
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

export interface OperationResult<T> {
  data?: T;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface SubgraphHarness<TSchema extends Record<string, unknown>, TContext extends BaseContext> {
  database: Database<TSchema>;
  apollo: ApolloServer<TContext>;
  /** Runs one operation with a fresh per-request context, as a request through HTTP would get (as admin unless told). */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<OperationResult<T>>;
  /** Runs one operation that must succeed: fails the test on any error, returns the data. */
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<T>;
  /** Rows of a raw SQL statement: the tests' hand computations against the database. */
  rows<T = Record<string, any>>(statement: SQL): Promise<T[]>;
  /** The first row of a raw SQL statement; fails the test when there is none. */
  one<T = Record<string, any>>(statement: SQL): Promise<T>;
}

/**
 * A seeded subgraph on a fresh database for the calling test file (created in `beforeAll`, dropped in
 * `afterAll`). One per file: a PGlite cold start costs about 2 s.
 */
export function useSeededSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
): SubgraphHarness<TSchema, TContext> {
  let testDatabase: TestDatabase | undefined;
  const harness = {
    // Defined now, not in beforeAll, so test files can keep a reference (`const ok = h.data`).
    data: async (query: string, variables?: Record<string, unknown>, caller?: Caller) => {
      const result = await harness.query(query, variables, caller);
      expect(result.errors).toBeUndefined();
      return result.data!;
    },
  } as SubgraphHarness<TSchema, TContext>;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const database = await openTestDatabase(definition, testDatabase, { seed: true });
    const apollo = buildSubgraphApollo(definition);
    await apollo.start();
    Object.assign(harness, {
      database,
      apollo,
      query: async (query: string, variables?: Record<string, unknown>, caller: Caller = adminCaller) => {
        const response = await apollo.executeOperation({ query, variables }, { contextValue: definition.createContext(database, caller) });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        return response.body.singleResult;
      },
      // Hand computations see every row, whatever row-level security shows the app role.
      rows: (statement: SQL) => database.ownerRows(statement),
      one: async (statement: SQL) => {
        const [row] = await database.ownerRows(statement);
        if (row === undefined) throw new Error('the statement returned no row');
        return row;
      },
    });
  });
  afterAll(async () => {
    await harness.apollo?.stop();
    await harness.database?.close();
    await testDatabase?.drop();
  });
  return harness;
}

/** An `_entities` operation selecting `selection` on `typename`, as the gateway sends it. */
export const entitiesQuery = (typename: string, selection: string) =>
  `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;

/** How many migrations a subgraph has committed (each a `.sql` file in its migrations folder). */
export function migrationFiles(folder: string): number {
  return readdirSync(folder).filter((name) => name.endsWith('.sql')).length;
}

/**
 * A fresh, empty database for the calling test file (created in `beforeAll`, dropped in `afterAll`);
 * `open()` connects to it as `definition`'s slice, not yet migrated.
 */
export function useFreshDatabase<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
): { open(): Promise<Database<TSchema>> } {
  let testDatabase: TestDatabase | undefined;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase?.drop();
  });
  return {
    open: () => openDatabase({ name: definition.name, schema: definition.dbSchema, url: testDatabase!.url, poolMax: 2 }),
  };
}

/** The error `run` fails with (message, driver detail, constraint name), or null when it succeeds. */
export async function refusalOf(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    const cause = (error as { cause?: { message?: string; constraint_name?: string; constraint?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ''} ${cause?.constraint_name ?? cause?.constraint ?? ''}`;
  }
}
