import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { callerHeader, developmentSubgraphSecret, graphqlRequestListener, listen, publicCaller, signCaller, type Caller, type RunningHttpServer } from '@gongzhi/kit';
import { Supergraph } from '@apollo/federation-internals';
import { auditSchema, auditSubgraphName } from './audit.ts';
import { createSubgraphFetchers } from './fetcher.ts';
import { maxDepthRule } from './limits.ts';
import { callerOfAuthorization, developmentTokenSettings, type TokenSettings } from './tokens.ts';

export { auditSubgraphName, auditTypeDefs } from './audit.ts';
export { developmentToken, developmentTokenSecret, mintToken, tokenSettings, tokenSettingsOrExit, type TokenSettings } from './tokens.ts';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Overrides of the subgraph URLs recorded in the supergraph, by subgraph name. */
  subgraphUrls?: Record<string, string>;
  timeoutMs?: number;
  maxSockets?: number;
  /** Deepest field nesting an operation may have. */
  maxDepth?: number;
  /** How callers' bearer tokens are verified (default: the development HS256 secret). */
  tokens?: TokenSettings;
  /** Shared with the subgraphs: signs the verified caller into every subgraph request. */
  subgraphSecret?: string;
  /** Behind a reverse proxy: take the client's address from the first X-Forwarded-For entry. */
  trustProxy?: boolean;
}

/** What the gateway knows of a request: the verified caller. */
export interface GatewayContext {
  caller: Caller;
}

/** Passes the verified caller to a subgraph, signed, so it can enforce its rules and trust no one else. */
class CallerForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    options: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly secret: string,
  ) {
    super(options);
  }

  override async willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    request.http!.headers.set(callerHeader, await signCaller(context.caller ?? publicCaller, this.secret));
  }
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  tokens: TokenSettings;
  /** Where each subgraph is called, by name. */
  subgraphs: Record<string, string>;
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
  return Object.fromEntries(supergraph.subgraphsMetadata().filter(({ name }) => name !== auditSubgraphName).map(({ name, url }) => [name, url]));
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
  const subgraphs = { ...subgraphsOf(options.supergraphSdl), ...options.subgraphUrls };
  const { fetcherFor, close } = createSubgraphFetchers({ timeoutMs, maxSockets: options.maxSockets ?? 128 });
  const audit = new LocalGraphQLDataSource(auditSchema({ slices: subgraphs, secret, timeoutMs }));
  const gateway = new ApolloGateway({
    supergraphSdl: loadableByApolloGateway(options.supergraphSdl),
    buildService: ({ name, url }) =>
      name === auditSubgraphName ? audit : new CallerForwardingDataSource({ url: subgraphs[name] ?? url, fetcher: fetcherFor(name) }, secret),
  });
  // Signals are handled once, by the process (kit's stopOnSignals), which drains HTTP before stopping Apollo.
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    stopOnTerminationSignals: false,
    validationRules: [maxDepthRule(options.maxDepth ?? 15)],
  });
  await apollo.start();
  return {
    apollo,
    tokens: options.tokens ?? (await developmentTokenSettings()),
    subgraphs,
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
      await close();
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
  const http = await listen(
    graphqlRequestListener({
      apollo: gateway.apollo,
      context: async (request) => ({
        caller: { ...(await callerOfAuthorization(request.headers.authorization, gateway.tokens)), origin: clientAddress(request, options.trustProxy ?? false) },
      }),
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
