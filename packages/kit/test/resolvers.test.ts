import { DateScalar, containsPattern, inForce, mergeResolvers } from '../src/index.ts';
import { describe, expect, it } from 'vitest';

describe('mergeResolvers', () => {
  it('merges fields of one type from several modules and keeps scalars whole', () => {
    const merged = mergeResolvers<any>({ Date: DateScalar }, { Community: { a: 1 } }, { Community: { b: 2 } });
    expect(merged.Community).toEqual({ a: 1, b: 2 });
    expect(merged.Date).toBe(DateScalar);
  });

  it('refuses a field defined twice', () => {
    expect(() => mergeResolvers({ Query: { x: 1 } }, { Query: { x: 2 } })).toThrow(/Query\.x is defined twice/);
  });
});

describe('validity and search helpers', () => {
  it('treat validity periods as inclusive at both ends', () => {
    const period = { validFrom: '2004-10-01', validTo: '2016-09-30' };
    expect(inForce(period, '2004-09-30')).toBe(false);
    expect(inForce(period, '2004-10-01')).toBe(true);
    expect(inForce(period, '2016-09-30')).toBe(true);
    expect(inForce(period, '2016-10-01')).toBe(false);
    expect(inForce({ validFrom: '2016-10-01', validTo: null }, '2099-01-01')).toBe(true);
  });

  it('take LIKE wildcards in search text literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('accept only real calendar dates', () => {
    expect(DateScalar.parseValue('2016-02-29')).toBe('2016-02-29');
    expect(() => DateScalar.parseValue('2019-02-29')).toThrow(/does not exist/);
    expect(() => DateScalar.parseValue('2019-2-1')).toThrow(/YYYY-MM-DD/);
  });
});
