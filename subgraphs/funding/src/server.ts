import { subgraphFolders, type SubgraphDefinition } from '@gongzhi/kit';
import { policies } from './access.ts';
import { createContext, type Context } from './context.ts';
import * as dbSchema from './db/schema.ts';
import { fundingSeed } from './db/seed.ts';
import { resolvers } from './schema/resolvers.ts';

/** The funding slice (finance bureau, civil affairs): what `npm start`, `index.ts` and the tests run. */
export const fundingSubgraph: SubgraphDefinition<typeof dbSchema, Context> = {
  name: 'funding',
  defaultPort: 4004,
  ...subgraphFolders(import.meta.url),
  dbSchema,
  resolvers,
  createContext,
  policies,
  // Transactions and progress reports are under row-level security (migration 0002_partner_rows).
  appRole: 'gongzhi_app',
  seed: fundingSeed,
};
