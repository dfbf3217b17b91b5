import { GraphQLError } from 'graphql';

/** Twice the largest budget: two of the heaviest operations run at once, or many small ones. */
export const defaultCostCapacity = 200_000;

export function serverBusy(): GraphQLError {
  return new GraphQLError('The graph is at capacity: retry shortly', {
    extensions: { code: 'SERVER_BUSY', retryAfter: 1, http: { status: 503, headers: new Map([['retry-after', '1']]) } },
  });
}

interface Waiter {
  units: number;
  grant: () => void;
}

/**
 * Estimated cost in flight, bounded: what the gateway and the subgraphs hold in memory for running
 * requests is bounded by the sum of their estimates, however many arrive at once. A request waits, in
 * arrival order, until its estimate fits; when its deadline passes or its client goes away first, it is
 * refused as SERVER_BUSY (503, Retry-After). Estimates above the capacity count as the whole capacity.
 */
export class CostCapacity {
  private inUse = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new Error('cost capacity must be positive');
  }

  /** Resolves with the release function once `cost` fits; rejects with SERVER_BUSY when `signal` aborts first. */
  acquire(cost: number, signal?: AbortSignal): Promise<() => void> {
    const units = Math.min(Math.max(cost, 0), this.capacity);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inUse -= units;
      this.grantWaiting();
    };
    if (units === 0) return Promise.resolve(() => {});
    if (this.waiting.length === 0 && this.inUse + units <= this.capacity) {
      this.inUse += units;
      return Promise.resolve(release);
    }
    if (signal?.aborted) return Promise.reject(serverBusy());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        units,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        this.grantWaiting();
        reject(serverBusy());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Estimated cost of the requests running now. */
  get running(): number {
    return this.inUse;
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.inUse + this.waiting[0]!.units <= this.capacity) {
      const next = this.waiting.shift()!;
      this.inUse += next.units;
      next.grant();
    }
  }
}
