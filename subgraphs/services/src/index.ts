import { runSubgraph } from '@gongzhi/kit';
import { servicesSubgraph } from './server.ts';

await runSubgraph(servicesSubgraph);
