import { and, eq, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Caller } from './access.ts';
import { withClaims, type Db } from './db.ts';
import { writeTables } from './write-tables.ts';

/** What a form can show next to a field: where (`path` into the input; empty for the whole) and why. */
export type FieldErrorCode = 'REQUIRED' | 'INVALID' | 'NOT_FOUND' | 'LIMIT_EXCEEDED' | 'CONFLICT' | 'ILLEGAL_TRANSITION' | 'RATE_LIMITED';

export interface FieldProblem {
  path: string[];
  code: FieldErrorCode;
  message: string;
}

/** Thrown inside a mutation: the transaction is rolled back and the problems are the answer. */
export class InputError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path.join('.') || 'input'}: ${p.message}`).join('; '));
    this.name = 'InputError';
  }
}

export const problem = (path: string[], code: FieldErrorCode, message: string): FieldProblem => ({ path, code, message });

/** One entry of a slice's append-only audit log. */
export interface AuditRecord {
  entityType: string;
  entityId: string;
  operation: string;
  before: unknown;
  after: unknown;
}

export interface MutationScope<TSchema extends Record<string, unknown>> {
  tx: Db<TSchema>;
  /** Appends to the slice's audit log, in the mutation's transaction. */
  audit(record: AuditRecord): Promise<void>;
}

export interface MutationOptions {
  /** The slice's Postgres schema, which holds its write tables (`writeTables`). */
  schema: string;
  operation: string;
  caller: Caller;
  /** For creates: a retry with the same key answers the first result and writes nothing. */
  idempotencyKey?: string | undefined;
  /** Turns a database refusal (constraint, trigger) into problems a form can show; others are rethrown. */
  explain?: (error: unknown) => FieldProblem[] | null;
}

export type MutationOutcome<T> = { ok: true; value: T; replayed: boolean } | { ok: false; problems: FieldProblem[] };

/**
 * Who acts, for idempotency keys and the audit log: the token's subject, with the organisation a partner
 * acts for; without a subject, the role with the organisation or the client's address — so two callers
 * never share keys (a retry never answers someone else's result).
 */
export function actorOf(caller: Caller): string {
  const who = caller.subject ?? (caller.origin && !caller.organisationId ? `${caller.role}@${caller.origin}` : caller.role);
  return caller.organisationId ? `${who}:${caller.organisationId}` : who;
}

/** What a driver's error tells (postgres.js names the constraint `constraint_name`, PGlite `constraint`). */
interface DatabaseErrorFields {
  code?: string;
  constraint_name?: string;
  constraint?: string;
  message?: string;
}

/** The driver's error: drizzle wraps it as `cause`. */
const causeOf = (error: unknown): DatabaseErrorFields => {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  return cause !== null && typeof cause === 'object' ? (cause as DatabaseErrorFields) : {};
};

/** The constraint a database refusal names, on either driver. */
export function violatedConstraint(error: unknown): string | null {
  const cause = causeOf(error);
  return cause.constraint_name ?? cause.constraint ?? null;
}

// A side with nothing (a create's `before`) is JSON null, not SQL null: every entry states both sides.
const jsonValue = (value: unknown) => sql`${JSON.stringify(value ?? null)}::jsonb`;

/**
 * Runs one mutation in one transaction, as the caller (row-level-security claims stated): every write and
 * its audit entries commit together or not at all. An InputError, or a database refusal `explain`
 * recognises, rolls everything back and answers the problems. With an idempotency key, the first run
 * stores the id of what it created; a retry (even a concurrent one, which waits on the key's row) answers
 * that id again, marked replayed, without running `work`.
 */
export async function runMutation<TSchema extends Record<string, unknown>>(
  db: Db<TSchema>,
  options: MutationOptions,
  work: (scope: MutationScope<TSchema>) => Promise<string>,
): Promise<MutationOutcome<string>> {
  const { caller, schema, operation, idempotencyKey } = options;
  const { idempotencyKeys: keys, auditLog } = writeTables(schema);
  const actor = actorOf(caller);
  const keyRow = (key: string) => and(eq(keys.actor, actor), eq(keys.operation, operation), eq(keys.key, key));
  try {
    return await withClaims(db, { role: caller.role, organisationId: caller.organisationId }, async (tx) => {
      if (idempotencyKey !== undefined) {
        const claimed = await tx
          .insert(keys)
          .values({ actor, operation, key: idempotencyKey })
          .onConflictDoNothing()
          .returning({ key: keys.key });
        if (claimed.length === 0) {
          const [stored] = await tx.select({ entityId: keys.entityId }).from(keys).where(keyRow(idempotencyKey));
          return { ok: true as const, value: String(stored!.entityId), replayed: true };
        }
      }
      const audit = async (record: AuditRecord) => {
        await tx.insert(auditLog).values({
          entityType: record.entityType,
          entityId: record.entityId,
          operation: record.operation,
          actorRole: caller.role,
          actor,
          before: jsonValue(record.before),
          after: jsonValue(record.after),
        });
      };
      const value = await work({ tx, audit });
      if (idempotencyKey !== undefined) await tx.update(keys).set({ entityId: value }).where(keyRow(idempotencyKey));
      return { ok: true as const, value, replayed: false };
    });
  } catch (error) {
    if (error instanceof InputError) return { ok: false, problems: error.problems };
    const explained = options.explain?.(error);
    if (explained) return { ok: false, problems: explained };
    throw error;
  }
}

/**
 * Refuses a lost update: `expectedVersion` is the `version` the client read; any other version means
 * someone changed the row since (read it with `lockRow` first, so concurrent writers queue behind the
 * lock and each sees the version the last one left). On success, answers the next version to store.
 */
export function nextVersion(row: { version: number }, expectedVersion: number, path: string[] = ['expectedVersion']): number {
  if (row.version !== expectedVersion) {
    throw new InputError([
      problem(path, 'CONFLICT', `changed since version ${expectedVersion} (now ${row.version}): reload and try again`),
    ]);
  }
  return row.version + 1;
}

/**
 * The row of `table` with this `id`, locked until the mutation's transaction ends (concurrent writers of
 * the row queue here); NOT_FOUND at `path` when there is none.
 */
export async function lockRow<TSchema extends Record<string, unknown>, T extends PgTable & { id: AnyPgColumn }>(
  tx: Db<TSchema>,
  table: T,
  id: string,
  path: string[],
  notFound: string,
): Promise<T['$inferSelect']> {
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(eq(table.id, id))
    .for('update');
  if (!row) throw new InputError([problem(path, 'NOT_FOUND', notFound)]);
  return row as T['$inferSelect'];
}

/**
 * Free text a form requires, answered trimmed: REQUIRED when blank, INVALID past `max` characters (code
 * points) or with U+0000, which PostgreSQL text cannot hold.
 */
export function requiredText(
  problems: FieldProblem[],
  path: string | string[],
  value: string | null | undefined,
  max: number,
  blank = 'cannot be blank',
): string {
  const at = typeof path === 'string' ? [path] : path;
  const text = (value ?? '').trim();
  if (!text) problems.push(problem(at, 'REQUIRED', blank));
  else if ([...text].length > max) problems.push(problem(at, 'INVALID', `at most ${max} characters`));
  else if (text.includes('\u0000')) problems.push(problem(at, 'INVALID', 'contains a NUL character'));
  return text;
}

/** The key every create takes, the same for each retry: REQUIRED when blank, INVALID past 200 characters. */
export function checkIdempotencyKey(problems: FieldProblem[], key: string): void {
  requiredText(problems, ['idempotencyKey'], key, 200, 'a key the client keeps for retries');
}
