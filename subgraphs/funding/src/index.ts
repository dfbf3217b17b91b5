import { runSubgraph } from '@gongzhi/kit';
import { fundingSubgraph } from './server.ts';

await runSubgraph(fundingSubgraph);
