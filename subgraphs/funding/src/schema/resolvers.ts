import { mergeResolvers } from '@gongzhi/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as common from './common/resolvers/index.ts';
import * as funding from './funding/resolvers/index.ts';
import * as links from './links/resolvers/index.ts';
import * as writes from './writes/resolvers/index.ts';

export const resolvers = mergeResolvers<Resolvers>(common, funding, links, writes);
