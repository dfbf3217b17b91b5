import { mergeResolvers } from '@gongzhi/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as common from './common/resolvers/index.ts';
import * as links from './links/resolvers/index.ts';
import * as projects from './projects/resolvers/index.ts';
import * as requests from './requests/resolvers/index.ts';
import * as services from './services/resolvers/index.ts';

export const resolvers = mergeResolvers<Resolvers>(common, projects, requests, services, links);
