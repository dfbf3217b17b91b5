import { keyedLoader } from '@gongzhi/kit';
import { describe, expect, it } from 'vitest';
import { createWaves } from '../src/loaders/waves.ts';

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('waves', () => {
  it('holds a loader back while statements are in flight, then runs once for every key asked meanwhile', async () => {
    const waves = createWaves();
    const batches: string[][] = [];
    const loader = keyedLoader(
      waves.coalesce(async (keys: readonly string[]) => {
        batches.push([...keys]);
        return keys.map((key) => ({ key, value: key.toUpperCase() }));
      }),
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

  it('lets a failed statement release the wave', async () => {
    const waves = createWaves();
    const loader = keyedLoader(waves.coalesce(async (keys: readonly string[]) => keys.map((key) => ({ key }))), (row) => row.key);
    const failed = waves.track(after(5).then(() => Promise.reject(new Error('refused'))));
    await expect(failed).rejects.toThrow('refused');
    expect(await loader.load('x')).toEqual({ key: 'x' });
  });
});
