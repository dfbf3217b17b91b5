export { Event } from './Event.ts';
export { Mutation } from './Mutation.ts';
export { Query } from './Query.ts';
export { Service } from './Service.ts';
