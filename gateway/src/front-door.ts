import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext, HTTPGraphQLRequest } from '@apollo/server';
import { roles, type Caller, type Role } from '@gongzhi/kit';
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { screenArguments, type ArgumentLimits } from './arguments.ts';
import type { CostCapacity } from './capacity.ts';
import { estimateCost, type CostModel, type CostOptions } from './cost.ts';
import { screenDocument, type DocumentLimits } from './limits.ts';
import type { ReadLimiter } from './rate-limit.ts';
import type { GatewayContext } from './subgraph-source.ts';

export interface FrontDoorOptions {
  documentLimits: DocumentLimits;
  argumentLimits: ArgumentLimits;
  costModel: CostModel;
  costOptions: CostOptions;
  /** Largest estimated cost each role may run. */
  costBudgets: Record<Role, number>;
  readLimiter: ReadLimiter | null;
  /** Estimated cost that may run at once across all requests. */
  capacity: CostCapacity;
}

/**
 * Default budgets: the README's sub-district indicators cost about 4,600 and must stay open to the public;
 * the largest operation of the tests (every community across four slices) about 73,000, as an admin.
 */
export const defaultCostBudgets: Record<Role, number> = {
  public: 10_000,
  partner: 20_000,
  analyst: 100_000,
  staff: 100_000,
  admin: 100_000,
};

const badRequest = (message: string, code = 'BAD_REQUEST') => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The GraphQL request parameters of an HTTP request, wherever it carries them (body or query string). */
function parametersOf(request: HTTPGraphQLRequest): { query?: unknown; extensions?: unknown } | GraphQLError | null {
  if (request.method === 'GET') {
    const search = new URLSearchParams(request.search);
    let extensions: unknown;
    try {
      extensions = search.has('extensions') ? JSON.parse(search.get('extensions')!) : undefined;
    } catch {
      return null; // the GraphQL server reports it
    }
    return { query: search.get('query') ?? undefined, extensions };
  }
  if (Array.isArray(request.body)) return badRequest('Batched requests are not supported: send one operation per request');
  if (request.body && typeof request.body === 'object') return request.body as { query?: unknown; extensions?: unknown };
  return null;
}

/** Verdicts on documents already screened, by their text: a popular query is screened once, not per request. */
class VerdictCache {
  private readonly verdicts = new Map<string, GraphQLError | null>();
  constructor(private readonly capacity: number) {}
  get(query: string, screen: () => GraphQLError | null): GraphQLError | null {
    if (this.verdicts.has(query)) return this.verdicts.get(query)!;
    const verdict = screen();
    if (this.verdicts.size >= this.capacity) this.verdicts.delete(this.verdicts.keys().next().value!);
    this.verdicts.set(query, verdict);
    return verdict;
  }
}

/**
 * The checks a request passes before the GraphQL server spends anything on it, in order of cost: the
 * caller's read rate, batches, then the document's size, tokens, depth, fields, aliases and directives
 * (linear in its text), and an APQ hash that does not match its query. Answers the refusal, or null.
 */
export function createAdmission(options: FrontDoorOptions) {
  const verdicts = new VerdictCache(2_000);
  return async (caller: Caller, request: HTTPGraphQLRequest): Promise<GraphQLError | null> => {
    if (options.readLimiter) {
      const limited = await options.readLimiter.admit(caller);
      if (limited) return limited;
    }
    const parameters = parametersOf(request);
    if (parameters instanceof GraphQLError || parameters === null) return parameters;
    const { query, extensions } = parameters;
    if (typeof query !== 'string') return null;
    const verdict = verdicts.get(query, () => screenDocument(query, options.documentLimits));
    if (verdict) return verdict;
    const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (hash !== undefined && hash !== createHash('sha256').update(query).digest('hex')) {
      return badRequest('The persisted query hash does not match the query', 'PERSISTED_QUERY_HASH_MISMATCH');
    }
    return null;
  };
}

interface Estimate {
  estimated: number;
  budget: number;
  release: () => void;
}

const estimates = new WeakMap<object, Estimate>();

/**
 * After validation, before planning: every argument value is checked (custom scalars, U+0000, lengths),
 * then the operation's cost is estimated from the schema's `@cost`/`@listSize` and refused over the
 * caller's budget, and the request waits until its estimate fits the capacity in flight. The estimate is
 * reported in `extensions.cost` of every answer that ran.
 */
export function frontDoorPlugin(options: FrontDoorOptions): ApolloServerPlugin<GatewayContext> {
  for (const role of roles) if (!(options.costBudgets[role] > 0)) throw new Error(`cost budget of ${role} must be positive`);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(context: GraphQLRequestContext<GatewayContext>) {
          const { document, operation, schema, request } = context;
          if (!document) return;
          if (!operation) {
            // @apollo/gateway would fail on it as a server error; it is the request's fault.
            const message = request.operationName
              ? `Unknown operation named "${request.operationName}"`
              : 'Must provide operation name if query contains multiple operations';
            throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
          }
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions)
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          const variables = request.variables ?? undefined;
          const bad = screenArguments(schema, operation, fragments, variables, options.argumentLimits);
          if (bad) throw bad;
          const role = context.contextValue.caller?.role ?? 'public';
          const budget = options.costBudgets[role];
          const estimated = estimateCost(schema, options.costModel, operation, fragments, variables, options.costOptions);
          if (estimated > budget) {
            throw new GraphQLError(`The operation's estimated cost is ${estimated}; the budget of a ${role} caller is ${budget}`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', cost: estimated, budget, http: { status: 400 } },
            });
          }
          const release = await options.capacity.acquire(estimated, context.contextValue.signal);
          estimates.set(context.request, { estimated, budget, release });
        },
        async willSendResponse(context) {
          const estimate = estimates.get(context.request);
          if (!estimate) return;
          estimate.release();
          if (context.response.body.kind !== 'single') return;
          const result = context.response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { estimated: estimate.estimated, budget: estimate.budget } };
        },
      };
    },
  };
}
