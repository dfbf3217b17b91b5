import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  parse,
  valueFromASTUntyped,
  type ArgumentNode,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** `@listSize` of one field, as the demand-control spec (cost/v0.1) states it. */
interface ListSizeRule {
  assumedSize: number | null;
  slicingArguments: string[];
  /** Child fields the slicing argument sizes (a connection's `edges`), instead of the field itself. */
  sizedFields: string[];
}

/** The `@cost` and `@listSize` directives of a supergraph, by `Type.field` (and `@cost` on types by name). */
export interface CostModel {
  fieldWeights: Map<string, number>;
  typeWeights: Map<string, number>;
  listSizes: Map<string, ListSizeRule>;
}

export interface CostOptions {
  /** Size assumed for a list with no `@listSize` and no slicing argument. */
  defaultListSize: number;
  /** Weight of each root mutation field (a write, its transaction and its audit entry). */
  mutationWeight: number;
}

export const defaultCostOptions: CostOptions = { defaultListSize: 20, mutationWeight: 10 };

const argument = (directive: DirectiveNode, name: string): unknown => {
  const node = directive.arguments?.find((a) => a.name.value === name);
  return node ? valueFromASTUntyped(node.value) : undefined;
};

/**
 * Reads the demand-control directives the subgraphs declare (`@cost(weight:)`, `@listSize(assumedSize:,
 * slicingArguments:, sizedFields:)`), as composition writes them into the supergraph, so the gateway
 * charges what the schema states and any other gateway serving the same supergraph could charge the same.
 */
export function costModelOf(supergraphSdl: string): CostModel {
  const model: CostModel = { fieldWeights: new Map(), typeWeights: new Map(), listSizes: new Map() };
  const isCost = (d: DirectiveNode) => d.name.value === 'cost' || d.name.value === 'federation__cost';
  const isListSize = (d: DirectiveNode) => d.name.value === 'listSize' || d.name.value === 'federation__listSize';
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    for (const directive of definition.directives ?? [])
      if (isCost(directive)) model.typeWeights.set(typeName, Number(argument(directive, 'weight')));
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) {
      const key = `${typeName}.${field.name.value}`;
      for (const directive of field.directives ?? []) {
        if (isCost(directive)) model.fieldWeights.set(key, Number(argument(directive, 'weight')));
        if (isListSize(directive)) {
          const assumed = argument(directive, 'assumedSize');
          model.listSizes.set(key, {
            assumedSize: typeof assumed === 'number' ? assumed : null,
            slicingArguments: (argument(directive, 'slicingArguments') as string[] | undefined) ?? [],
            sizedFields: (argument(directive, 'sizedFields') as string[] | undefined) ?? [],
          });
        }
      }
    }
  }
  return model;
}

/** Sizes that a connection field hands down to its sized children (`edges` → the `first` asked for). */
type Sized = ReadonlyMap<string, number> | null;

/**
 * The operation's estimated cost, before it is planned: every object a field returns costs its weight
 * (1 unless `@cost` says otherwise; scalars and enums 0) plus its selections, times the size of the list
 * it is in — the slicing argument asked for (`first`), else `@listSize(assumedSize:)`, else
 * `defaultListSize`. Fragments are costed once per place they size differently, so the estimate is
 * linear in the document. An upper bound: inline fragments on different types all count.
 */
export function estimateCost(
  schema: GraphQLSchema,
  model: CostModel,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  options: CostOptions = defaultCostOptions,
): number {
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? [])
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (variables && variables[name] !== undefined && variables[name] !== null) return variables[name];
      const fallback = variableDefaults.get(name);
      return fallback ? valueFromASTUntyped(fallback) : undefined;
    }
    return valueFromASTUntyped(node, variables);
  };

  const sliceOf = (
    field: GraphQLField<unknown, unknown>,
    args: readonly ArgumentNode[] | undefined,
    rule: ListSizeRule | undefined,
  ): number => {
    let size: number | null = null;
    for (const name of rule?.slicingArguments ?? []) {
      const given = args?.find((a) => a.name.value === name);
      let value = given ? valueOf(given.value) : undefined;
      if (value === undefined || value === null) value = field.args.find((a) => a.name === name)?.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, Math.max(0, value));
    }
    return size ?? rule?.assumedSize ?? options.defaultListSize;
  };

  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const selectionCost = (
    type: GraphQLCompositeType,
    selectionSet: SelectionSetNode | undefined,
    sized: Sized,
    isMutationRoot: boolean,
  ): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) total += selectionCost(on, selection.selectionSet, sized, isMutationRoot);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const key = sized ? `${name}|${[...sized].join(',')}` : name;
        let cost = memo.get(key);
        if (cost === undefined) {
          const fragment = fragments.get(name);
          const on = fragment && schema.getType(fragment.typeCondition.name.value);
          if (!fragment || !on || !isCompositeType(on) || visiting.has(key)) continue;
          visiting.add(key);
          cost = selectionCost(on, fragment.selectionSet, sized, isMutationRoot);
          visiting.delete(key);
          memo.set(key, cost);
        }
        total += cost;
        continue;
      }
      const name = selection.name.value;
      // Introspection and __typename are answered by the gateway itself.
      if (name.startsWith('__') || !('getFields' in type)) continue;
      const field = type.getFields()[name];
      if (!field) continue;
      const key = `${type.name}.${name}`;
      const returned = getNamedType(field.type);
      const composite = isCompositeType(returned);
      const weight =
        model.fieldWeights.get(key) ??
        model.typeWeights.get(returned.name) ??
        (isMutationRoot ? options.mutationWeight : composite ? 1 : 0);
      const rule = model.listSizes.get(key);
      let multiplier = 1;
      let childSized: Sized = null;
      if (rule && rule.sizedFields.length > 0) {
        const size = sliceOf(field, selection.arguments, rule);
        childSized = new Map(rule.sizedFields.map((child) => [child, size]));
      } else if (isListType(getNullableType(field.type))) {
        multiplier = sized?.get(name) ?? sliceOf(field, selection.arguments, rule);
      }
      const children = composite ? selectionCost(returned, selection.selectionSet, childSized, false) : 0;
      total += multiplier * (weight + children);
    }
    return total;
  };

  const root = rootTypeOf(schema, operation);
  if (!root) return 0;
  return selectionCost(root, operation.selectionSet, null, operation.operation === 'mutation');
}

/** The type an operation's selections start from. */
export function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  if (operation.operation === 'mutation') return schema.getMutationType();
  return operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
}
