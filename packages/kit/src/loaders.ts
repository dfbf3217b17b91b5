import DataLoader from 'dataloader';

/**
 * A per-request loader of rows by a unique key. `fetch` gets every key asked for in one tick and
 * runs one statement; keys with no row resolve to null. Batches are not capped: the keys travel as one
 * array parameter (`= any($1)`), so no batch size meets Postgres's bind-parameter limit.
 */
export function keyedLoader<Row, Key extends string = string>(
  fetch: (keys: readonly Key[]) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
): DataLoader<Key, Row | null> {
  return new DataLoader<Key, Row | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A per-request loader of the rows belonging to each parent key (one-to-many), one statement per batch. */
export function groupedLoader<Row, Key extends string = string>(
  fetch: (keys: readonly Key[]) => Promise<Row[]>,
  parentOf: (row: Row) => Key,
): DataLoader<Key, Row[]> {
  return new DataLoader<Key, Row[]>(async (keys) => {
    const rows = await fetch(keys);
    const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
    for (const row of rows) groups.get(parentOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** One loader per distinct argument set (e.g. a field's filters), each batching every parent asked for. */
export function perArgs<Args, L>(build: (args: Args) => L): (args: Args) => L {
  const byArgs = new Map<string, L>();
  return (args) => {
    const key = JSON.stringify(args);
    let loader = byArgs.get(key);
    if (!loader) byArgs.set(key, (loader = build(args)));
    return loader;
  };
}

/**
 * A statement run at most once per request, however many fields ask for its answer. `run` may return a
 * drizzle query, which runs again on every `await`: Promise.resolve runs it once and keeps the answer.
 */
export function once<T>(run: () => PromiseLike<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= Promise.resolve(run()));
}

/**
 * Batches that stay whole across I/O, for a slice whose nested loaders are asked from rows of several
 * statements. DataLoader batches what is asked in one tick, but sibling statements (two lists with other
 * arguments, a page and its count) finish at different I/O events on a server database, so the fields of
 * their rows ask in different ticks and a batch splits into more statements: a count that depends on
 * timing. Waves count the request's statements in flight, and a loader built here waits until none is
 * (and the resolvers they woke have run), then runs once for every key asked meanwhile. The count then
 * depends on the shape of the query only, never on list size or timing, and is the least such: one
 * statement per loader per wave (level) of the query. Giving each statement's rows loaders of their own
 * is also deterministic, but costs a statement per list and a map from every row to its loaders.
 *
 * The price: a wave's statements start once the previous wave's have all finished. Every statement
 * whose rows ask for more must be counted (a loader built here, `track` or `tracked`): one that is not
 * lets a wave leave early. Never track work that itself waits for a loader of the same waves: the loader
 * would wait for it, and it for the loader.
 */
export interface Waves {
  /** Counts `work` (a statement) as in flight until it settles. */
  track<T>(work: PromiseLike<T>): Promise<T>;
  /** `run` with each of its calls tracked (e.g. `groupedConnections(...)`, or the body of `once`). */
  tracked<Args extends unknown[], T>(run: (...args: Args) => PromiseLike<T>): (...args: Args) => Promise<T>;
  /** `keyedLoader` whose batches of one wave share one statement over the union of their keys. */
  keyed<Row, Key extends string = string>(
    fetch: (keys: readonly Key[]) => Promise<Row[]>,
    keyOf: (row: Row) => Key,
  ): DataLoader<Key, Row | null>;
  /** `groupedLoader` whose batches of one wave share one statement over the union of their keys. */
  grouped<Row, Key extends string = string>(
    fetch: (keys: readonly Key[]) => Promise<Row[]>,
    parentOf: (row: Row) => Key,
  ): DataLoader<Key, Row[]>;
}

/** The waves of one request: built with its loaders, never shared between requests. */
export function createWaves(): Waves {
  let inFlight = 0;
  let waiting: (() => void)[] = [];
  let flushScheduled = false;

  // setImmediate runs after every pending promise job and nextTick, i.e. after DataLoader has dispatched
  // what the last finished statement's resolvers asked for.
  const flushWhenIdle = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      if (inFlight > 0) return;
      const ready = waiting;
      waiting = [];
      for (const go of ready) go();
    });
  };

  const idle = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (inFlight === 0) flushWhenIdle();
    });

  const track = <T>(work: PromiseLike<T>): Promise<T> => {
    inFlight += 1;
    return Promise.resolve(work).finally(() => {
      inFlight -= 1;
      if (inFlight === 0) flushWhenIdle();
    });
  };

  /** One statement per wave over the union of the keys of every call: each caller gets all the rows. */
  const coalesce = <K extends string, Row>(fetch: (keys: readonly K[]) => Promise<Row[]>) => {
    let pending: { keys: Set<K>; rows: Promise<Row[]> } | null = null;
    return (keys: readonly K[]): Promise<Row[]> => {
      if (!pending) {
        const batch: { keys: Set<K>; rows: Promise<Row[]> } = { keys: new Set(), rows: Promise.resolve([]) };
        batch.rows = idle().then(() => {
          pending = null;
          return track(fetch([...batch.keys]));
        });
        pending = batch;
      }
      for (const key of keys) pending.keys.add(key);
      return pending.rows;
    };
  };

  return {
    track,
    tracked:
      (run) =>
      (...args) =>
        track(run(...args)),
    keyed: (fetch, keyOf) => keyedLoader(coalesce(fetch), keyOf),
    grouped: (fetch, parentOf) => groupedLoader(coalesce(fetch), parentOf),
  };
}
