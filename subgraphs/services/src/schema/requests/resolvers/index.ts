export { Query } from './Query.ts';
export { ServiceRequest } from './ServiceRequest.ts';
