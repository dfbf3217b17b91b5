import { entitiesQuery, useSeededSubgraph } from '@gongzhi/kit/testing';
import { peopleSubgraph } from '../src/server.ts';

/** The people subgraph, seeded, on a fresh database for the calling test file. */
export const useSeededPeople = () => useSeededSubgraph(peopleSubgraph);
export const entities = entitiesQuery;
