import { runSubgraph } from '@gongzhi/kit';
import { electionsSubgraph } from './server.ts';

await runSubgraph(electionsSubgraph);
