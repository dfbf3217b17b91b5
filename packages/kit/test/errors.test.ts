import { sql } from 'drizzle-orm';
import { GraphQLError, parse, type FormattedExecutionResult } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { adminCaller } from '../src/access.ts';
import { openDatabase, type Database } from '../src/db.ts';
import { badInput, classifyError, errorFormatter, malformedValueMessage } from '../src/errors.ts';
import { findNul } from '../src/nul-guard.ts';
import { buildSubgraphApollo } from '../src/subgraph.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../src/testing.ts';
import { probeSubgraph, type ProbeContext } from './probe.ts';

let resolved = 0;

const probe = probeSubgraph(
  `echo(text: String!, note: String): String
  dateOf(text: String!): String
  withNul: String
  broken: Int
  refused: Int`,
  {
    echo: async (_parent, args, { database }) => {
      resolved += 1;
      return (await database.rows<{ text: string }>(sql`select ${args.text}::text as text`))[0]!.text;
    },
    // The text goes to SQL unchecked, as a value no scalar guards would.
    dateOf: async (_parent, args, { database }) =>
      (await database.rows<{ day: string }>(sql`select ${args.text}::date::text as day`))[0]!.day,
    // A NUL made on the server, past the request's guard: PostgreSQL's refusal is the safety net.
    withNul: async (_parent, _args, { database }) =>
      (await database.rows<{ text: string }>(sql`select ${'a\u0000b'}::text as text`))[0]!.text,
    broken: async (_parent, _args, { database }) => {
      await database.rows(sql`select secret_column from no_such_table where id = ${'personal-value'}`);
      return 1;
    },
    refused: () => {
      throw badInput('`note` is too long', 'note');
    },
  },
  {
    fields: 'rename(name: String!): String',
    // As slices do: a mutation checks its own input and answers a field error a form can show.
    resolvers: { rename: (_parent, args) => (String(args.name).includes('\u0000') ? 'INVALID name' : 'ok') },
  },
);

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(testEngines())('errors answered by a subgraph on $name', ({ engine }) => {
  let testDatabase: TestDatabase;
  let database: Database;
  const apollo = buildSubgraphApollo(probe);
  const ask = async (query: string, variables?: Record<string, unknown>): Promise<FormattedExecutionResult> => {
    const response = await apollo.executeOperation(
      { query, variables },
      { contextValue: { database, caller: adminCaller } satisfies ProbeContext },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };
  const codes = (result: FormattedExecutionResult) => result.errors?.map((error) => error.extensions?.code);

  let nodeEnv: string | undefined;
  let logged: string[];
  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    database = await openDatabase({ name: 'probe', schema: {}, url: testDatabase.url, poolMax: 2 });
    await apollo.start();
  });
  afterAll(async () => {
    await apollo.stop();
    await database?.close();
    await testDatabase?.drop();
  });
  beforeEach(() => {
    nodeEnv = process.env.NODE_ENV;
    logged = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((line) => (logged.push(String(line)), true));
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
    vi.restoreAllMocks();
  });

  it('in production, answers an unexpected failure with an opaque id, and logs what happened under it', async () => {
    process.env.NODE_ENV = 'production';
    const result = await ask('{ broken }');
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error).toEqual({
      message: 'Internal server error',
      locations: [{ line: 1, column: 3 }],
      path: ['broken'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(uuid) },
    });
    expect(JSON.stringify(result)).not.toMatch(/select|no_such_table|personal-value|stack/i);
    const lines = logged.filter((line) => line.includes(String(error!.extensions!.errorId)));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'error', service: 'probe', errorId: error!.extensions!.errorId, path: ['broken'] });
    expect(lines[0]).toContain('select secret_column from no_such_table');
    expect(lines[0]).toMatch(/"stack":/);
    // The statement's parameters are the caller's data: the log counts them, it does not keep them.
    expect(lines[0]).not.toContain('personal-value');
  });

  it('outside production, keeps the message of an unexpected failure but still no stack trace, with an id', async () => {
    process.env.NODE_ENV = 'development';
    const [error] = (await ask('{ broken }')).errors!;
    expect(error!.message).toMatch(/no_such_table/);
    expect(error!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(uuid) });
  });

  it('answers a value PostgreSQL finds malformed or out of range (SQLSTATE class 22) as BAD_USER_INPUT, without SQL', async () => {
    process.env.NODE_ENV = 'production';
    for (const query of ['{ dateOf(text: "0000-01-01") }', '{ dateOf(text: "2019-02-30") }', '{ dateOf(text: "soon") }', '{ withNul }']) {
      const result = await ask(query);
      expect(result.errors, query).toEqual([
        {
          message: malformedValueMessage,
          locations: [{ line: 1, column: 3 }],
          path: [query.includes('withNul') ? 'withNul' : 'dateOf'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
    }
    expect(logged).toEqual([]);
  });

  it('refuses a NUL character in an argument, literal or variable, before any resolver runs', async () => {
    process.env.NODE_ENV = 'production';
    resolved = 0;
    const literal = await ask('{ echo(text: "fine", note: "a\\u0000b") }');
    expect(literal.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'note' } })]);
    const variable = await ask('query($t: String!) { echo(text: $t) }', { t: 'x\u0000' });
    expect(variable.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'text', variable: 't' } })]);
    const escaped = await ask('{ echo(text: "\\u{0}") }');
    expect(codes(escaped)).toEqual(['BAD_USER_INPUT']);
    expect(resolved).toBe(0);
    // The same text without the NUL is answered.
    expect((await ask('{ echo(text: "a\\u0001b") }')).data).toEqual({ echo: 'a\u0001b' });
  });

  it('leaves a NUL in a mutation’s input to the mutation, which answers it as a field error', async () => {
    const result = await ask('mutation($n: String!) { rename(name: $n) }', { n: 'a\u0000b' });
    expect(result).toEqual({ data: { rename: 'INVALID name' } });
  });

  it('passes errors written for the client unchanged', async () => {
    process.env.NODE_ENV = 'production';
    expect((await ask('{ refused }')).errors).toEqual([
      {
        message: '`note` is too long',
        locations: [{ line: 1, column: 3 }],
        path: ['refused'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'note' },
      },
    ]);
    expect(codes(await ask('{ nothing }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await ask('{ echo('))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(logged).toEqual([]);
  });
});

describe('classifyError', () => {
  it('looks through the wrappers a failed statement comes in for a client code or an SQLSTATE', () => {
    const postgresError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const drizzleError = Object.assign(new Error('Failed query: select $1\nparams: x'), { cause: postgresError });
    const located = new GraphQLError(drizzleError.message, { originalError: drizzleError });
    expect(classifyError(located)).toEqual({ kind: 'malformed', sqlState: '22021' });
    expect(classifyError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toEqual({
      kind: 'timeout',
      sqlState: '57014',
    });
    const cancelled = new GraphQLError('cancelled', { extensions: { code: 'REQUEST_CANCELLED' } });
    expect(
      classifyError(
        new GraphQLError('Failed query: select 1', { originalError: Object.assign(new Error('Failed query'), { cause: cancelled }) }),
      ),
    ).toMatchObject({ kind: 'client', code: 'REQUEST_CANCELLED' });
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({ kind: 'internal' });
    expect(classifyError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toEqual({ kind: 'internal' });
    expect(classifyError(new GraphQLError('boom', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }))).toEqual({ kind: 'internal' });
  });

  it('answers a wrapped client error with its own message, not the wrapper’s', () => {
    const format = errorFormatter({ service: 'test', production: true, log: () => {} });
    const cancelled = new GraphQLError('The request was cancelled', { extensions: { code: 'REQUEST_CANCELLED' } });
    const wrapper = new GraphQLError('Failed query: select secret\nparams: x', {
      originalError: Object.assign(new Error('Failed query'), { cause: cancelled }),
      path: ['a'],
    });
    expect(
      format({ message: wrapper.message, path: ['a'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, wrapper),
    ).toEqual({
      message: 'The request was cancelled',
      path: ['a'],
      extensions: { code: 'REQUEST_CANCELLED' },
    });
  });
});

describe('findNul', () => {
  it('names the argument a literal or variable holding U+0000 is given to, however deep', () => {
    const document = parse('query($v: [In!]) { a(x: "ok", y: { z: ["\\u0000"] }) @d(w: $v) { b(c: $v) } }');
    expect(findNul(document, {})).toEqual({ argument: 'y' });
    expect(findNul(parse('query($v: In) { a(x: "ok") { b(c: $v) } }'), { v: { deep: ['fine', 'bad\u0000'] } })).toEqual({
      argument: 'c',
      variable: 'v',
    });
    expect(findNul(parse('query($v: String) { a(x: "ok") }'), { v: '\u0000' })).toEqual({ variable: 'v' });
    expect(findNul(parse('{ a(x: "ok\\u0001") }'), { unused: 'fine' })).toBeNull();
  });
});
