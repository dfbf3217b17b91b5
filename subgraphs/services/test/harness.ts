import { useSeededSubgraph } from '@gongzhi/kit/testing';
import { sql } from 'drizzle-orm';
import { servicesSubgraph } from '../src/server.ts';

/** The services subgraph, seeded, on a fresh database for the calling test file. */
export const useSeededServices = () => useSeededSubgraph(servicesSubgraph);
export { sql };
