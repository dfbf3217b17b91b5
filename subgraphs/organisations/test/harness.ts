import { useSeededSubgraph } from '@gongzhi/kit/testing';
import { organisationsSubgraph } from '../src/server.ts';

/** The organisations subgraph, seeded, on a fresh database for the calling test file. */
export const useSeededOrganisations = () => useSeededSubgraph(organisationsSubgraph);
