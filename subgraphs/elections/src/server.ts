import { subgraphFolders, type SubgraphDefinition } from '@gongzhi/kit';
import { createContext, type Context } from './context.ts';
import * as dbSchema from './db/schema.ts';
import { electionsSeed } from './db/seed.ts';
import { resolvers } from './schema/resolvers.ts';

/** The elections slice (civil affairs bureau): what `npm start`, `index.ts` and the tests run. */
export const electionsSubgraph: SubgraphDefinition<typeof dbSchema, Context> = {
  name: 'elections',
  defaultPort: 4005,
  ...subgraphFolders(import.meta.url),
  dbSchema,
  resolvers,
  createContext,
  // Requests run as gongzhi_app, for which the audit log is append-only (migration *_writes).
  appRole: 'gongzhi_app',
  seed: electionsSeed,
};
