export { Community } from './Community.ts';
export { CommunityPlacement } from './CommunityPlacement.ts';
export { District } from './District.ts';
export { Query } from './Query.ts';
export { ResidentsCommittee } from './ResidentsCommittee.ts';
export { Subdistrict } from './Subdistrict.ts';
