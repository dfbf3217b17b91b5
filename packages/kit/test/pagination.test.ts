import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { connectionFromArray, decodeCursor, encodeCursor, pageRequest } from '../src/pagination.ts';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected an error');
}

describe('cursors', () => {
  it('round-trip any key, including non-ASCII', () => {
    for (const key of ['com-440306001001', '桃桥社区', '', 'a:b:c']) expect(decodeCursor(encodeCursor(key))).toBe(key);
  });

  it('reject strings that are not cursors, naming the argument', () => {
    for (const forged of ['nonsense', Buffer.from('x:1').toString('base64url'), `${encodeCursor('a')}=`]) {
      expect(codeOf(() => decodeCursor(forged))).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });
});

describe('page requests', () => {
  it('default and bound `first`', () => {
    expect(pageRequest({})).toEqual({ limit: 20, after: null });
    expect(pageRequest({ first: 0 }).limit).toBe(0);
    expect(pageRequest({ first: 500 }).limit).toBe(500);
    expect(codeOf(() => pageRequest({ first: 501 }))).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(codeOf(() => pageRequest({ first: -1 }))).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(pageRequest({ first: 5 }, { defaultSize: 2, maxSize: 5 }).limit).toBe(5);
  });
});

describe('in-memory connections', () => {
  const items = ['e', 'a', 'd', 'b', 'c'].map((key) => ({ key }));
  const keyOf = (item: { key: string }) => item.key;

  it('page in key order and report the next page', async () => {
    const first = connectionFromArray(items, { first: 2 }, keyOf);
    expect(first.edges.map((e) => e.node.key)).toEqual(['a', 'b']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = connectionFromArray(items, { first: 2, after: first.pageInfo.endCursor }, keyOf);
    expect(second.edges.map((e) => e.node.key)).toEqual(['c', 'd']);
    const last = connectionFromArray(items, { first: 2, after: second.pageInfo.endCursor }, keyOf);
    expect(last.edges.map((e) => e.node.key)).toEqual(['e']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(await last.totalCount()).toBe(5);
  });

  it('answer an empty page after the last key', () => {
    const page = connectionFromArray(items, { after: encodeCursor('z') }, keyOf);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
  });
});
