export { Matter } from './Matter.ts';
export { MatterStageRecord } from './MatterStageRecord.ts';
export { Query } from './Query.ts';
