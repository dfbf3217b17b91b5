import { createTestDatabase, openTestDatabase, type TestDatabase } from '@gongzhi/kit/testing';
import { buildSubgraphApollo } from '@gongzhi/kit';
import type { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll } from 'vitest';
import { createContext, type Context, type OrganisationsDatabase } from '../src/context.ts';
import { organisationsSubgraph } from '../src/server.ts';

export interface Harness {
  database: OrganisationsDatabase;
  apollo: ApolloServer<Context>;
  /** Runs one operation with a fresh per-request context; fails the test on transport errors. */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>;
}

/** A seeded organisations subgraph on a fresh database for the calling test file. */
export function useSeededOrganisations(): Harness {
  let testDatabase: TestDatabase;
  const harness = {} as Harness;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    harness.database = await openTestDatabase(organisationsSubgraph, testDatabase, { seed: true });
    harness.apollo = buildSubgraphApollo(organisationsSubgraph);
    await harness.apollo.start();
    harness.query = async (query, variables) => {
      const response = await harness.apollo.executeOperation({ query, variables }, { contextValue: createContext(harness.database) });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as never;
    };
  });
  afterAll(async () => {
    await harness.apollo?.stop();
    await harness.database?.close();
    await testDatabase?.drop();
  });
  return harness;
}
