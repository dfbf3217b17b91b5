import { mergeResolvers } from '@gongzhi/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as common from './common/resolvers/Date.ts';
import * as links from './links/resolvers/index.ts';
import * as people from './people/resolvers/index.ts';
import * as population from './population/resolvers/index.ts';
import * as workforce from './workforce/resolvers/index.ts';
import * as writes from './writes/resolvers/index.ts';

export const resolvers = mergeResolvers<Resolvers>(common, people, population, workforce, links, writes);
