export { Community } from './Community.ts';
export { District } from './District.ts';
export { Person } from './Person.ts';
export { ResidentsCommittee } from './ResidentsCommittee.ts';
export { Subdistrict } from './Subdistrict.ts';
