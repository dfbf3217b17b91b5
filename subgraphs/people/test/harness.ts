import { createTestDatabase, openTestDatabase, type TestDatabase } from '@gongzhi/kit/testing';
import { buildSubgraphApollo } from '@gongzhi/kit';
import type { ApolloServer } from '@apollo/server';
import type { SQL } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { createContext, type Context, type PeopleDatabase } from '../src/context.ts';
import { peopleSubgraph } from '../src/server.ts';

export interface Harness {
  database: PeopleDatabase;
  apollo: ApolloServer<Context>;
  /** Runs one operation with a fresh per-request context; fails the test on transport errors. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>;
  /** Rows of a raw SQL statement, on either driver: the tests' hand computations against the database. */
  rows<T = Record<string, any>>(query: SQL): Promise<T[]>;
}

/** An `_entities` operation selecting `selection` on `typename`. */
export const entities = (typename: string, selection: string) =>
  `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;

/** A seeded people subgraph on a fresh database for the calling test file. */
export function useSeededPeople(): Harness {
  let testDatabase: TestDatabase;
  const harness = {} as Harness;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    harness.database = await openTestDatabase(peopleSubgraph, testDatabase, { seed: true });
    harness.apollo = buildSubgraphApollo(peopleSubgraph);
    await harness.apollo.start();
    harness.query = async (query, variables) => {
      const response = await harness.apollo.executeOperation({ query, variables }, { contextValue: createContext(harness.database) });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as never;
    };
    harness.rows = async (query) => {
      const result = await harness.database.db.execute(query);
      return ((result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as never;
    };
  });
  afterAll(async () => {
    await harness.apollo?.stop();
    await harness.database?.close();
    await testDatabase?.drop();
  });
  return harness;
}
