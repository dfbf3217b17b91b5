export { Deputy } from './Deputy.ts';
export { Membership } from './Membership.ts';
export { Person } from './Person.ts';
export { Query } from './Query.ts';
export { Volunteer } from './Volunteer.ts';
