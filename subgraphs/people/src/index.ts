import { runSubgraph } from '@gongzhi/kit';
import { peopleSubgraph } from './server.ts';

await runSubgraph(peopleSubgraph);
