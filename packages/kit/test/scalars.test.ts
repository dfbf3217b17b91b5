import { GraphQLError, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateScalar, DateTimeScalar, FenScalar, parseInstant, parseIsoDate } from '../src/scalars.ts';

const badUserInput = (run: () => unknown) => {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GraphQLError);
  expect((caught as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
};

describe('DateTime', () => {
  it('serialises what either driver reads from a timestamptz as ISO 8601 UTC to the millisecond', () => {
    expect(DateTimeScalar.serialize('2019-03-01 08:30:00+00')).toBe('2019-03-01T08:30:00.000Z');
    expect(DateTimeScalar.serialize('2019-03-01 16:30:00.5+08')).toBe('2019-03-01T08:30:00.500Z');
    expect(DateTimeScalar.serialize('2019-03-01 03:00:00.766-05:30')).toBe('2019-03-01T08:30:00.766Z');
    expect(DateTimeScalar.serialize('2019-03-01T08:30:00.766Z')).toBe('2019-03-01T08:30:00.766Z');
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2019, 2, 1, 8, 30)))).toBe('2019-03-01T08:30:00.000Z');
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow();
  });

  it('accepts an ISO 8601 date and time with an offset, normalised to UTC, and rejects anything else as bad input', () => {
    expect(DateTimeScalar.parseValue('2019-03-01T16:30:00+08:00')).toBe('2019-03-01T08:30:00.000Z');
    expect(DateTimeScalar.parseValue('2019-12-31T23:59Z')).toBe('2019-12-31T23:59:00.000Z');
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2020-02-29T00:00:00.123Z' })).toBe('2020-02-29T00:00:00.123Z');
    expect(DateTimeScalar.parseValue('0099-01-01T00:00:00Z')).toBe('0099-01-01T00:00:00.000Z');
    for (const value of [
      '2019-03-01',
      '2019-03-01T08:30:00',
      '2019-02-29T00:00:00Z',
      '2019-13-01T00:00:00Z',
      '2019-03-01T24:00:00Z',
      'soon',
      20190301,
      null,
    ]) {
      badUserInput(() => DateTimeScalar.parseValue(value));
    }
    badUserInput(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1' }));
    expect(parseInstant('2019-03-01T08:30:00.1239Z')).toBe(Date.UTC(2019, 2, 1, 8, 30, 0, 123));
  });
});

describe('the range PostgreSQL accepts', () => {
  it('refuses the Date 0000-01-01 (PostgreSQL has no year 0) and keeps 0001-01-01 to 9999-12-31', () => {
    for (const value of ['0000-01-01', '0000-12-31']) {
      badUserInput(() => parseIsoDate(value));
      badUserInput(() => DateScalar.parseValue(value));
      badUserInput(() => DateScalar.parseLiteral({ kind: Kind.STRING, value }));
    }
    expect(DateScalar.parseValue('0001-01-01')).toBe('0001-01-01');
    expect(DateScalar.parseValue('9999-12-31')).toBe('9999-12-31');
  });

  it('refuses a DateTime outside years 0001–9999 once in UTC, the instants PostgreSQL reads from ISO 8601', () => {
    for (const value of ['0000-06-01T00:00:00Z', '0001-01-01T07:59:59+08:00', '9999-12-31T20:00:00-05:00']) {
      badUserInput(() => DateTimeScalar.parseValue(value));
      expect(parseInstant(value)).toBeNull();
    }
    expect(DateTimeScalar.parseValue('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
    expect(DateTimeScalar.parseValue('0001-01-01T08:00:00+08:00')).toBe('0001-01-01T00:00:00.000Z');
    expect(DateTimeScalar.parseValue('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('Fen', () => {
  it('is a safe integer both ways, never a fraction or a string', () => {
    expect(FenScalar.serialize(2_480_000_000_000)).toBe(2_480_000_000_000);
    expect(FenScalar.serialize(12n)).toBe(12);
    expect(FenScalar.parseValue(-150)).toBe(-150);
    expect(FenScalar.parseLiteral({ kind: Kind.INT, value: '9007199254740991' })).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => FenScalar.serialize(1.5)).toThrow();
    expect(FenScalar.serialize('-4500')).toBe(-4500); // sums read from Postgres arrive as numeric text
    expect(() => FenScalar.serialize('9007199254740993')).toThrow();
    expect(() => FenScalar.serialize(2 ** 53)).toThrow();
    for (const value of [1.5, '100', 2 ** 53, Number.NaN, null]) badUserInput(() => FenScalar.parseValue(value));
    badUserInput(() => FenScalar.parseLiteral({ kind: Kind.INT, value: '9007199254740993' }));
    badUserInput(() => FenScalar.parseLiteral({ kind: Kind.FLOAT, value: '1.0' }));
    badUserInput(() => FenScalar.parseLiteral({ kind: Kind.STRING, value: '100' }));
  });
});
