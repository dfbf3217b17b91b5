import { createTestDatabase, openTestDatabase, type TestDatabase } from '@gongzhi/kit/testing';
import { buildSubgraphApollo } from '@gongzhi/kit';
import type { ApolloServer } from '@apollo/server';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { createContext, type Context, type ElectionsDatabase } from '../src/context.ts';
import { electionsSubgraph } from '../src/server.ts';

export interface Harness {
  database: ElectionsDatabase;
  apollo: ApolloServer<Context>;
  /** Runs one operation with a fresh per-request context; fails the test on transport errors. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>;
  /** Rows of a raw SQL statement, the same on PGlite and postgres.js. */
  rows<T>(statement: SQL): Promise<T[]>;
  /** The first row of a raw SQL statement; fails the test when there is none. */
  one<T>(statement: SQL): Promise<T>;
}

/** A seeded elections subgraph on a fresh database for the calling test file. */
export function useSeededElections(): Harness {
  let testDatabase: TestDatabase;
  const harness = {} as Harness;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    harness.database = await openTestDatabase(electionsSubgraph, testDatabase, { seed: true });
    harness.apollo = buildSubgraphApollo(electionsSubgraph);
    await harness.apollo.start();
    harness.query = async (query, variables) => {
      const response = await harness.apollo.executeOperation({ query, variables }, { contextValue: createContext(harness.database) });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as never;
    };
    harness.rows = async <T>(statement: SQL) => {
      const result = await harness.database.db.execute(statement);
      return ((result as { rows?: T[] }).rows ?? (result as unknown as T[])) as T[];
    };
    harness.one = async <T>(statement: SQL) => {
      const [row] = await harness.rows<T>(statement);
      if (row === undefined) throw new Error('the statement returned no row');
      return row;
    };
  });
  afterAll(async () => {
    await harness.apollo?.stop();
    await harness.database?.close();
    await testDatabase?.drop();
  });
  return harness;
}

export { sql };
