import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { callerHeader, publicCaller, signCaller, type Caller } from '@gongzhi/kit';
import { GraphQLError } from 'graphql';
import { Agent, fetch } from 'undici';

/** What the gateway knows of a request: the verified caller and the signal that ends its work. */
export interface GatewayContext {
  caller: Caller;
  /** Aborts when the request's deadline passes or its client goes away: every subgraph call stops then. */
  signal?: AbortSignal;
}

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface SubgraphSourceOptions {
  /** Whole-call budget for one subgraph request; past it the call fails and the rest of the answer still arrives. */
  timeoutMs: number;
  /** Sockets per subgraph origin; queued beyond that rather than opening without limit. */
  maxSockets: number;
  /** Shared with the subgraphs: signs the verified caller into every subgraph request. */
  secret: string;
}

/**
 * How the gateway calls one subgraph: keep-alive sockets with a limit, the verified caller signed into
 * every call, and a budget on the whole call — headers and body — that also ends when the client's
 * request does. @apollo/gateway sets no timeout of its own (apollographql/federation#2647). Whatever goes
 * wrong is SUBGRAPH_UNAVAILABLE naming the subgraph, never the subgraph's URL or response body.
 */
export class SubgraphSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly agent: Agent,
    private readonly options: SubgraphSourceOptions,
  ) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { signal: requestSignal, caller } = context as Partial<GatewayContext>;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = requestSignal ? AbortSignal.any([timeout, requestSignal]) : timeout;
    const unavailable = (reason: string) =>
      new GraphQLError(`Subgraph "${this.subgraph}" ${reason}`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph },
      });
    let status: number;
    let text: string;
    try {
      if (signal.aborted) throw signal.reason;
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [callerHeader]: await signCaller(caller ?? publicCaller, this.options.secret) },
        body: JSON.stringify({
          query: request.query,
          variables: request.variables,
          operationName: request.operationName,
          extensions: request.extensions,
        }),
        dispatcher: this.agent,
        signal,
      });
      status = response.status;
      // The body is read inside the budget too: a subgraph that sends headers and then stalls is cut off.
      text = await response.text();
    } catch (error) {
      if (requestSignal?.aborted && !timeout.aborted) throw unavailable("did not answer within the request's time budget");
      throw unavailable(timeout.aborted ? `did not answer within ${this.options.timeoutMs} ms` : `is unreachable (${describe(error)})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw unavailable(`answered ${status} with a body that is not JSON`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw unavailable(`answered ${status} with a body that is not a GraphQL response`);
    if (status >= 400 && !('errors' in parsed)) throw unavailable(`answered ${status}`);
    return parsed as GatewayGraphQLResponse;
  }
}

/** One keep-alive agent for every subgraph call (sockets limited per origin). */
export function subgraphAgent(options: Pick<SubgraphSourceOptions, 'timeoutMs' | 'maxSockets'>): Agent {
  return new Agent({
    connections: options.maxSockets,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connectTimeout: Math.min(options.timeoutMs, 5_000),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code ?? 'connection failed';
}
