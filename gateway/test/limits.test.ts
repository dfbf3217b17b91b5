import { buildASTSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { screenArguments } from '../src/arguments.ts';
import { CostCapacity } from '../src/capacity.ts';
import { costModelOf, estimateCost } from '../src/cost.ts';
import { formatGatewayError } from '../src/errors.ts';
import { defaultDocumentLimits, screenDocument } from '../src/limits.ts';

/** A fragment bomb: F0 selects one field, each next fragment spreads the one before `fanOut` times. */
export function fragmentBomb(levels: number, fanOut = 10): string {
  const fragments = ['fragment F0 on Query { __typename }'];
  for (let level = 1; level <= levels; level++) fragments.push(`fragment F${level} on Query { ${`...F${level - 1} `.repeat(fanOut)}}`);
  return `{ ...F${levels} } ${fragments.join(' ')}`;
}

describe('document limits, decided in linear time before validation', () => {
  it('refuses a fragment bomb by its expanded size, without expanding it', () => {
    // Expanded, thirty levels would never finish: measured from the text, they take microseconds.
    const refusal = screenDocument(fragmentBomb(8));
    expect(refusal?.extensions.code).toBe('MAX_FIELDS_LIMIT');
    expect(refusal?.message).toMatch(/100000000 fields/);
    expect(screenDocument(fragmentBomb(30))?.extensions.code).toBe('MAX_FIELDS_LIMIT');
  });

  it('measures depth through fragments, each fragment once', () => {
    const chain = Array.from(
      { length: 20 },
      (_, i) => `fragment D${i} on Community { partyCommittee { ${i < 19 ? `...D${i + 1}` : 'name'} } }`,
    );
    const refusal = screenDocument(`{ community(code: "1") { ...D0 } } ${chain.join(' ')}`);
    expect(refusal?.extensions.code).toBe('MAX_DEPTH_LIMIT');
    expect(screenDocument(`{ community(code: "1") { ...D15 } } ${chain.slice(15).join(' ')}`)).toBeNull();
  });

  it('counts aliases and directives with fragments expanded', () => {
    const aliases = Array.from({ length: 51 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(screenDocument(`{ ${aliases} }`)?.extensions.code).toBe('MAX_ALIASES_LIMIT');
    const ten = Array.from({ length: 10 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(screenDocument(`{ ...A ...A ...A ...A ...A ...A } fragment A on Query { ${ten} }`)?.extensions.code).toBe('MAX_ALIASES_LIMIT');
    expect(screenDocument(`{ __typename ${'@include(if: true) '.repeat(51)}}`)?.extensions.code).toBe('MAX_DIRECTIVES_LIMIT');
  });

  it('stops the parser at the token limit, whatever the size of the rest', () => {
    const flood = `{ __typename ${'@include(if: true) '.repeat(50_000)}}`;
    expect(screenDocument(flood, { ...defaultDocumentLimits, maxDocumentBytes: 10_000_000 })?.extensions.code).toBe('MAX_TOKENS_LIMIT');
    expect(screenDocument(flood)?.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } });
  });

  it('refuses nesting too deep for the parser as a depth refusal, not a crash', () => {
    const deep = `{ ${'a { '.repeat(2_400)}b${' }'.repeat(2_400)} }`;
    expect(screenDocument(deep)?.extensions.code).toBe('MAX_DEPTH_LIMIT');
    expect(screenDocument(`{ f(a: ${'['.repeat(2_400)}1${']'.repeat(2_400)}) }`)).not.toBeUndefined();
  });

  it('leaves ordinary queries and syntax errors alone', () => {
    expect(screenDocument('{ district { name subdistricts { name communities { totalCount } } } }')).toBeNull();
    expect(screenDocument('{ district { name ')).toBeNull();
  });
});

const sdl = `
  directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  scalar Date
  type Query {
    things(first: Int, after: String): ThingConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"], assumedSize: 20, requireOneSlicingArgument: false)
    areas: [Area!]! @listSize(assumedSize: 10)
    unsized: [Area!]!
    total(year: Int): Int @cost(weight: 25)
    search(text: String, on: Date, filter: Filter): [Area!]! @listSize(assumedSize: 5)
  }
  input Filter { note: String, from: Date, years: [Int!] }
  type Mutation { touch(input: Filter): Area }
  type ThingConnection { edges: [ThingEdge!]! totalCount: Int! @cost(weight: 2) }
  type ThingEdge { cursor: String! node: Thing! }
  type Thing { id: ID! area: Area things(first: Int): ThingConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"], assumedSize: 20, requireOneSlicingArgument: false) }
  type Area { id: ID! name: String population: Int @cost(weight: 10) }
`;
const schema = buildASTSchema(parse(sdl));
const model = costModelOf(sdl);

function operationOf(query: string): { operation: OperationDefinitionNode; fragments: Map<string, FragmentDefinitionNode> } {
  const document = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operation ??= definition;
  }
  return { operation: operation!, fragments };
}

const cost = (query: string, variables?: Record<string, unknown>) => {
  const { operation, fragments } = operationOf(query);
  return estimateCost(schema, model, operation, fragments, variables);
};

describe('cost estimate from @cost and @listSize', () => {
  it('charges objects 1, scalars 0, and @cost weights where stated', () => {
    expect(cost('{ areas { id name } }')).toBe(10 * 1);
    expect(cost('{ areas { population } }')).toBe(10 * (1 + 10));
    expect(cost('{ total(year: 2019) }')).toBe(25);
    expect(cost('{ unsized { id } }')).toBe(20); // no @listSize: the default list size
  });

  it('sizes a connection by `first`, from a literal, a variable or its assumed size', () => {
    expect(cost('{ things(first: 100) { totalCount edges { node { id } } } }')).toBe(1 + 2 + 100 * (1 + 1));
    expect(cost('query($n: Int) { things(first: $n) { edges { node { id } } } }', { n: 7 })).toBe(1 + 7 * 2);
    expect(cost('query($n: Int = 3) { things(first: $n) { edges { node { id } } } }', {})).toBe(1 + 3 * 2);
    expect(cost('{ things { edges { node { id } } } }')).toBe(1 + 20 * 2);
    expect(cost('{ things(first: -5) { edges { node { id } } } }')).toBe(1);
  });

  it('multiplies nested lists, so nested connections cost what they could return', () => {
    const nested = '{ things(first: 500) { edges { node { things(first: 500) { edges { node { id } } } } } } }';
    expect(cost(nested)).toBe(1 + 500 * (1 + 1 + (1 + 500 * 2)));
  });

  it('costs fragments once per sizing, the same as written inline', () => {
    const inline = '{ things(first: 50) { edges { node { area { population } } } } }';
    const spread =
      '{ things(first: 50) { ...Page } } fragment Page on ThingConnection { edges { node { ...A } } } fragment A on Thing { area { population } }';
    expect(cost(spread)).toBe(cost(inline));
    const aliased = Array.from({ length: 40 }, (_, i) => `t${i}: things(first: 500) { edges { node { id } } }`).join(' ');
    expect(cost(`{ ${aliased} }`)).toBe(40 * (1 + 500 * 2));
  });

  it('charges each mutation field a write', () => {
    expect(cost('mutation { touch(input: {}) { id } }')).toBe(10);
  });
});

const screen = (query: string, variables?: Record<string, unknown>) => {
  const { operation, fragments } = operationOf(query);
  return screenArguments(schema, operation, fragments, variables);
};

describe('argument values checked before planning', () => {
  it('refuses U+0000 in literals and variables, naming the argument', () => {
    expect(screen('{ search(text: "a\\u0000b") { id } }')?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'text' });
    expect(screen('query($t: String) { search(text: $t) { id } }', { t: 'x\u0000' })?.extensions.argument).toBe('text');
    expect(screen('query($f: Filter) { search(filter: $f) { id } }', { f: { note: '\u0000' } })?.extensions.argument).toBe('filter.note');
  });

  it('checks custom scalars as the slices do: impossible dates and year 0', () => {
    expect(screen('{ search(on: "2019-13-45") { id } }')?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'on' });
    expect(screen('{ search(on: "0000-01-01") { id } }')?.extensions.argument).toBe('on');
    expect(screen('{ search(filter: { from: "2019-02-30" }) { id } }')?.extensions.argument).toBe('filter.from');
    expect(screen('query($d: Date) { search(on: $d) { id } }', { d: 20190101 })?.extensions.argument).toBe('on');
    expect(screen('{ search(on: "2019-02-28") { id } }')).toBeNull();
  });

  it('limits the length of strings given as arguments and inside inputs', () => {
    expect(screen(`{ search(text: "${'x'.repeat(257)}") { id } }`)?.message).toMatch(/257 characters/);
    expect(screen(`{ search(text: "${'x'.repeat(256)}") { id } }`)).toBeNull();
    expect(screen('query($f: Filter) { search(filter: $f) { id } }', { f: { note: 'x'.repeat(10_001) } })?.extensions.argument).toBe(
      'filter.note',
    );
    expect(screen('query($f: Filter) { search(filter: $f) { id } }', { f: { note: 'x'.repeat(5_000) } })).toBeNull();
  });

  it('refuses lists and objects where a custom scalar goes, and values nested without end', () => {
    expect(screen('{ search(on: { a: 1 }) { id } }')?.extensions.argument).toBe('on');
    expect(screen('query($d: Date) { search(on: $d) { id } }', { d: ['2019-01-01'] })?.extensions.argument).toBe('on');
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(screen('query($t: String) { search(text: $t) { id } }', { t: deep })?.message).toMatch(/nested more than/);
  });

  it('checks declared variables the operation never uses', () => {
    expect(screen('query($t: String) { areas { id } }', { t: '\u0000' })?.extensions.argument).toBe('$t');
  });
});

describe('errors in production', () => {
  it('mask what is unexpected behind an id, and keep client errors as they are', () => {
    const lines: string[] = [];
    const format = formatGatewayError(true, (line) => lines.push(line));
    const leaked = format(
      {
        message: 'select * from people.persons where id = $1 -- params: x',
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at /work/x.ts:1'] },
      },
      new Error('select * from people.persons'),
    );
    expect(leaked.message).toBe('Internal server error');
    expect(leaked.extensions?.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(leaked)).not.toMatch(/select|people|work/);
    expect(lines[0]).toContain(leaked.extensions!.errorId as string);
    expect(lines[0]).toContain('select * from people.persons');
    const client = format(
      { message: 'Argument `on`: bad', extensions: { code: 'BAD_USER_INPUT', argument: 'on', response: { url: 'http://127.0.0.1:4001' } } },
      null,
    );
    expect(client).toEqual({ message: 'Argument `on`: bad', extensions: { code: 'BAD_USER_INPUT', argument: 'on' } });
  });
});

describe('cost in flight', () => {
  it('lets requests run while their estimates fit, then in arrival order as others finish', async () => {
    const capacity = new CostCapacity(100);
    const releaseA = await capacity.acquire(60);
    const order: string[] = [];
    const b = capacity.acquire(50).then((release) => (order.push('b'), release));
    const c = capacity.acquire(10).then((release) => (order.push('c'), release));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // c would fit now, but b came first: nothing overtakes a waiting request.
    expect(order).toEqual([]);
    expect(capacity.running).toBe(60);
    releaseA();
    const [releaseB, releaseC] = await Promise.all([b, c]);
    expect(order).toEqual(['b', 'c']);
    expect(capacity.running).toBe(60);
    releaseB();
    releaseB(); // a second release changes nothing
    releaseC();
    expect(capacity.running).toBe(0);
    // An estimate above the capacity runs alone, as the whole capacity.
    const huge = await capacity.acquire(10_000);
    expect(capacity.running).toBe(100);
    huge();
  });

  it('refuses a waiting request as SERVER_BUSY when its deadline passes, and lets the next one through', async () => {
    const capacity = new CostCapacity(100);
    const release = await capacity.acquire(100);
    const deadline = new AbortController();
    const waiting = capacity.acquire(80, deadline.signal);
    const next = capacity.acquire(20);
    deadline.abort();
    await expect(waiting).rejects.toMatchObject({ extensions: { code: 'SERVER_BUSY', http: { status: 503 } } });
    release();
    (await next)();
    expect(capacity.running).toBe(0);
  });
});
