/**
 * Per-request batching across I/O: DataLoader batches what is asked in one tick, but sibling statements
 * (say two grant connections with different arguments) finish at different I/O events on a server, so the
 * nested fields of their rows would be asked in different ticks and split into more statements, a number
 * that then depends on timing. Here every statement of the request is tracked, and a loader's fetch waits
 * until none is in flight (and the resolvers they woke have run) before it runs once for every key asked
 * meanwhile. The number of statements then depends on the shape of the query only, never on list size or
 * timing. (A candidate for kit, next to `keyedLoader`.)
 */
export interface Waves {
  /** Counts `work` (a statement) as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
  /**
   * Wraps a batch fetch (keys → rows) so that the calls of one wave share one statement over the union of
   * their keys. Every caller gets all the rows: kit's `keyedLoader` and `groupedLoader` pick their own.
   */
  coalesce<K extends string, Row>(fetch: (keys: readonly K[]) => Promise<Row[]>): (keys: readonly K[]) => Promise<Row[]>;
}

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

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight += 1;
    return work.finally(() => {
      inFlight -= 1;
      if (inFlight === 0) flushWhenIdle();
    });
  };

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

  return { track, coalesce };
}
