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
  return new DataLoader<Key, Row | null>(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
  );
}

/** A per-request loader of the rows belonging to each parent key (one-to-many), one statement per batch. */
export function groupedLoader<Row, Key extends string = string>(
  fetch: (keys: readonly Key[]) => Promise<Row[]>,
  parentOf: (row: Row) => Key,
): DataLoader<Key, Row[]> {
  return new DataLoader<Key, Row[]>(
    async (keys) => {
      const rows = await fetch(keys);
      const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
      for (const row of rows) groups.get(parentOf(row))?.push(row);
      return keys.map((key) => groups.get(key) ?? []);
    },
  );
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
