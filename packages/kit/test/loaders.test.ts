import { describe, expect, it } from 'vitest';
import { once, perArgs } from '../src/loaders.ts';

describe('once', () => {
  it('runs a lazy query (a thenable that runs on every await) a single time, however often it is awaited', async () => {
    let runs = 0;
    const query: PromiseLike<number> = {
      then: (resolve, reject) => {
        runs++;
        return Promise.resolve(42).then(resolve, reject);
      },
    };
    const load = once(() => query);
    expect(await Promise.all([load(), load()])).toEqual([42, 42]);
    expect(await load()).toBe(42);
    expect(runs).toBe(1);
  });
});

describe('perArgs', () => {
  it('keeps one loader per distinct arguments', () => {
    let built = 0;
    const loaderFor = perArgs((args: { year: number }) => ({ built: ++built, year: args.year }));
    expect(loaderFor({ year: 2019 })).toBe(loaderFor({ year: 2019 }));
    expect(loaderFor({ year: 2018 })).not.toBe(loaderFor({ year: 2019 }));
    expect(built).toBe(2);
  });
});
