import { entitiesQuery, useSeededSubgraph } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { fundingSubgraph } from '../src/server.ts';

/** The funding subgraph, seeded, on a fresh database for the calling test file. */
export const useSeededFunding = () => useSeededSubgraph(fundingSubgraph);
export const entities = entitiesQuery;
export { sql };
