import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { Agent, fetch } from 'undici';

export interface SubgraphFetcherOptions {
  /** Whole-call budget for one subgraph request; past it the call fails and the rest of the answer still arrives. */
  timeoutMs: number;
  /** Sockets per subgraph origin; queued beyond that rather than opening without limit. */
  maxSockets: number;
}

/**
 * The gateway's HTTP client for subgraphs: keep-alive connections, a socket limit and a timeout on every
 * call. @apollo/gateway sets no timeout of its own (apollographql/federation#2647), so a hung subgraph
 * would otherwise hang the gateway.
 */
export function createSubgraphFetchers(options: SubgraphFetcherOptions): { fetcherFor: (subgraph: string) => Fetcher; close: () => Promise<void> } {
  const agent = new Agent({
    connections: options.maxSockets,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connectTimeout: Math.min(options.timeoutMs, 5_000),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const fetcherFor = (subgraph: string) =>
    (async (url: string, init?: Record<string, unknown>) => {
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        return await fetch(url, { ...(init as object), dispatcher: agent, signal });
      } catch (error) {
        // Name the subgraph: the client sees partial data plus an error saying which slice is missing.
        const reason = signal.aborted ? `did not answer within ${options.timeoutMs} ms` : `is unreachable (${describe(error)})`;
        throw new GraphQLError(`Subgraph "${subgraph}" ${reason}`, {
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: subgraph },
        });
      }
    }) as unknown as Fetcher;
  return { fetcherFor, close: () => agent.close() };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
