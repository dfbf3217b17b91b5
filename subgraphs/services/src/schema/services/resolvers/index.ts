export { Event } from './Event.ts';
export { Query } from './Query.ts';
export { Service } from './Service.ts';
