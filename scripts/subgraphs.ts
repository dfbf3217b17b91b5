import { electionsSubgraph } from '@gongzhi/elections';
import { organisationsSubgraph } from '@gongzhi/organisations';
import { peopleSubgraph } from '@gongzhi/people';

/** Every slice of the community graph, in the order they are composed and started. */
export const subgraphs = [organisationsSubgraph, peopleSubgraph, electionsSubgraph] as const;
