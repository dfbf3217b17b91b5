import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Logger, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { copyStatement, jsonInsertStatement, replaceTables, type BulkLoadOptions, type TableLoad } from './bulk.ts';
import { currentRequestScope, requestCancelled, throwIfRequestCancelled } from './request-scope.ts';

/** What `execute` answers on either driver: postgres.js the rows themselves (a `RowList`), PGlite `{ rows }`. */
export type ExecuteResult<TRow> = TRow[] | { rows: TRow[] };

/** Drizzle's result kind for `Db`: `execute` answers an `ExecuteResult`, whichever driver runs it. */
export interface EitherDriverQueryResultHKT extends PgQueryResultHKT {
  type: ExecuteResult<this['row']>;
}

/** A drizzle database over either driver; resolvers and loaders only ever see this type. */
export type Db<TSchema extends Record<string, unknown> = Record<string, never>> = PgDatabase<EitherDriverQueryResultHKT, TSchema>;

export type DatabaseDriver = 'pglite' | 'postgres';

export interface DatabaseOptions<TSchema extends Record<string, unknown>> {
  /** The subgraph's name; also its Postgres schema and the owner of its migrations table. */
  name: string;
  schema: TSchema;
  /** postgres:// URL. When absent, embedded PostgreSQL (PGlite) is used. */
  url?: string | undefined;
  /** PGlite data directory; absent means in memory (tests). Ignored with a URL. */
  dataDir?: string | undefined;
  /** postgres.js pool size per process. */
  poolMax?: number;
  /**
   * Longest a statement (and a transaction left idle) may run on a PostgreSQL server before the server
   * cancels it; 0 leaves the server's own setting. Migrations and bulk loads are not limited. PGlite
   * accepts the setting but never enforces it (no timer interrupts in WebAssembly), so it is not applied there.
   */
  statementTimeoutMs?: number;
  /**
   * A role without superuser, ownership or BYPASSRLS that every request runs as, so row-level security
   * binds (created by the slice's migrations). Migrations and seeding run as the connecting user.
   */
  appRole?: string | undefined;
}

export interface Database<TSchema extends Record<string, unknown> = Record<string, never>> {
  readonly name: string;
  readonly driver: DatabaseDriver;
  readonly db: Db<TSchema>;
  /** Statements sent through drizzle since the database was opened (tests prove batching with it). */
  statementCount(): number;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  /** Rows of a raw SQL statement, the same shape on either driver. */
  rows<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  /** Applies the subgraph's committed migrations to its own schema; a no-op when up to date. */
  migrate(migrationsFolder: string): Promise<void>;
  /**
   * Replaces all rows of `loads`' tables in one transaction (COPY on a server, JSON chunks embedded),
   * rebuilding indexes and foreign keys after the load. Answers rows loaded per table.
   */
  replaceAll(loads: TableLoad[], options?: BulkLoadOptions): Promise<Record<string, number>>;
  /** Runs `run` in a transaction as the connecting user, not the app role: for tests' hand computations. */
  asOwner<T>(run: (tx: Db<TSchema>) => Promise<T>): Promise<T>;
  /** Rows of a raw SQL statement as the connecting user, row-level security aside. */
  ownerRows<T = Record<string, unknown>>(statement: SQL): Promise<T[]>;
  close(): Promise<void>;
}

/** Default of `statementTimeoutMs`: the same budget as the gateway's call to a subgraph. */
export const defaultStatementTimeoutMs = 10_000;

/**
 * Drizzle calls `logQuery` just before it hands every statement to either driver, so this is also where
 * a statement of an abandoned request is refused, on both drivers alike.
 */
class CountingLogger implements Logger {
  count = 0;
  logQuery(query: string): void {
    throwIfRequestCancelled();
    if (process.env.DEBUG_SQL) console.log('SQL', query.slice(0, 160));
    this.count += 1;
  }
}

const migrationsTable = '__migrations';

/**
 * Rows of a raw SQL statement on a database or transaction of either driver. `T` states what the SQL
 * selects: nothing checks it, as with any raw statement.
 */
export async function rowsOf<T = Record<string, unknown>>(db: Db<Record<string, unknown>>, statement: SQL): Promise<T[]> {
  const result = await db.execute(statement);
  return (Array.isArray(result) ? result : result.rows) as T[];
}

/** Reads as the connecting user rather than the app role, in a transaction of their own (either driver). */
function ownerAccess<TSchema extends Record<string, unknown>>(db: Db<TSchema>): Pick<Database<TSchema>, 'asOwner' | 'ownerRows'> {
  const asOwner = <T>(run: (tx: Db<TSchema>) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`set local role none`);
      return run(tx);
    });
  return { asOwner, ownerRows: <T>(statement: SQL) => asOwner((tx) => rowsOf<T>(tx, statement)) };
}

export async function openDatabase<TSchema extends Record<string, unknown>>(options: DatabaseOptions<TSchema>): Promise<Database<TSchema>> {
  const logger = new CountingLogger();
  const base = {
    name: options.name,
    statementCount: () => logger.count,
  };

  if (options.url) {
    const url = options.url;
    const timeoutMs = options.statementTimeoutMs ?? defaultStatementTimeoutMs;
    const client = postgres(url, {
      max: options.poolMax ?? 10,
      idle_timeout: 30,
      connect_timeout: 10,
      max_lifetime: 60 * 30,
      onnotice: () => {},
      connection: {
        application_name: `gongzhi-${options.name}`,
        ...(options.appRole && { options: `-c role=${options.appRole}` }),
        // A runaway statement cannot hold a pooled connection for long. (No idle-in-transaction limit: a
        // process busy generating rows, as seeding is, leaves its transactions idle while it computes.)
        ...(timeoutMs > 0 && { statement_timeout: timeoutMs }),
      },
    });
    const db: Db<TSchema> = drizzlePostgres({ client: cancellable(client), schema: options.schema, logger });
    return {
      ...base,
      driver: 'postgres',
      db,
      ping: async () => {
        await client`select 1`;
      },
      rows: <T>(statement: SQL) => rowsOf<T>(db, statement),
      migrate: async (migrationsFolder) => {
        // One dedicated connection, serialised by an advisory lock, so replicas starting together
        // never run the same migration twice.
        const single = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
        try {
          await single`select pg_advisory_lock(hashtext(${`gongzhi:migrate:${options.name}`}))`;
          await migratePostgres(drizzlePostgres({ client: single }), {
            migrationsFolder,
            migrationsSchema: options.name,
            migrationsTable,
          });
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      ...ownerAccess(db),
      replaceAll: (loads, loadOptions) =>
        client.begin(async (tx) => {
          // As the connecting user (it owns the tables); index builds sort in memory, not on disk.
          await tx.unsafe(`set local role none`);
          await tx.unsafe(`select set_config('gongzhi.role', 'system', true)`);
          await tx.unsafe(`set local maintenance_work_mem = '512MB'`);
          // A full load and its index builds take as long as they take.
          await tx.unsafe(`set local statement_timeout = 0`);
          return replaceTables(
            {
              query: (text) => tx.unsafe(text) as Promise<Record<string, unknown>[]>,
              // FREEZE: the tables were truncated in this transaction, so rows are written already frozen.
              ...(loadOptions?.transport !== 'json' && {
                copy: async (target: string, columns: string[], lines: AsyncIterable<string>) => {
                  await pipeline(Readable.from(lines), await tx.unsafe(copyStatement(target, columns, true)).writable());
                },
              }),
              insertJson: async (target, columns, records) => {
                await tx.unsafe(jsonInsertStatement(target, columns), [JSON.stringify(records)]);
              },
            },
            loads,
            loadOptions,
          );
        }) as Promise<Record<string, number>>,
      close: async () => {
        await client.end({ timeout: 5 });
      },
    };
  }

  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await client.waitReady;
  const db: Db<TSchema> = drizzlePglite({ client, schema: options.schema, logger });
  return {
    ...base,
    driver: 'pglite',
    db,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    rows: <T>(statement: SQL) => rowsOf<T>(db, statement),
    migrate: async (migrationsFolder) => {
      // One session: migrate as the connecting user, then act as the app role from here on.
      await client.exec('set role none');
      await migratePglite(drizzlePglite({ client }), { migrationsFolder, migrationsSchema: options.name, migrationsTable });
      if (options.appRole) await client.exec(`set role ${options.appRole}`);
    },
    ...ownerAccess(db),
    replaceAll: (loads, loadOptions) =>
      client.transaction(async (tx) => {
        await tx.exec(`set local role none; select set_config('gongzhi.role', 'system', true)`);
        return replaceTables(
          {
            query: async (text) => (await tx.query<Record<string, unknown>>(text)).rows,
            insertJson: async (target, columns, records) => {
              await tx.query(jsonInsertStatement(target, columns), [JSON.stringify(records)]);
            },
          },
          loads,
          loadOptions,
        );
      }),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

/** What cancelling needs of a postgres.js query (its `cancel()` drops the promise a failed cancel request rejects). */
interface PendingQuery {
  /** Set once the query is handed to a connection. */
  state: unknown;
  canceller: ((query: PendingQuery) => Promise<void>) | null;
  cancel(): unknown;
}

interface PostgresClient {
  unsafe(...args: unknown[]): PendingQuery;
  begin?(...args: unknown[]): Promise<unknown>;
  savepoint?(...args: unknown[]): Promise<unknown>;
}

function sendCancel(query: PendingQuery): void {
  const canceller = query.canceller;
  if (!canceller) return void query.cancel();
  query.canceller = null;
  canceller(query).catch(() => {}); // the server is unreachable: statement_timeout still ends the statement
}

/**
 * Cancels a statement of an abandoned request. One already on a connection is cancelled on the server
 * (postgres.js sends the cancel request once it is the one running). One still waiting for a connection
 * is cancelled the moment it gets one: postgres.js can only drop a waiting query from the pool's queue, and
 * dropping it from a transaction's queue or from a connection being opened would leave that connection stalled.
 */
function cancelStatement(work: object): void {
  const query = work as PendingQuery;
  if (query.state) return sendCancel(query);
  let state: unknown = null;
  Object.defineProperty(query, 'state', {
    configurable: true,
    enumerable: true,
    get: () => state,
    set: (value: unknown) => {
      state = value;
      // After the connection has finished taking it (it marks it running or queued just after).
      if (value) queueMicrotask(() => sendCancel(query));
    },
  });
}

/** Queries made for a request are known to it while they run, so they can be cancelled when it is abandoned. */
function tracked(query: PendingQuery): PendingQuery {
  const scope = currentRequestScope();
  if (!scope) return query;
  scope.inFlight.set(query, cancelStatement);
  const settled = () => scope.inFlight.delete(query);
  // Promise's own `then`: postgres.js's `then` would also start the query.
  Promise.prototype.then.call(query, settled, settled);
  return query;
}

/**
 * The postgres.js client drizzle is given: every `unsafe` query (the only way drizzle sends statements),
 * in or out of a `begin` transaction or `savepoint`, is tracked by the request it serves, and none starts
 * for an abandoned request. Outside any request it behaves exactly as the client.
 */
function cancellable<T extends object>(sql: T): T {
  const raw = sql as unknown as PostgresClient;
  const scoped =
    (run: (...args: unknown[]) => Promise<unknown>) =>
    (...args: unknown[]) => {
      if (currentRequestScope()?.signal.aborted) return Promise.reject(requestCancelled());
      const body = args.at(-1);
      if (typeof body === 'function') args[args.length - 1] = (tx: object) => body(cancellable(tx));
      return run(...args);
    };
  const overrides: Record<PropertyKey, unknown> = {
    unsafe: (...args: unknown[]) => {
      throwIfRequestCancelled();
      return tracked(raw.unsafe(...args));
    },
    ...(raw.begin && { begin: scoped(raw.begin) }),
    ...(raw.savepoint && { savepoint: scoped(raw.savepoint) }),
  };
  return new Proxy(sql, {
    get: (target, property, receiver) =>
      Object.hasOwn(overrides, property) ? overrides[property] : Reflect.get(target, property, receiver),
  });
}

/** `column = any($1)`: one array parameter for a whole batch, whatever its size. */
export function anyOf(column: unknown, values: readonly string[]) {
  return sql`${column} = any(${sql.param(values)}::text[])`;
}

/** The caller's claims, for row-level security: the policies read them with `current_setting`. */
export interface RowClaims {
  /** A caller role, or `aggregate` for statements that only ever answer sums over every row. */
  role: string;
  organisationId: string | null;
}

/**
 * Runs `run` in a transaction whose row-level-security claims are `claims` (`gongzhi.role`,
 * `gongzhi.organisation`, set with `set_config(..., true)` so they end with the transaction).
 */
export function withClaims<TSchema extends Record<string, unknown>, T>(
  db: Db<TSchema>,
  claims: RowClaims,
  run: (tx: Db<TSchema>) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('gongzhi.role', ${claims.role}, true), set_config('gongzhi.organisation', ${claims.organisationId ?? ''}, true)`,
    );
    return run(tx);
  });
}

/** How a slice fills itself with the reference dataset: the tables and rows, given a scale and seed. */
export interface SliceSeed {
  /** A table that holds rows once the slice is seeded. */
  probe: PgTable;
  /** The slice's tables and rows; what the choice leaves out, the dataset's defaults decide. */
  loads(choice: DatasetChoice): TableLoad[];
}

/** Which reference dataset: its scale (1 = the published figures) and the seed of its generator. */
export interface DatasetChoice {
  scale?: number | undefined;
  seed?: number | undefined;
}

/**
 * Seeds an empty slice: when `probe` already holds a row the slice is left alone, so restarts never
 * duplicate or overwrite data. Answers whether it seeded.
 */
export async function seedIfEmpty(
  database: Database<any>,
  slice: SliceSeed,
  choice: DatasetChoice,
  options?: BulkLoadOptions,
): Promise<boolean> {
  const [existing] = await database.db
    .select({ one: sql`1` })
    .from(slice.probe)
    .limit(1);
  if (existing) return false;
  await database.replaceAll(slice.loads(choice), options);
  return true;
}
