import { request } from 'node:http';
import { sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminCaller } from '../src/access.ts';
import { openDatabase, type Database } from '../src/db.ts';
import { classifyError } from '../src/errors.ts';
import { currentRequestScope, runInRequestScope } from '../src/request-scope.ts';
import { buildSubgraphApollo, serveSubgraph, type RunningSubgraph } from '../src/subgraph.ts';
import { createTestDatabase, gatewayCredential, testEngines, testSubgraphSecret, type TestDatabase } from '../src/testing.ts';
import { probeSubgraph, type ProbeContext } from './probe.ts';

/** What the probe's resolvers saw, for the test to read once the client has gone. */
let outcome: Record<string, unknown> = {};

/** The error code a failure carries as the client would see it: a GraphQL code, or what a cancelled statement becomes. */
function codeOf(failure: unknown): string {
  const verdict = classifyError(failure);
  if (verdict.kind === 'client') return verdict.code;
  return verdict.kind === 'timeout' ? 'CANCELLED_STATEMENT' : `unexpected: ${String(failure)}`;
}

const settle = (work: Promise<unknown>) =>
  work.then(
    () => 'ran',
    (error: unknown) => codeOf(error),
  );

const probe = probeSubgraph(
  `ping: Int
  sleep(seconds: Float!): Int
  sleepThenMore(seconds: Float!): Int
  sleepInTransaction(seconds: Float!): Int
  waitForAbandon: Int`,
  {
    ping: async (_parent, _args, { database }) => (await database.rows<{ one: number }>(sql`select 1 as one`))[0]!.one,
    sleep: async (_parent, args, { database }) => {
      await database.rows(sql`select pg_sleep(${args.seconds}) as slow_probe`);
      return 1;
    },
    sleepThenMore: async (_parent, args, { database }) => {
      outcome.sleep = await settle(database.rows(sql`select pg_sleep(${args.seconds}) as abandoned_probe`));
      outcome.later = await settle(database.rows(sql`select 'later' as later_probe`));
      return 1;
    },
    sleepInTransaction: async (_parent, args, { database }) => {
      outcome.sleep = await settle(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await tx.execute(sql`select pg_sleep(${args.seconds}) as abandoned_probe`);
        }),
      );
      outcome.later = await settle(database.db.transaction((tx) => tx.execute(sql`select 'later' as later_probe`)));
      return 1;
    },
    waitForAbandon: async (_parent, _args, { database }) => {
      await database.rows(sql`select 1`);
      const { signal } = currentRequestScope()!;
      outcome.started = true;
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      const before = database.statementCount();
      outcome.statement = await settle(database.rows(sql`select 2`));
      outcome.transaction = await settle(database.db.transaction((tx) => tx.execute(sql`select 3`)));
      outcome.sent = database.statementCount() - before;
      return 1;
    },
  },
);

/** Polls `check` until it holds; fails after `withinMs` (generous: only an upper bound for slow machines). */
async function until(check: () => boolean | Promise<boolean>, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts `query` over HTTP as the gateway would, on a connection of its own, and answers how to walk away
 * from it: the connection is dropped, as when the gateway's budget for the call runs out.
 */
async function startRequest(url: string, query: string): Promise<{ abort(): void }> {
  const call = request(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', ...(await gatewayCredential()) },
  });
  call.on('error', () => {}); // the drop, expected
  call.end(JSON.stringify({ query }));
  return { abort: () => call.destroy() };
}

beforeEach(() => {
  outcome = {};
});

describe.each(testEngines())('an abandoned request on $name', ({ engine }) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let running: RunningSubgraph;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(engine);
    database = await openDatabase({ name: 'probe', schema: {}, url: testDatabase.url, poolMax: 3 });
    running = await serveSubgraph(probe, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
  });
  afterAll(async () => {
    await running?.stop();
    await database?.close();
    await testDatabase?.drop();
  });

  it('starts no statement and no transaction once its client has gone', async () => {
    const controller = await startRequest(running.url, '{ waitForAbandon }');
    await until(() => outcome.started === true);
    controller.abort();
    await until(() => outcome.sent !== undefined);
    expect(outcome).toMatchObject({ statement: 'REQUEST_CANCELLED', transaction: 'REQUEST_CANCELLED', sent: 0 });
  });

  it('leaves work outside any request alone, and refuses work of a request already abandoned', async () => {
    await expect(runInRequestScope(AbortSignal.abort(), () => database.rows(sql`select 1`))).rejects.toMatchObject({
      extensions: { code: 'REQUEST_CANCELLED' },
    });
    await expect(
      runInRequestScope(AbortSignal.abort(), () => database.db.transaction((tx) => tx.execute(sql`select 1`))),
    ).rejects.toMatchObject({
      extensions: { code: 'REQUEST_CANCELLED' },
    });
    await expect(runInRequestScope(new AbortController().signal, () => database.rows(sql`select 1 as one`))).resolves.toEqual([{ one: 1 }]);
    await expect(database.rows(sql`select 1 as one`)).resolves.toEqual([{ one: 1 }]);
  });
});

// A running statement can only be cancelled, and a statement_timeout only enforced, by a PostgreSQL
// server: PGlite runs each statement to its end, synchronously (it accepts statement_timeout and ignores it).
const server = testEngines().find(({ engine }) => engine === 'default');
if (server) {
  describe('deadlines on the PostgreSQL server', () => {
    let testDatabase: TestDatabase;
    let database: Database;
    let running: RunningSubgraph;

    /** Statements of this test database, other than the observer's own, still running and matching `marker`. */
    const activeStatements = async (marker: string) => {
      const [row] = await database.rows<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity
             where datname = current_database() and state = 'active' and pid <> pg_backend_pid() and query like ${`%${marker}%`}`,
      );
      return row!.n;
    };

    beforeAll(async () => {
      testDatabase = await createTestDatabase('default');
      database = await openDatabase({ name: 'probe', schema: {}, url: testDatabase.url, poolMax: 3 });
      running = await serveSubgraph(probe, database, { port: 0, host: '127.0.0.1', secret: testSubgraphSecret });
    });
    afterAll(async () => {
      await running?.stop();
      await database?.close();
      await testDatabase?.drop();
    });

    for (const field of ['sleepThenMore', 'sleepInTransaction']) {
      it(`cancels the statement an abandoned request is running (${field}), and starts none after it`, async () => {
        const controller = await startRequest(running.url, `{ ${field}(seconds: 30) }`);
        await until(async () => (await activeStatements('abandoned_probe')) === 1);
        controller.abort();
        await until(async () => (await activeStatements('abandoned_probe')) === 0);
        await until(() => outcome.later !== undefined);
        expect(outcome).toEqual({ sleep: 'CANCELLED_STATEMENT', later: 'REQUEST_CANCELLED' });
        // Every pooled connection is free again.
        const answers = await Promise.all([1, 2, 3].map(() => database.rows(sql`select 1 as one`)));
        expect(answers.flat()).toEqual([{ one: 1 }, { one: 1 }, { one: 1 }]);
      });
    }

    describe('with a short statement_timeout', () => {
      let limited: Database;
      beforeAll(async () => {
        limited = await openDatabase({ name: 'probe', schema: {}, url: testDatabase.url, poolMax: 1, statementTimeoutMs: 300 });
      });
      afterAll(async () => limited?.close());

      it('sets it on every pooled connection', async () => {
        const [settings] = await limited.rows(sql`select current_setting('statement_timeout') as statement`);
        expect(settings).toEqual({ statement: '300ms' });
      });

      it('answers a statement that outlives it with DEADLINE_EXCEEDED, and the connection serves the next request', async () => {
        const apollo = buildSubgraphApollo(probe);
        await apollo.start();
        try {
          const ask = async (query: string) => {
            const response = await apollo.executeOperation(
              { query },
              { contextValue: { database: limited, caller: adminCaller } satisfies ProbeContext },
            );
            if (response.body.kind !== 'single') throw new Error('expected a single result');
            return response.body.singleResult;
          };
          const slow = await ask('{ sleep(seconds: 5) }');
          expect(slow.errors?.map((error) => error.extensions?.code)).toEqual(['DEADLINE_EXCEEDED']);
          expect(JSON.stringify(slow.errors)).not.toMatch(/pg_sleep|select/i);
          expect((await ask('{ ping }')).data).toEqual({ ping: 1 });
        } finally {
          await apollo.stop();
        }
      });

      it('does not limit a bulk load', async () => {
        await limited.rows(sql`create table slow_load (n integer not null)`);
        const table = pgTable('slow_load', { n: integer('n').notNull() });
        // The rows are made while the COPY statement is open, for longer than the limit.
        function* rows() {
          const until = Date.now() + 1_000;
          while (Date.now() < until);
          yield { n: 1 };
        }
        await expect(limited.replaceAll([{ table, rows: rows() }])).resolves.toEqual({ slow_load: 1 });
      });
    });
  });
}
