import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { requestAbandoned } from './request-scope.ts';

/** Error codes clients can switch on; the same set in every subgraph and the gateway. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'REQUEST_CANCELLED'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL_SERVER_ERROR';

/** A bad argument: names the argument so a form can show it next to the field. */
export function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/**
 * Codes whose errors were written for the client (their message says only what the client may know):
 * ours, Apollo Server's request errors, and the gateway's refusals. An error with any other code, or none,
 * is unexpected and its message is not shown in production.
 */
export const clientErrorCodes: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'REQUEST_CANCELLED',
  'DEADLINE_EXCEEDED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'MAX_TOKENS_LIMIT',
  'MAX_DEPTH_LIMIT',
  'MAX_FIELDS_LIMIT',
  'MAX_ALIASES_LIMIT',
  'MAX_DIRECTIVES_LIMIT',
  'SUBGRAPH_UNAVAILABLE',
  'COST_LIMIT_EXCEEDED',
  'PERSISTED_QUERY_HASH_MISMATCH',
  'SERVER_BUSY',
]);

/** Said for a PostgreSQL data exception: the request held a value the database cannot take. */
export const malformedValueMessage = 'a value in the request is malformed or out of range';

/**
 * What an error is, for the client:
 * - `client`: a GraphQLError with a client code (`error` is the one to show, possibly found inside a wrapper);
 * - `malformed`: a PostgreSQL data exception (SQLSTATE class 22: bad encoding, date or number out of range…);
 * - `timeout`: the statement was cancelled (57014), by statement_timeout or because the request was abandoned;
 * - `internal`: anything else.
 */
export type ErrorClass =
  | { kind: 'client'; code: string; error: ClientError }
  | { kind: 'malformed'; sqlState: string }
  | { kind: 'timeout'; sqlState: string }
  | { kind: 'internal' };

/** A GraphQLError as found in a chain (matched by shape: graphql's ESM and CJS builds make different classes). */
export interface ClientError {
  message: string;
  extensions: Readonly<Record<string, unknown>>;
}

/** The error and what it wraps (`originalError` of GraphQL, `cause` of drizzle), outermost first. */
function* chainOf(error: unknown): Generator<object> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current) && seen.size < 8) {
    seen.add(current);
    yield current;
    current = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
}

const sqlStatePattern = /^[0-9A-Z]{5}$/;

/** Classifies an error thrown while serving a request (as Apollo hands it to `formatError`). */
export function classifyError(error: unknown): ErrorClass {
  for (const link of chainOf(error)) {
    const extensions = (link as { extensions?: unknown }).extensions;
    if (link instanceof Error && extensions && typeof extensions === 'object') {
      const code = (extensions as { code?: unknown }).code;
      if (typeof code === 'string' && clientErrorCodes.has(code)) return { kind: 'client', code, error: link as unknown as ClientError };
      continue;
    }
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && sqlStatePattern.test(code)) {
      if (code.startsWith('22')) return { kind: 'malformed', sqlState: code };
      if (code === '57014') return { kind: 'timeout', sqlState: code };
    }
  }
  return { kind: 'internal' };
}

export interface ErrorFormatterOptions {
  /** Names the service in the log line of an unexpected error. */
  service: string;
  /** Hide the message of unexpected errors (default: NODE_ENV is production, read per error). */
  production?: boolean;
  /** Where the one JSON line describing an unexpected error goes (default: stderr). */
  log?: (line: string) => void;
}

/** Extensions never sent: stack traces, and the HTTP status Apollo reads from `http`. */
const hiddenExtensions = new Set(['stacktrace', 'exception', 'http']);
const shown = (extensions: Readonly<Record<string, unknown>> | undefined) =>
  Object.fromEntries(Object.entries(extensions ?? {}).filter(([key]) => !hiddenExtensions.has(key)));

const logToStderr = (line: string) => void process.stderr.write(`${line}\n`);

/**
 * Apollo's `formatError` for every service: client errors pass unchanged; data exceptions become
 * BAD_USER_INPUT and cancelled statements DEADLINE_EXCEEDED (REQUEST_CANCELLED when the client went away),
 * with messages that name no SQL; anything else becomes INTERNAL_SERVER_ERROR with an opaque `errorId`,
 * logged in full under that id, its message replaced by "Internal server error" in production. No answer
 * carries a stack trace or `extensions.exception`.
 */
export function errorFormatter(
  options: ErrorFormatterOptions,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const log = options.log ?? logToStderr;
  return (formatted, error) => {
    const where = { ...(formatted.locations && { locations: formatted.locations }), ...(formatted.path && { path: formatted.path }) };
    const verdict = classifyError(error);
    switch (verdict.kind) {
      case 'client':
        // The client error may be wrapped (drizzle wraps what a statement throws in a message quoting its SQL).
        if (verdict.error === error) return { ...formatted, extensions: shown(formatted.extensions) };
        return { message: verdict.error.message, ...where, extensions: { ...shown(verdict.error.extensions), code: verdict.code } };
      case 'malformed':
        return { message: malformedValueMessage, ...where, extensions: { code: 'BAD_USER_INPUT' } };
      case 'timeout':
        return requestAbandoned()
          ? {
              message: 'The request was cancelled: its client went away before the answer was ready',
              ...where,
              extensions: { code: 'REQUEST_CANCELLED' },
            }
          : { message: 'The database did not answer in time', ...where, extensions: { code: 'DEADLINE_EXCEEDED' } };
      case 'internal': {
        const errorId = randomUUID();
        log(JSON.stringify({ level: 'error', service: options.service, errorId, ...describeError(error), ...where }));
        const production = options.production ?? process.env.NODE_ENV === 'production';
        return {
          message: production ? 'Internal server error' : formatted.message,
          ...where,
          extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
        };
      }
    }
  };
}

/**
 * Drizzle quotes a failed statement's parameters in its message (and so in its stack): they are the
 * caller's data, possibly personal, so the log keeps the SQL and how many parameters there were, not their values.
 */
const withoutParams = (text: unknown) =>
  typeof text === 'string' ? text.replace(/\nparams: .*?(?=\n {4}at |$)/s, '\nparams: (not logged)') : text;

/** Everything known of an error, for the log: message, stack, SQLSTATE and detail, and the SQL of a failed statement. */
function describeError(error: unknown): Record<string, unknown> {
  const chain = [...chainOf(error)].map((link) => {
    const { message, stack, name } = link as Partial<Error>;
    const { query, params, code, detail, hint, where, routine } = link as Record<string, unknown>;
    const fields = {
      name,
      message: withoutParams(message),
      code,
      detail,
      hint,
      where,
      routine,
      query,
      parameters: Array.isArray(params) ? params.length : undefined,
      stack: withoutParams(stack),
    };
    return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  });
  return { message: chain[0]?.message ?? String(error), chain };
}
