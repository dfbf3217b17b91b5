import { organisationsSubgraph } from '@gongzhi/organisations';

/** Every slice of the community graph, in the order they are composed and started. */
export const subgraphs = [organisationsSubgraph] as const;
