import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  currentRequestScope,
  developmentSubgraphSecret,
  graphqlRequestListener,
  listen,
  openDatabase,
  type Caller,
  type Database,
  type Role,
  type RunningHttpServer,
} from '@gongzhi/kit';
import { Supergraph } from '@apollo/federation-internals';
import { GraphQLError } from 'graphql';
import { defaultArgumentLimits, type ArgumentLimits } from './arguments.ts';
import { auditSchema, auditSubgraphName } from './audit.ts';
import { CostCapacity, defaultCostCapacity } from './capacity.ts';
import { costModelOf, defaultCostOptions } from './cost.ts';
import * as gatewaySchema from './db/schema.ts';
import { subgraphUrlsFromEnv, type GatewayEnv } from './env.ts';
import { formatGatewayError } from './errors.ts';
import { createAdmission, defaultCostBudgets, frontDoorPlugin } from './front-door.ts';
import { defaultDocumentLimits, type DocumentLimits } from './limits.ts';
import { createReadLimiter, type ReadLimiter, type ReadRateLimits } from './rate-limit.ts';
import { SubgraphSource, subgraphAgent, type GatewayContext } from './subgraph-source.ts';
import { callerOfAuthorization, developmentTokenSettings, type TokenSettings } from './tokens.ts';

export { auditSubgraphName, auditTypeDefs } from './audit.ts';
export { developmentToken, developmentTokenSecret, mintToken, tokenSettings, tokenSettingsOrExit, type TokenSettings } from './tokens.ts';
export type { GatewayContext } from './subgraph-source.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Overrides of the subgraph URLs recorded in the supergraph, by subgraph name. */
  subgraphUrls?: Record<string, string>;
  /** Budget of one subgraph call. */
  timeoutMs?: number;
  /** Budget of a whole request: planning and every subgraph call stop when it runs out. */
  requestTimeoutMs?: number;
  maxSockets?: number;
  /** Largest request body, in bytes. */
  maxBodyBytes?: number;
  documentLimits?: Partial<DocumentLimits>;
  argumentLimits?: Partial<ArgumentLimits>;
  /** Largest estimated cost per role. */
  costBudgets?: Partial<Record<Role, number>>;
  /** Estimated cost that may run at once, all requests together (bounds memory under a flood). */
  costCapacity?: number;
  /** Read rate limits and the PostgreSQL that counts them (a URL, or embedded in memory); none when absent. */
  readRateLimits?: ReadRateLimits & { databaseUrl?: string | undefined };
  /** How callers' bearer tokens are verified (default: the development HS256 secret). */
  tokens?: TokenSettings;
  /** Shared with the subgraphs: signs the verified caller into every subgraph request. */
  subgraphSecret?: string;
  /** Behind a reverse proxy: take the client's address from the first X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** Production: no schema details in errors, unexpected errors masked behind an id. */
  production?: boolean;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  tokens: TokenSettings;
  /** Where each subgraph is called, by name. */
  subgraphs: Record<string, string>;
  /** The checks a request passes before the GraphQL server sees it (rate, batches, document limits). */
  admit: (caller: Caller, request: Parameters<ReturnType<typeof createAdmission>>[1]) => Promise<GraphQLError | null>;
  requestTimeoutMs: number;
  /** Rejects unless every subgraph answers its readiness probe. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export function readSupergraph(path: string): string {
  return readFileSync(path, 'utf8');
}

/**
 * @apollo/gateway refuses a supergraph that links a `for: SECURITY` feature it cannot enforce
 * (@authenticated, @requiresScopes, @policy). The committed supergraph keeps them, so Apollo Router or
 * Hive Gateway enforce them too; this gateway loads it with the purpose dropped, because every subgraph
 * enforces the same rules itself, whatever gateway is in front.
 */
export function loadableByApolloGateway(supergraphSdl: string): string {
  return supergraphSdl.replace(/(@link\(url: "[^"]+"), for: SECURITY\)/g, '$1)');
}

/** The subgraphs a supergraph names that run as services (not the gateway's own), with the URLs recorded at composition. */
export function subgraphsOf(supergraphSdl: string): Record<string, string> {
  const supergraph = Supergraph.build(loadableByApolloGateway(supergraphSdl));
  return Object.fromEntries(
    supergraph
      .subgraphsMetadata()
      .filter(({ name }) => name !== auditSubgraphName)
      .map(({ name, url }) => [name, url]),
  );
}

/** `/graphql` → `/readyz` on the same origin: every service answers readiness there. */
function readinessUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = '/readyz';
  url.search = '';
  return url.toString();
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const secret = options.subgraphSecret ?? developmentSubgraphSecret;
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const subgraphs = { ...subgraphsOf(options.supergraphSdl), ...options.subgraphUrls };
  const agent = subgraphAgent({ timeoutMs, maxSockets: options.maxSockets ?? 128 });
  const audit = new LocalGraphQLDataSource(auditSchema({ slices: subgraphs, secret, timeoutMs }));
  const gateway = new ApolloGateway({
    supergraphSdl: loadableByApolloGateway(options.supergraphSdl),
    buildService: ({ name, url }) =>
      name === auditSubgraphName
        ? audit
        : new SubgraphSource(name, subgraphs[name] ?? url ?? '', agent, { timeoutMs, maxSockets: 0, secret }),
  });
  const documentLimits = { ...defaultDocumentLimits, ...options.documentLimits };
  let rateStore: { database: Database<typeof gatewaySchema>; limiter: ReadLimiter } | null = null;
  if (options.readRateLimits) {
    const database = await openDatabase({ name: 'gateway', schema: gatewaySchema, url: options.readRateLimits.databaseUrl, poolMax: 4 });
    await database.migrate(fileURLToPath(new URL('./db/migrations/', import.meta.url)));
    rateStore = { database, limiter: createReadLimiter(database, options.readRateLimits) };
  }
  const frontDoor = {
    documentLimits,
    argumentLimits: { ...defaultArgumentLimits, ...options.argumentLimits },
    costModel: costModelOf(options.supergraphSdl),
    costOptions: defaultCostOptions,
    costBudgets: { ...defaultCostBudgets, ...options.costBudgets },
    readLimiter: rateStore?.limiter ?? null,
    capacity: new CostCapacity(options.costCapacity ?? defaultCostCapacity),
  };
  // Signals are handled once, by the process (kit's stopOnSignals), which drains HTTP before stopping Apollo.
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    stopOnTerminationSignals: false,
    plugins: [frontDoorPlugin(frontDoor)],
    // The parser stops where the front door does, whoever calls it.
    parseOptions: { maxTokens: documentLimits.maxTokens },
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: !production,
    formatError: formatGatewayError(production),
  });
  await apollo.start();
  return {
    apollo,
    tokens: options.tokens ?? (await developmentTokenSettings()),
    subgraphs,
    admit: createAdmission(frontDoor),
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    ready: async () => {
      const failures: string[] = [];
      await Promise.all(
        Object.entries(subgraphs).map(async ([name, url]) => {
          try {
            const response = await fetch(readinessUrl(url), { signal: AbortSignal.timeout(Math.min(timeoutMs, 2_000)) });
            if (!response.ok) failures.push(`${name}: ${response.status}`);
          } catch (error) {
            failures.push(`${name}: ${(error as Error).message}`);
          }
        }),
      );
      if (failures.length > 0) throw new Error(`subgraphs not ready: ${failures.sort().join('; ')}`);
    },
    stop: async () => {
      await apollo.stop();
      await agent.close();
      rateStore?.limiter.close();
      await rateStore?.database.close();
    },
  };
}

export interface RunningGateway extends Gateway {
  http: RunningHttpServer;
  url: string;
}

/** Where a request comes from, for limits on anonymous writes (the services slice rate-limits public submissions). */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return (trustProxy && first) || request.socket.remoteAddress || null;
}

export async function serveGateway(options: GatewayOptions & { port: number; host: string }): Promise<RunningGateway> {
  const gateway = await createGateway(options);
  // The caller is verified once, before the front door counts it; the context reuses it.
  const callers = new WeakMap<IncomingMessage, Caller>();
  const http = await listen(
    graphqlRequestListener({
      apollo: gateway.apollo,
      maxBodyBytes: options.maxBodyBytes ?? 256 * 1024,
      admit: async (request, graphql) => {
        let caller: Caller;
        try {
          caller = {
            ...(await callerOfAuthorization(request.headers.authorization, gateway.tokens)),
            origin: clientAddress(request, options.trustProxy ?? false),
          };
        } catch (error) {
          if (error instanceof GraphQLError) return error;
          throw error;
        }
        callers.set(request, caller);
        return gateway.admit(caller, graphql);
      },
      context: async (request) => {
        const deadline = AbortSignal.timeout(gateway.requestTimeoutMs);
        const scope = currentRequestScope();
        return { caller: callers.get(request)!, signal: scope ? AbortSignal.any([deadline, scope.signal]) : deadline };
      },
      ready: gateway.ready,
    }),
    options.port,
    options.host,
  );
  return {
    ...gateway,
    http,
    url: http.url,
    stop: async () => {
      await http.close();
      await gateway.stop();
    },
  };
}

/** The gateway's options as the environment states them (`npm start` and the gateway's own entry point). */
export function gatewayOptionsFromEnv(
  env: GatewayEnv,
  supergraphSdl: string,
  tokens: TokenSettings,
): GatewayOptions & { port: number; host: string } {
  return {
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromEnv(Object.keys(subgraphsOf(supergraphSdl))),
    tokens,
    subgraphSecret: env.SUBGRAPH_SECRET,
    timeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    maxSockets: env.SUBGRAPH_MAX_SOCKETS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    documentLimits: {
      maxDocumentBytes: env.MAX_DOCUMENT_BYTES,
      maxTokens: env.MAX_TOKENS,
      maxDepth: env.MAX_QUERY_DEPTH,
      maxFields: env.MAX_FIELDS,
      maxAliases: env.MAX_ALIASES,
      maxDirectives: env.MAX_DIRECTIVES,
    },
    argumentLimits: { maxArgumentLength: env.MAX_ARGUMENT_LENGTH, maxInputTextLength: env.MAX_INPUT_TEXT_LENGTH },
    costBudgets: env.COST_BUDGETS,
    costCapacity: env.COST_CAPACITY,
    readRateLimits: {
      windowSeconds: env.READ_RATE_WINDOW_SECONDS,
      perWindow: env.READ_RATE_LIMITS,
      databaseUrl: env.GATEWAY_DATABASE_URL ?? env.DATABASE_URL,
    },
    trustProxy: env.TRUST_PROXY === 'true',
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
  };
}
