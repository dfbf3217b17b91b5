import { subgraphFolders, type SubgraphDefinition } from '@gongzhi/kit';
import { createContext, type Context } from './context.ts';
import * as dbSchema from './db/schema.ts';
import { peopleSeed } from './db/seed.ts';
import { resolvers } from './schema/resolvers.ts';

/** The people slice (organisation department): what `npm start`, `index.ts` and the tests run. */
export const peopleSubgraph: SubgraphDefinition<typeof dbSchema, Context> = {
  name: 'people',
  defaultPort: 4002,
  ...subgraphFolders(import.meta.url),
  dbSchema,
  resolvers,
  createContext,
  // Requests run as gongzhi_app, for which the audit log is append-only (migration *_writes).
  appRole: 'gongzhi_app',
  seed: peopleSeed,
};
