export { Building } from './Building.ts';
export { Community } from './Community.ts';
export { GridArea } from './GridArea.ts';
export { Query } from './Query.ts';
