import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD and rejects impossible dates such as 2019-02-30. */
export function parseIsoDate(value: unknown): string {
  if (typeof value !== 'string' || !isoDate.test(value)) {
    throw new GraphQLError(`Date must be an ISO 8601 calendar date (YYYY-MM-DD), got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
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
