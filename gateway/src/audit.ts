import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  auditEntryTypeDefsFile,
  pageInfoTypeDefsFile,
  badInput,
  builtInPolicies,
  callerHeader,
  enforceAccessRules,
  loadTypeDefs,
  publicCaller,
  signCaller,
  type Caller,
  type ResolverMap,
} from '@gongzhi/kit';
import { GraphQLError, type GraphQLSchema } from 'graphql';

/** The subgraph the gateway serves itself; it has no process, port or database of its own. */
export const auditSubgraphName = 'audit';

/** The audit subgraph's SDL (its own file and the audit-entry types every slice shares). */
export const auditTypeDefs = () =>
  loadTypeDefs(fileURLToPath(new URL('./audit/', import.meta.url)), [auditEntryTypeDefsFile, pageInfoTypeDefsFile]);

interface SliceConnection {
  edges: { cursor: string; node: unknown }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const sliceQuery = `query ($entityId: ID!, $first: Int, $after: String) {
  sliceAuditLog(entityId: $entityId, first: $first, after: $after) {
    edges { cursor node { at entityType entityId operation actorRole actor before after } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

// A gateway cursor names the slice that answered, so the next page asks that slice alone.
const encode = (slice: string, cursor: string) => Buffer.from(`${slice}:${cursor}`, 'utf8').toString('base64url');
function decode(cursor: string, slices: Record<string, string>): { slice: string; cursor: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const at = text.indexOf(':');
  const slice = text.slice(0, at);
  if (at < 0 || !(slice in slices) || text.includes('\u0000') || encode(slice, text.slice(at + 1)) !== cursor)
    throw badInput('`after` is not a cursor returned by this field', 'after');
  return { slice, cursor: text.slice(at + 1) };
}

/**
 * `auditLog`: each slice keeps the audit log of its own writes (in the writing transaction), so the
 * gateway asks every slice — as the caller, signed like any subgraph request — and answers the slice that
 * holds the entity (ids are unique across the graph). Each slice enforces the admin rule itself too.
 */
export function auditSchema(options: { slices: Record<string, string>; secret: string; timeoutMs: number }): GraphQLSchema {
  const ask = async (
    url: string,
    caller: Caller,
    signal: AbortSignal | undefined,
    variables: Record<string, unknown>,
  ): Promise<SliceConnection | null> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [callerHeader]: await signCaller(caller, options.secret) },
      body: JSON.stringify({ query: sliceQuery, variables }),
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    const body = (await response.json()) as {
      data?: { sliceAuditLog: SliceConnection | null };
      errors?: { message: string; extensions?: { code?: string; argument?: string } }[];
    };
    const error = body.errors?.[0];
    if (error)
      throw new GraphQLError(error.message, {
        extensions: { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' },
      });
    return body.data?.sliceAuditLog ?? null;
  };
  const resolvers: ResolverMap = {
    Query: {
      auditLog: async (
        _parent: unknown,
        args: { entityId: string; first?: number | null; after?: string | null },
        context: { caller?: Caller; signal?: AbortSignal },
      ) => {
        const caller = context.caller ?? publicCaller;
        const from = args.after ? decode(args.after, options.slices) : null;
        const names = from ? [from.slice] : Object.keys(options.slices);
        const answers = await Promise.all(
          names.map(async (slice) => ({
            slice,
            page: await ask(options.slices[slice]!, caller, context.signal, {
              entityId: args.entityId,
              first: args.first,
              after: from?.cursor ?? null,
            }),
          })),
        );
        const found = answers.find(({ page }) => page && page.edges.length > 0) ?? answers[0];
        const page = found?.page;
        if (!found || !page)
          return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: from !== null, startCursor: null, endCursor: null } };
        const edges = page.edges.map((edge) => ({ cursor: encode(found.slice, edge.cursor), node: edge.node }));
        return { edges, pageInfo: { ...page.pageInfo, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
      },
    },
  };
  const schema = buildSubgraphSchema([{ typeDefs: auditTypeDefs(), resolvers }]);
  enforceAccessRules(schema, builtInPolicies);
  return schema;
}
