export { Community } from './Community.ts';
export { District } from './District.ts';
export { MicroProject } from './MicroProject.ts';
export { Organisation } from './Organisation.ts';
export { Subdistrict } from './Subdistrict.ts';
