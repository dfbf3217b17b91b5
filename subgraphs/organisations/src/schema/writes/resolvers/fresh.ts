import type { Context } from '../../../context.ts';
import { createLoaders, type Loaders } from '../../../loaders/index.ts';

/**
 * After a write, what this request's loaders cached may be stale (an earlier mutation field of the same
 * operation may have read it): the payload's fields read through a new set.
 */
export function freshLoaders(context: Context): Loaders {
  context.loaders = createLoaders(context.database);
  return context.loaders;
}
