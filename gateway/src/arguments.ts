import { parseFen, parseInstant, parseIsoDate } from '@gongzhi/kit';
import { rootTypeOf } from './cost.ts';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isInputType,
  isScalarType,
  Kind,
  typeFromAST,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface ArgumentLimits {
  /** Characters of a String or ID given directly as an argument (ids, cursors, search strings). */
  maxArgumentLength: number;
  /** Characters of a String inside an input object (a mutation's free text; each slice checks its own, tighter, limits). */
  maxInputTextLength: number;
}

export const defaultArgumentLimits: ArgumentLimits = { maxArgumentLength: 256, maxInputTextLength: 10_000 };

/** The custom scalars of the graph, checked here as the slices check them, so a bad value never reaches one. */
const scalarChecks: Record<string, (value: unknown) => void> = {
  Date: (value) => void parseIsoDate(value),
  DateTime: (value) => {
    if (typeof value !== 'string' || parseInstant(value) === null)
      throw new Error('DateTime must be an ISO 8601 date and time with an offset');
  },
  Fen: (value) => void parseFen(value),
};

/** Input values nest at most this deep (the graph's deepest input is two levels). */
const maxValueDepth = 16;

/** Whether a JSON value nests deeper than `levels`, walked without recursion. */
function hasDepthOver(value: object, levels: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (depth > levels) return true;
    if (item && typeof item === 'object')
      for (const child of Object.values(item)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

const refuse = (argument: string, message: string) =>
  new GraphQLError(`Argument \`${argument}\`: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } } });

/**
 * Checks every argument value of an operation (literals, and variables where they are used) before it
 * is planned: custom scalars (`Date`, `DateTime`, `Fen`) must parse, no string may hold U+0000 (PostgreSQL
 * text cannot), and strings have length limits. A bad value is BAD_USER_INPUT naming the argument, so
 * it is never sent to a slice, let alone to SQL. Fragments and variables are checked once each.
 */
export function screenArguments(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> | undefined,
  limits: ArgumentLimits = defaultArgumentLimits,
): GraphQLError | null {
  const checkedVariables = new Set<string>();
  const seenFragments = new Set<string>();

  /** A runtime value (from variables) against its input type. */
  const checkValue = (value: unknown, type: GraphQLInputType, argument: string, nested: boolean, depth = 0): string | null => {
    if (value === null || value === undefined) return null;
    if (depth > maxValueDepth) return `${argument}|is nested more than ${maxValueDepth} levels deep`;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        const problem = checkValue(item, nullable.ofType, argument, nested, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    if (isInputObjectType(nullable)) {
      if (typeof value !== 'object' || Array.isArray(value)) return null; // graphql's coercion reports the shape
      const fields = nullable.getFields();
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
        const field = fields[name];
        if (!field) continue;
        const problem = checkValue(item, field.type, `${argument}.${name}`, true, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    if (!isScalarType(nullable)) return null;
    if (typeof value === 'object' && scalarChecks[nullable.name]) return `${argument}|${nullable.name} cannot be a list or an object`;
    if (typeof value === 'object' && hasDepthOver(value, maxValueDepth - depth))
      return `${argument}|is nested more than ${maxValueDepth} levels deep`;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return `${argument}|contains the character U+0000, which is not allowed`;
      const max = nested ? limits.maxInputTextLength : limits.maxArgumentLength;
      if (value.length > max) return `${argument}|is ${value.length} characters long; at most ${max} are allowed`;
    }
    const check = scalarChecks[nullable.name];
    if (check) {
      try {
        check(value);
      } catch (error) {
        return `${argument}|${(error as Error).message}`;
      }
    }
    return null;
  };

  /** A literal (or a variable in its place) against its input type. */
  const checkLiteral = (node: ValueNode, type: GraphQLInputType, argument: string, nested: boolean): string | null => {
    const named = getNamedType(type);
    if (
      (node.kind === Kind.OBJECT || node.kind === Kind.LIST) &&
      isScalarType(named) &&
      scalarChecks[named.name] &&
      !isListType(getNullableType(type))
    ) {
      return `${argument}|${named.name} cannot be a list or an object`;
    }
    if (node.kind === Kind.VARIABLE) {
      const key = `${node.name.value}|${nested}|${String(type)}`;
      if (checkedVariables.has(key)) return null;
      checkedVariables.add(key);
      return checkValue(variables?.[node.name.value], type, argument, nested);
    }
    const nullable = getNullableType(type);
    if (node.kind === Kind.LIST) {
      const itemType = isListType(nullable) ? nullable.ofType : type;
      for (const item of node.values) {
        const problem = checkLiteral(item, itemType, argument, nested);
        if (problem) return problem;
      }
      return null;
    }
    if (node.kind === Kind.OBJECT) {
      const objectType = isListType(nullable) ? getNamedType(nullable) : nullable;
      if (!isInputObjectType(objectType)) return null;
      const fields = objectType.getFields();
      for (const field of node.fields) {
        const definition = fields[field.name.value];
        if (!definition) continue;
        const problem = checkLiteral(field.value, definition.type, `${argument}.${field.name.value}`, true);
        if (problem) return problem;
      }
      return null;
    }
    if (node.kind === Kind.NULL || node.kind === Kind.ENUM) return null;
    if (isListType(nullable)) return checkLiteral(node, nullable.ofType, argument, nested);
    const value = node.kind === Kind.INT || node.kind === Kind.FLOAT ? Number(node.value) : node.value;
    return isScalarType(named) ? checkValue(value, named, argument, nested) : null;
  };

  const walk = (type: ReturnType<GraphQLSchema['getType']>, selectionSet: SelectionSetNode | undefined): string | null => {
    if (!selectionSet || !type) return null;
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) {
        const definition = schema.getDirective(directive.name.value);
        for (const argument of directive.arguments ?? []) {
          const argumentDefinition = definition?.args.find((a) => a.name === argument.name.value);
          if (!argumentDefinition) continue;
          const problem = checkLiteral(argument.value, argumentDefinition.type, argument.name.value, false);
          if (problem) return problem;
        }
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const problem = walk(selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type, selection.selectionSet);
        if (problem) return problem;
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seenFragments.has(name)) continue;
        seenFragments.add(name);
        const problem = walk(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet);
        if (problem) return problem;
        continue;
      }
      if (!('getFields' in type)) continue;
      const field = (type.getFields() as Record<string, { args?: readonly { name: string; type: GraphQLInputType }[]; type: unknown }>)[
        selection.name.value
      ];
      if (!field) continue;
      for (const argument of selection.arguments ?? []) {
        const definition = field.args?.find((a) => a.name === argument.name.value);
        if (!definition) continue;
        const problem = checkLiteral(argument.value, definition.type, argument.name.value, false);
        if (problem) return problem;
      }
      const problem = walk(getNamedType(field.type as GraphQLInputType), selection.selectionSet);
      if (problem) return problem;
    }
    return null;
  };

  let problem = walk(rootTypeOf(schema, operation) ?? undefined, operation.selectionSet);
  // Variables the operation declares but never uses are coerced by graphql anyway: check them too.
  for (const definition of operation.variableDefinitions ?? []) {
    if (problem) break;
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type) || [...checkedVariables].some((key) => key.startsWith(`${name}|`))) continue;
    problem = checkValue(variables?.[name], type, `$${name}`, isInputObjectType(getNamedType(type)));
  }
  if (!problem) return null;
  const bar = problem.indexOf('|');
  return refuse(problem.slice(0, bar), problem.slice(bar + 1));
}
