import { mergeResolvers } from '@gongzhi/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as common from './common/resolvers/Date.ts';
import * as elections from './elections/resolvers/index.ts';
import * as links from './links/resolvers/index.ts';
import * as matters from './matters/resolvers/index.ts';
import * as meetings from './meetings/resolvers/index.ts';
import * as writes from './writes/resolvers/index.ts';

export const resolvers = mergeResolvers<Resolvers>(common, elections, matters, meetings, links, writes);
