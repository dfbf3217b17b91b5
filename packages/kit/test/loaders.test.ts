import { describe, expect, it } from 'vitest';
import { createWaves, once, perArgs } from '../src/loaders.ts';

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

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('createWaves', () => {
  it('holds a loader back while statements are in flight, then runs once for every key asked meanwhile', async () => {
    const waves = createWaves();
    const batches: string[][] = [];
    const loader = waves.keyed(
      async (keys) => {
        batches.push([...keys]);
        return keys.map((key) => ({ key, value: key.toUpperCase() }));
      },
      (row) => row.key,
    );
    // Two sibling statements finishing 30 ms apart; each one's rows ask the loader for their own keys.
    const first = waves.track(after(5)).then(() => Promise.all([loader.load('a'), loader.load('b')]));
    const second = waves.track(after(35)).then(() => loader.load('c'));
    expect(await Promise.all([first, second])).toEqual([
      [
        { key: 'a', value: 'A' },
        { key: 'b', value: 'B' },
      ],
      { key: 'c', value: 'C' },
    ]);
    expect(batches).toEqual([['a', 'b', 'c']]);
    // With nothing in flight a load runs at once, in its own batch.
    expect(await loader.load('d')).toEqual({ key: 'd', value: 'D' });
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('gives the rows of statements finishing at different times their children from one statement', async () => {
    const waves = createWaves();
    const statements: string[] = [];
    const parents = waves.keyed(
      async (ids) => {
        statements.push(`parents ${ids.join()}`);
        await after(5);
        return ids.map((id) => ({ id }));
      },
      (row) => row.id,
    );
    const children = waves.grouped(
      async (ids) => {
        statements.push(`children ${ids.join()}`);
        return ids.flatMap((id) => [
          { parent: id, n: 1 },
          { parent: id, n: 2 },
        ]);
      },
      (row) => row.parent,
    );
    // A row looked up by id (a loader's own statement, done after 5 ms) and a page (a tracked statement, 20 ms).
    const byId = parents.load('r').then((row) => children.load(row!.id));
    await after(1);
    const page = waves.tracked(async () => {
      await after(20);
      return [{ id: 'p' }, { id: 'q' }];
    })();
    const fromPage = page.then((rows) => Promise.all(rows.map((row) => children.load(row.id))));
    const [ofR, ofPage] = await Promise.all([byId, fromPage]);
    expect(ofR.map((row) => row.n)).toEqual([1, 2]);
    expect(ofPage.map((rows) => rows.length)).toEqual([2, 2]);
    expect(statements).toEqual(['parents r', 'children r,p,q']);
  });

  it('lets a failed statement release the wave', async () => {
    const waves = createWaves();
    const loader = waves.keyed(
      async (keys) => keys.map((key) => ({ key })),
      (row) => row.key,
    );
    const failed = waves.track(after(5).then(() => Promise.reject(new Error('refused'))));
    await expect(failed).rejects.toThrow('refused');
    expect(await loader.load('x')).toEqual({ key: 'x' });
  });
});
