import { GraphQLError, GraphQLScalarType, Kind, print } from 'graphql';

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses YYYY-MM-DD and rejects impossible dates such as 2019-02-30, and the year 0000, which ISO 8601
 * reads as 1 BC but PostgreSQL refuses (its calendar has no year 0).
 */
export function parseIsoDate(value: unknown): string {
  if (typeof value !== 'string' || !isoDate.test(value)) {
    throw new GraphQLError(`Date must be an ISO 8601 calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  if (value.startsWith('0000')) {
    throw new GraphQLError(`Date ${value} is out of range: years start at 0001`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new GraphQLError(`Date ${value} does not exist`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

/** ISO 8601 calendar date, carried as the string YYYY-MM-DD (the form Postgres `date` columns use). */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'An ISO 8601 calendar date, YYYY-MM-DD.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseIsoDate(value)),
  parseValue: parseIsoDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string literal (YYYY-MM-DD)');
    return parseIsoDate(ast.value);
  },
});

const districtCalendar = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** Today's date in Shenzhen as YYYY-MM-DD: the default "as of" of every dated query. */
export function today(): string {
  return districtCalendar.format(new Date());
}

const badScalar = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * Date, time and offset, as ISO 8601 writes them (`2019-03-01T08:30:00Z`, `…+08:00`) or as PostgreSQL prints
 * a `timestamptz` (`2019-03-01 08:30:00.5+00`). Seconds and fractions are optional; the offset is not.
 */
const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?(?::(\d{2}))?)$/i;

/** The instants the API can carry: years 0001 to 9999 in UTC, the ones PostgreSQL reads back from ISO 8601 text. */
const firstInstant = new Date('0001-01-01T00:00:00Z').getTime();
const lastInstant = new Date('9999-12-31T23:59:59.999Z').getTime();

/**
 * Milliseconds since the epoch of an ISO 8601 instant or a PostgreSQL timestamptz; null when malformed,
 * impossible, or outside years 0001–9999 once in UTC (`0001-01-01T00:00:00+08:00` is in 1 BC in UTC, which
 * PostgreSQL refuses as `0000-…`, as it refuses `+010000-…`).
 */
export function parseInstant(value: string): number | null {
  const match = instantPattern.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, oh = '0', om = '0', os = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return null;
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, Math.floor(Number(`0.${fraction || '0'}`) * 1000)));
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0–99 as 1900–1999
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os)) * 1000;
  const instant = date.getTime() - offset;
  return instant < firstInstant || instant > lastInstant ? null : instant;
}

/** An instant as the API gives it: ISO 8601 in UTC to the millisecond, e.g. `2019-03-01T08:30:00.000Z`. */
export function toIsoInstant(value: unknown): string {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? parseInstant(value) : null;
  if (ms === null || Number.isNaN(ms)) throw new Error(`not an instant: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function parseDateTime(value: unknown): string {
  const ms = typeof value === 'string' ? parseInstant(value) : null;
  if (ms === null) {
    throw badScalar(`DateTime must be an ISO 8601 date and time with an offset (e.g. 2019-03-01T08:30:00Z), got ${JSON.stringify(value)}`);
  }
  return new Date(ms).toISOString();
}

/** ISO 8601 date and time in UTC, carried as a string; input with any offset is normalised to UTC. */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An ISO 8601 date and time in UTC.',
  serialize: toIsoInstant,
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badScalar('DateTime must be a string literal (e.g. 2019-03-01T08:30:00Z)');
    return parseDateTime(ast.value);
  },
});

const badFen = (value: string) =>
  new GraphQLError(`Fen must be a whole number of fen between -(2^53 - 1) and 2^53 - 1, got ${value}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });

/** Accepts a JS safe integer (fen are exact up to 2^53 as JSON numbers); anything else is a bad input. */
export function parseFen(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badFen(JSON.stringify(value) ?? String(value));
  return value;
}

/**
 * An amount in fen (1/100 CNY): a safe integer, serialized as a JSON number. Sums read from Postgres
 * (`numeric`/`bigint` text, or a BigInt) are converted when exact; anything else is a server bug, not sent.
 */
export const FenScalar = new GraphQLScalarType<number, number>({
  name: 'Fen',
  description: 'An amount in fen (1/100 CNY), as a JSON integer (exact up to 2^53).',
  serialize: (value) => {
    // An integer beyond 2^53 − 1 converts to an unsafe number, so the check below refuses it.
    const fen = typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value)) ? Number(value) : value;
    if (typeof fen !== 'number' || !Number.isSafeInteger(fen))
      throw new GraphQLError(`Fen cannot represent ${String(value)}: not a safe integer`);
    return fen;
  },
  parseValue: parseFen,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw badFen(print(ast));
    return parseFen(Number(ast.value));
  },
});
