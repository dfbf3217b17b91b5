import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { defaultFieldResolver, parse, type DocumentNode, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { callerOfRequest, enforceAccessRules, subgraphSecretVar, type Caller, type Policy } from './access.ts';
import { suppressionEnvShape } from './suppression.ts';
import { builtInPolicies, sharedResolvers, sharedTypeDefFiles } from './audit.ts';
import { defaultStatementTimeoutMs, openDatabase, seedIfEmpty, type Database, type DatasetChoice, type SliceSeed } from './db.ts';
import { envVars, loadEnvOrExit, parseEnv, z } from './env.ts';
import { errorFormatter } from './errors.ts';
import { nulGuardPlugin } from './nul-guard.ts';
import { graphqlRequestListener, listen, stopOnSignals, type RunningHttpServer } from './http.ts';

/** One module of buildSubgraphSchema: SDL and its resolvers (the package exports no name for it). */
type SubgraphSchemaModule = Exclude<Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number], DocumentNode>;

/** A resolver map as buildSubgraphSchema takes it; each slice's generated `Resolvers` type fits it. */
export type ResolverMap = NonNullable<SubgraphSchemaModule['resolvers']>;

/** The field resolvers of one object type of a ResolverMap (neither a scalar nor an enum's values). */
type FieldResolvers = Exclude<ResolverMap[string], GraphQLScalarType | Record<string, string | number>>;

/** Everything the platform needs to know to run one department's subgraph. */
export interface SubgraphDefinition<TSchema extends Record<string, unknown>, TContext extends BaseContext> {
  /** Lower-case slice name: the Postgres schema, the `.data/<name>` folder, the env prefix. */
  name: string;
  defaultPort: number;
  /** Folder of `<module>/schema.graphql` files: the SDL is the source of truth. */
  schemaDir: string;
  migrationsFolder: string;
  dbSchema: TSchema;
  /** The subgraph's generated `Resolvers`; their argument and context types are checked there by codegen types. */
  resolvers: ResolverMap & { Query?: FieldResolvers };
  /**
   * Builds the per-request context for a verified caller; DataLoaders are created here, never shared.
   * A method, so that any slice's definition is an `AnySubgraphDefinition`.
   */
  createContext(database: Database<TSchema>, caller: Caller): TContext;
  /** Named checks the SDL's `@policy` directives refer to. */
  policies?: Record<string, Policy>;
  /** The role requests run as when the slice protects rows with row-level security (see openDatabase). */
  appRole?: string;
  /** How the slice fills an empty database with the reference dataset (`npm start`, `npm run seed`). */
  seed?: SliceSeed;
}

/**
 * Any slice's definition, its schema and context types erased: what code handling every slice alike takes
 * (the registry, `npm start`, tests). Sound because `createContext` is only ever handed the database
 * opened from the same definition's `dbSchema`.
 */
export type AnySubgraphDefinition = SubgraphDefinition<Record<string, unknown>, BaseContext>;

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
  const own = definition.resolvers;
  const shared = sharedResolvers(definition.name);
  const resolvers: ResolverMap = { ...shared, ...own, Query: { ...shared.Query, ...own.Query } };
  const schema = buildSubgraphSchema([{ typeDefs: loadTypeDefs(definition.schemaDir), resolvers }]);
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
function renewLoadersPerMutation(
  schema: GraphQLSchema,
  fresh: (context: { database: any; caller: Caller }) => { loaders?: unknown },
): void {
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

/** What each slice reads under its own prefix (`PEOPLE_PORT`, `PEOPLE_HOST`, `PEOPLE_DATABASE_URL`). */
const ownEnvShape = (defaultPort: number) => ({
  PORT: envVars.port(defaultPort),
  HOST: envVars.host(),
  DATABASE_URL: envVars.url(),
});

/** Which reference dataset an empty database is seeded with; unset means the dataset's defaults. */
export const datasetEnvShape = {
  DATASET_SCALE: z.coerce.number().positive().max(1).optional(),
  DATASET_SEED: z.coerce.number().int().nonnegative().optional(),
};

/** What every slice reads under the same name: one process running several reads each once. */
const sharedEnvShape = {
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

/** The environment one subgraph reads; its own names are prefixed so many can share one process. */
export function subgraphEnvShape(name: string, defaultPort: number) {
  const prefix = name.toUpperCase();
  const own = Object.fromEntries(Object.entries(ownEnvShape(defaultPort)).map(([key, variable]) => [`${prefix}_${key}`, variable]));
  return { ...own, ...sharedEnvShape };
}

/** The environment of the slices one process runs (`npm start`, `npm run seed`): each one's own and the shared. */
export function subgraphsEnvShape(definitions: readonly [AnySubgraphDefinition, ...AnySubgraphDefinition[]]) {
  return definitions
    .map((definition) => subgraphEnvShape(definition.name, definition.defaultPort))
    .reduce((all, shape) => ({ ...all, ...shape }));
}

/** A parsed `subgraphEnvShape` (or `subgraphsEnvShape`): the shared variables typed, with their defaults. */
export type SubgraphEnv = z.infer<z.ZodObject<typeof sharedEnvShape>> & Record<string, unknown>;

export const datasetChoice = (env: z.infer<z.ZodObject<typeof datasetEnvShape>>): DatasetChoice => ({
  scale: env.DATASET_SCALE,
  seed: env.DATASET_SEED,
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

/** One slice's settings from the parsed environment; every default is the one its zod shape states. */
export function subgraphSettings(name: string, env: SubgraphEnv, defaultPort: number): SubgraphSettings {
  const prefix = name.toUpperCase();
  const ownShape = ownEnvShape(defaultPort);
  // The slice's own variables under their unprefixed names, parsed again (already valid) so they are typed.
  const own = parseEnv(name, ownShape, Object.fromEntries(Object.keys(ownShape).map((key) => [key, env[`${prefix}_${key}`]])));
  return {
    port: own.PORT,
    host: own.HOST,
    databaseUrl: own.DATABASE_URL ?? env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DB_POOL_MAX,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    secret: env.SUBGRAPH_SECRET,
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
