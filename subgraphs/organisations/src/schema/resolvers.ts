import { mergeResolvers } from '@gongzhi/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as common from './common/resolvers/Date.ts';
import * as grid from './grid/resolvers/index.ts';
import * as organisations from './organisations/resolvers/index.ts';
import * as structure from './structure/resolvers/index.ts';
import * as writes from './writes/resolvers/index.ts';

export const resolvers = mergeResolvers<Resolvers>(common, structure, organisations, grid, writes);
