import { electionsSubgraph } from '@gongzhi/elections';
import { fundingSubgraph } from '@gongzhi/funding';
import { organisationsSubgraph } from '@gongzhi/organisations';
import { peopleSubgraph } from '@gongzhi/people';
import type { AnySubgraphDefinition } from '@gongzhi/kit';
import { servicesSubgraph } from '@gongzhi/services';

/** Every slice of the community graph, in the order they are composed and started. */
export const subgraphs: readonly [AnySubgraphDefinition, ...AnySubgraphDefinition[]] = [
  organisationsSubgraph,
  peopleSubgraph,
  servicesSubgraph,
  fundingSubgraph,
  electionsSubgraph,
];
