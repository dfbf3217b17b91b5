import {
  GraphQLError,
  Kind,
  parse,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What a document may contain before the gateway parses it for Apollo, validates it or plans it. */
export interface DocumentLimits {
  /** Bytes of the `query` text. */
  maxDocumentBytes: number;
  /** Lexical tokens; the parser stops counting past it, so a refusal costs at most this many tokens. */
  maxTokens: number;
  /** Field nesting, fragments followed. */
  maxDepth: number;
  /** Field selections once every fragment spread is expanded (a fragment spread ten times counts ten times). */
  maxFields: number;
  /** Aliases, fragments expanded. */
  maxAliases: number;
  /** Directives, fragments expanded. */
  maxDirectives: number;
}

export const defaultDocumentLimits: DocumentLimits = {
  maxDocumentBytes: 32 * 1024,
  maxTokens: 5_000,
  maxDepth: 15,
  maxFields: 2_000,
  maxAliases: 50,
  maxDirectives: 50,
};

export type LimitCode =
  'PAYLOAD_TOO_LARGE' | 'MAX_TOKENS_LIMIT' | 'MAX_DEPTH_LIMIT' | 'MAX_FIELDS_LIMIT' | 'MAX_ALIASES_LIMIT' | 'MAX_DIRECTIVES_LIMIT';

export function limitError(code: LimitCode, message: string, limit: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, http: { status: code === 'PAYLOAD_TOO_LARGE' ? 413 : 400 } } });
}

interface Measure {
  depth: number;
  fields: number;
  aliases: number;
  directives: number;
}

const empty: Measure = { depth: 0, fields: 0, aliases: 0, directives: 0 };

/**
 * Measures every operation of a document in one pass over its text: each fragment is measured once and
 * its measure reused wherever it is spread, so a fragment bomb (ten spreads of a fragment of ten spreads
 * of …) costs its size in text, not its size expanded. Counts saturate at Infinity rather than overflow.
 */
function measureDocument(document: DocumentNode): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, Measure>();
  const visiting = new Set<string>();

  const fragmentMeasure = (name: string): Measure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are graphql's own validation errors; here they add nothing.
    if (!fragment || visiting.has(name)) return empty;
    visiting.add(name);
    const measure = selectionMeasure(fragment.selectionSet);
    measure.directives += fragment.directives?.length ?? 0;
    visiting.delete(name);
    measured.set(name, measure);
    return measure;
  };

  const selectionMeasure = (selectionSet: SelectionSetNode | undefined): Measure => {
    const total: Measure = { depth: 0, fields: 0, aliases: 0, directives: 0 };
    if (!selectionSet) return total;
    for (const selection of selectionSet.selections) {
      total.directives += selection.directives?.length ?? 0;
      let inner: Measure;
      if (selection.kind === Kind.FIELD) {
        inner = selectionMeasure(selection.selectionSet);
        total.fields += 1;
        if (selection.alias) total.aliases += 1;
        total.depth = Math.max(total.depth, 1 + inner.depth);
      } else {
        inner = selection.kind === Kind.INLINE_FRAGMENT ? selectionMeasure(selection.selectionSet) : fragmentMeasure(selection.name.value);
        total.depth = Math.max(total.depth, inner.depth);
      }
      total.fields += inner.fields;
      total.aliases += inner.aliases;
      total.directives += inner.directives;
    }
    return total;
  };

  const document_: Measure = { depth: 0, fields: 0, aliases: 0, directives: 0 };
  const add = (measure: Measure) => {
    document_.depth = Math.max(document_.depth, measure.depth);
    document_.fields += measure.fields;
    document_.aliases += measure.aliases;
    document_.directives += measure.directives;
  };
  const definitions = document.definitions as readonly DefinitionNode[];
  for (const definition of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    add(selectionMeasure(definition.selectionSet));
    document_.directives +=
      (definition.directives?.length ?? 0) + (definition.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0);
  }
  for (const definition of definitions) {
    // A fragment no operation spreads is still text to validate: count it once.
    if (definition.kind === Kind.FRAGMENT_DEFINITION && !measured.has(definition.name.value)) add(fragmentMeasure(definition.name.value));
  }
  return document_;
}

/**
 * The gateway's first look at a query: size, tokens, depth, fields, aliases and directives, each refused
 * with its own code before graphql-js validation (whose rules are not all linear) or the query planner
 * see the document. Linear in the text: the parser stops at `maxTokens`, and fragments are measured once.
 * Answers the refusal, or null; a syntax error is left to the GraphQL server to report as usual.
 */
export function screenDocument(query: string, limits: DocumentLimits = defaultDocumentLimits): GraphQLError | null {
  if (Buffer.byteLength(query, 'utf8') > limits.maxDocumentBytes) {
    return limitError('PAYLOAD_TOO_LARGE', `The query document exceeds ${limits.maxDocumentBytes} bytes`, limits.maxDocumentBytes);
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    if (error instanceof RangeError)
      return limitError('MAX_DEPTH_LIMIT', 'The query document is nested too deeply to parse', limits.maxDepth);
    // By message, not instanceof: the parser may come from another copy of graphql (CommonJS and ESM builds).
    if (/more tha[nt] \d+ tokens/.test((error as Error)?.message ?? '')) {
      return limitError('MAX_TOKENS_LIMIT', `The query document has more than ${limits.maxTokens} tokens`, limits.maxTokens);
    }
    return null;
  }
  let measure: Measure;
  try {
    measure = measureDocument(document);
  } catch (error) {
    if (error instanceof RangeError) return limitError('MAX_DEPTH_LIMIT', 'The query document is nested too deeply', limits.maxDepth);
    throw error;
  }
  if (measure.depth > limits.maxDepth)
    return limitError(
      'MAX_DEPTH_LIMIT',
      `The operation is ${measure.depth} fields deep; at most ${limits.maxDepth} are allowed`,
      limits.maxDepth,
    );
  if (measure.fields > limits.maxFields) {
    return limitError(
      'MAX_FIELDS_LIMIT',
      `The document selects ${measure.fields} fields once fragments are expanded; at most ${limits.maxFields} are allowed`,
      limits.maxFields,
    );
  }
  if (measure.aliases > limits.maxAliases)
    return limitError(
      'MAX_ALIASES_LIMIT',
      `The document has ${measure.aliases} aliases; at most ${limits.maxAliases} are allowed`,
      limits.maxAliases,
    );
  if (measure.directives > limits.maxDirectives) {
    return limitError(
      'MAX_DIRECTIVES_LIMIT',
      `The document has ${measure.directives} directives; at most ${limits.maxDirectives} are allowed`,
      limits.maxDirectives,
    );
  }
  return null;
}
