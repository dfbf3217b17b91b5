export { Mutation } from './Mutation.ts';
export { Query } from './Query.ts';
export { ServiceRequest } from './ServiceRequest.ts';
