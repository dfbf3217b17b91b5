import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError } from 'graphql';

/**
 * What the code serving one HTTP request can know about it from anywhere below (resolvers, loaders, the
 * database layer) without passing it along: whether the client is still waiting, and the work to stop
 * when it is not.
 */
export interface RequestScope {
  /** Aborts when the client goes away before its answer is finished. */
  readonly signal: AbortSignal;
  /** Work in flight for this request, each with the function that cancels it (the database adds its statements). */
  readonly inFlight: Map<object, (work: object) => void>;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `run` as the work of a request that `signal` abandons; on abort, every in-flight item is cancelled. */
export function runInRequestScope<T>(signal: AbortSignal, run: () => T): T {
  const scope: RequestScope = { signal, inFlight: new Map() };
  if (!signal.aborted) {
    signal.addEventListener(
      'abort',
      () => {
        for (const [work, cancel] of scope.inFlight) cancel(work);
        scope.inFlight.clear();
      },
      { once: true },
    );
  }
  return storage.run(scope, run);
}

/** The scope of the request being served, or undefined outside any (seeding, migrations, tests calling the database). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Whether the request being served has been abandoned by its client (false outside any request). */
export function requestAbandoned(): boolean {
  return storage.getStore()?.signal.aborted === true;
}

/** Answered for work refused or stopped because the client went away; nobody reads it but the logs. */
export function requestCancelled(): GraphQLError {
  return new GraphQLError('The request was cancelled: its client went away before the answer was ready', {
    extensions: { code: 'REQUEST_CANCELLED' },
  });
}

/** Refuses to start new work for an abandoned request. */
export function throwIfRequestCancelled(): void {
  if (storage.getStore()?.signal.aborted) throw requestCancelled();
}
