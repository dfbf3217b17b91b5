import { subgraphFolders, type SubgraphDefinition } from '@gongzhi/kit';
import { createContext, type Context } from './context.ts';
import * as dbSchema from './db/schema.ts';
import { structureSeed } from './db/seed.ts';
import { resolvers } from './schema/resolvers.ts';

/** The organisations slice (civil affairs bureau): what `npm start`, `index.ts` and the tests run. */
export const organisationsSubgraph: SubgraphDefinition<typeof dbSchema, Context> = {
  name: 'organisations',
  defaultPort: 4001,
  ...subgraphFolders(import.meta.url),
  dbSchema,
  resolvers,
  createContext,
  // Requests run as gongzhi_app, for which the audit log is append-only (migration *_writes).
  appRole: 'gongzhi_app',
  seed: structureSeed,
};
