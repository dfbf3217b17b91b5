import { useSeededSubgraph } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { electionsSubgraph } from '../src/server.ts';

/** The elections subgraph, seeded, on a fresh database for the calling test file. */
export const useSeededElections = () => useSeededSubgraph(electionsSubgraph);
export { sql };
