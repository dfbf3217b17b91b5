export { CommunityWorker } from './CommunityWorker.ts';
export { Query } from './Query.ts';
