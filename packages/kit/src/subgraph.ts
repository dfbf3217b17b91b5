import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { defaultFieldResolver, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { callerOfRequest, developmentSubgraphSecret, enforceAccessRules, subgraphSecretVar, type Caller, type Policy } from './access.ts';
import { suppressionEnvShape } from './suppression.ts';
import { builtInPolicies, sharedResolvers, sharedTypeDefFiles } from './audit.ts';
import { defaultStatementTimeoutMs, openDatabase, seedIfEmpty, type Database, type DatasetChoice, type SliceSeed } from './db.ts';
import { envVars, loadEnvOrExit, z } from './env.ts';
import { errorFormatter } from './errors.ts';
import { nulGuardPlugin } from './nul-guard.ts';
import { graphqlRequestListener, listen, stopOnSignals, type RunningHttpServer } from './http.ts';

/** Everything the platform needs to know to run one department's subgraph. */
export interface SubgraphDefinition<TSchema extends Record<string, unknown>, TContext extends BaseContext> {
  /** Lower-case slice name: the Postgres schema, the `.data/<name>` folder, the env prefix. */
  name: string;
  defaultPort: number;
  /** Folder of `<module>/schema.graphql` files: the SDL is the source of truth. */
  schemaDir: string;
  migrationsFolder: string;
  dbSchema: TSchema;
  /** Generated `Resolvers` type of the subgraph; checked there by codegen types, not here. */
  resolvers: object;
  /** Builds the per-request context for a verified caller; DataLoaders are created here, never shared. */
  createContext: (database: Database<TSchema>, caller: Caller) => TContext;
  /** Named checks the SDL's `@policy` directives refer to. */
  policies?: Record<string, Policy>;
  /** The role requests run as when the slice protects rows with row-level security (see openDatabase). */
  appRole?: string;
  /** How the slice fills an empty database with the reference dataset (`npm start`, `npm run seed`). */
  seed?: SliceSeed;
}

/**
 * Where a subgraph keeps its SDL and migrations, relative to its `src/server.ts`
 * (`src/schema/`, `src/db/migrations/`): pass `import.meta.url`.
 */
export function subgraphFolders(serverModuleUrl: string): { schemaDir: string; migrationsFolder: string } {
  return {
    schemaDir: fileURLToPath(new URL('./schema/', serverModuleUrl)),
    migrationsFolder: fileURLToPath(new URL('./db/migrations/', serverModuleUrl)),
  };
}

/** Reads every `.graphql` file under `dir`, in a stable order, and the SDL every slice shares, as one document. */
export function loadTypeDefs(dir: string, shared: readonly string[] = sharedTypeDefFiles): DocumentNode {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.graphql')) files.push(path);
    }
  };
  walk(dir);
  files.push(...shared);
  return parse(files.map((file) => readFileSync(file, 'utf8')).join('\n'));
}

export function buildSubgraphApollo<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
): ApolloServer<TContext> {
  const own = definition.resolvers as Record<string, any>;
  const shared = sharedResolvers(definition.name);
  const resolvers = { ...shared, ...own, Query: { ...shared.Query, ...own.Query } };
  const schema = buildSubgraphSchema({ typeDefs: loadTypeDefs(definition.schemaDir), resolvers: resolvers as never });
  enforceAccessRules(schema, { ...builtInPolicies, ...definition.policies });
  renewLoadersPerMutation(schema, (context) => definition.createContext(context.database, context.caller) as { loaders?: unknown });
  return new ApolloServer<TContext>({
    schema,
    // Subgraphs are called by the gateway, not browsed by people.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), nulGuardPlugin<TContext>()],
    // No answer tells how the service is built: unexpected errors are logged under an id, and answered with the id.
    formatError: errorFormatter({ service: definition.name }),
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (stopOnSignals), which drains HTTP before stopping Apollo.
    stopOnTerminationSignals: false,
  });
}

/**
 * Mutation fields run one after another, and a request's DataLoaders cache what they read: each mutation
 * field starts with new loaders, so its payload shows what its own write left, never a value an earlier
 * field of the same operation cached before that write.
 */
function renewLoadersPerMutation(schema: GraphQLSchema, fresh: (context: { database: any; caller: Caller }) => { loaders?: unknown }): void {
  const mutation = schema.getMutationType();
  if (!mutation) return;
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (parent, args, context, info) => {
      context.loaders = fresh(context).loaders;
      return resolve(parent, args, context, info);
    };
  }
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  http: RunningHttpServer;
  stop(): Promise<void>;
}

/** Serves an opened, migrated database as a subgraph over HTTP. */
export async function serveSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
  database: Database<TSchema>,
  options: { port: number; host: string; secret: string },
): Promise<RunningSubgraph> {
  const apollo = buildSubgraphApollo(definition);
  await apollo.start();
  const http = await listen(
    graphqlRequestListener({
      apollo,
      // Only the gateway may ask: every request carries its signed credential naming the caller.
      context: async (request) => definition.createContext(database, await callerOfRequest(request, options.secret)),
      ready: () => database.ping(),
    }),
    options.port,
    options.host,
  );
  return {
    name: definition.name,
    url: http.url,
    port: http.port,
    http,
    stop: async () => {
      await http.close();
      await apollo.stop();
    },
  };
}

/** The environment one subgraph reads; the names are prefixed so many can share one process. */
export function subgraphEnvShape(name: string, defaultPort: number) {
  const prefix = name.toUpperCase();
  return {
    [`${prefix}_PORT`]: envVars.port(defaultPort),
    [`${prefix}_HOST`]: envVars.host(),
    [`${prefix}_DATABASE_URL`]: envVars.url(),
    DATABASE_URL: envVars.url(),
    DATA_DIR: z.string().min(1).default('.data'),
    DB_POOL_MAX: envVars.positiveInt(10),
    /** Longest a statement may run on a PostgreSQL server (0: the server's own setting). */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(defaultStatementTimeoutMs),
    /** The credential the gateway signs every subgraph request with. */
    SUBGRAPH_SECRET: subgraphSecretVar(),
    ...suppressionEnvShape,
    /** Seed an empty database with the reference dataset at start (always on for `npm start`). */
    SEED: z.enum(['true', 'false']).default('false'),
    ...datasetEnvShape,
  };
}

/** Which reference dataset an empty database is seeded with; unset means the dataset's defaults. */
export const datasetEnvShape = {
  DATASET_SCALE: z.coerce.number().positive().max(1).optional(),
  DATASET_SEED: z.coerce.number().int().nonnegative().optional(),
};

export const datasetChoice = (env: Record<string, unknown>): DatasetChoice => ({
  scale: env.DATASET_SCALE as number | undefined,
  seed: env.DATASET_SEED as number | undefined,
});

export interface SubgraphSettings {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  poolMax: number;
  /** Absent: the default (see openDatabase). */
  statementTimeoutMs?: number;
  secret: string;
}

export function subgraphSettings(name: string, env: Record<string, unknown>, defaultPort: number): SubgraphSettings {
  const prefix = name.toUpperCase();
  return {
    port: (env[`${prefix}_PORT`] as number | undefined) ?? defaultPort,
    host: (env[`${prefix}_HOST`] as string | undefined) ?? '127.0.0.1',
    databaseUrl: (env[`${prefix}_DATABASE_URL`] as string | undefined) ?? (env.DATABASE_URL as string | undefined),
    dataDir: (env.DATA_DIR as string | undefined) ?? '.data',
    poolMax: (env.DB_POOL_MAX as number | undefined) ?? 10,
    statementTimeoutMs: (env.DB_STATEMENT_TIMEOUT_MS as number | undefined) ?? defaultStatementTimeoutMs,
    secret: (env.SUBGRAPH_SECRET as string | undefined) ?? developmentSubgraphSecret,
  };
}

/** Opens (embedded under `<dataDir>/<name>` or server), migrates and, when asked, seeds an empty database. */
export async function prepareDatabase<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
  settings: SubgraphSettings,
  options: { seed: DatasetChoice | false },
): Promise<Database<TSchema>> {
  const database = await openDatabase({
    name: definition.name,
    schema: definition.dbSchema,
    url: settings.databaseUrl,
    dataDir: settings.databaseUrl ? undefined : join(settings.dataDir, definition.name),
    poolMax: settings.poolMax,
    statementTimeoutMs: settings.statementTimeoutMs,
    appRole: definition.appRole,
  });
  await database.migrate(definition.migrationsFolder);
  if (options.seed && definition.seed) await seedIfEmpty(database, definition.seed, options.seed);
  return database;
}

/** The whole life of a subgraph process: validated env, database, HTTP, drain on SIGTERM. */
export async function runSubgraph<TSchema extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TSchema, TContext>,
): Promise<void> {
  const env = loadEnvOrExit(definition.name, subgraphEnvShape(definition.name, definition.defaultPort));
  const settings = subgraphSettings(definition.name, env, definition.defaultPort);
  const database = await prepareDatabase(definition, settings, { seed: env.SEED === 'true' && datasetChoice(env) });
  const running = await serveSubgraph(definition, database, settings);
  console.log(`${definition.name} subgraph ready at ${running.url} (${database.driver})`);
  stopOnSignals(async () => {
    await running.stop();
    await database.close();
  });
}

/** What every subgraph's resolvers get per request: its database, the caller and fresh DataLoaders. */
export interface RequestContext<TSchema extends Record<string, unknown>, TLoaders> {
  database: Database<TSchema>;
  caller: Caller;
  loaders: TLoaders;
}
