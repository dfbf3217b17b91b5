import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, GraphQLError, Kind, visit, type ArgumentNode, type ASTNode, type DocumentNode } from 'graphql';

/** PostgreSQL text cannot hold U+0000; a string carrying it is refused before it reaches SQL. */
const nul = '\u0000';

/** Where a NUL character sits in a request: the field argument holding it, or the variable. */
export interface NulLocation {
  argument?: string;
  variable?: string;
}

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(nul);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((item) => holdsNul(item, depth + 1));
  for (const [key, item] of Object.entries(value)) if (key.includes(nul) || holdsNul(item, depth + 1)) return true;
  return false;
}

/**
 * The first string of the request that holds U+0000: in a literal of the document (string values, enum
 * and object field names cannot hold it), or in a variable's value. Names the argument it is given to.
 */
export function findNul(document: DocumentNode, variables: Record<string, unknown> | undefined): NulLocation | null {
  const tainted = new Set(Object.entries(variables ?? {}).flatMap(([name, value]) => (holdsNul(value) ? [name] : [])));
  let found: NulLocation | null = null;
  // graphql-js lists the ancestors above the parent, not the parent itself.
  const argumentAround = (parent: ASTNode | readonly ASTNode[] | undefined, ancestors: readonly (ASTNode | readonly ASTNode[])[]) => {
    for (const node of [parent, ...[...ancestors].reverse()]) {
      if (node && !Array.isArray(node) && (node as ASTNode).kind === Kind.ARGUMENT) return (node as ArgumentNode).name.value;
    }
    return undefined;
  };
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!node.value.includes(nul)) return;
      const argument = argumentAround(parent, ancestors);
      found = argument ? { argument } : {};
      return BREAK;
    },
    Variable(node, _key, parent, _path, ancestors) {
      if (!tainted.has(node.name.value)) return;
      const argument = argumentAround(parent, ancestors);
      if (!argument) return; // the variable's own definition
      found = { argument, variable: node.name.value };
      return BREAK;
    },
  });
  if (!found && tainted.size) found = { variable: tainted.values().next().value };
  return found;
}

/**
 * Refuses, before execution, any query whose literals or variables hold U+0000, with BAD_USER_INPUT
 * naming the argument. PostgreSQL would refuse the value anyway (SQLSTATE 22021), but only after a
 * statement was sent, and with an error that quotes the statement.
 */
export function nulGuardPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, source, operation }) {
          // Mutations check their own input and answer a NUL as a field error a form can show (DESIGN §4);
          // where one does not, PostgreSQL's refusal is answered as BAD_USER_INPUT (see errors.ts).
          if (operation?.operation === 'mutation') return;
          // A literal can only hold U+0000 raw or escaped (`\u0000`, `\u{0}`): most documents need no walk.
          const literalsMayHold = source === undefined || source.includes(nul) || source.includes('\\u');
          if (!literalsMayHold && !holdsNul(request.variables)) return;
          const location = findNul(document, request.variables);
          if (!location) return;
          const what = location.argument ? `Argument \`${location.argument}\`` : `Variable \`$${location.variable}\``;
          throw new GraphQLError(`${what} holds the NUL character (U+0000), which no text may contain`, {
            extensions: { code: 'BAD_USER_INPUT', ...location, http: { status: 400 } },
          });
        },
      };
    },
  };
}
