import { runSubgraph } from '@gongzhi/kit';
import { organisationsSubgraph } from './server.ts';

await runSubgraph(organisationsSubgraph);
