import { subgraphFolders, type SubgraphDefinition } from '@gongzhi/kit';
import { policies } from './access.ts';
import { createContext, type Context } from './context.ts';
import * as dbSchema from './db/schema.ts';
import { servicesSeed } from './db/seed.ts';
import { resolvers } from './schema/resolvers.ts';

/** The services slice (community workstations): what `npm start`, `index.ts` and the tests run. */
export const servicesSubgraph: SubgraphDefinition<typeof dbSchema, Context> = {
  name: 'services',
  defaultPort: 4003,
  ...subgraphFolders(import.meta.url),
  dbSchema,
  resolvers,
  createContext,
  policies,
  // Third-party evaluations are under row-level security (migration 0001_evaluation_rows).
  appRole: 'gongzhi_app',
  seed: servicesSeed,
};
