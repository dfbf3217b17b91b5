export { Mutation } from './Mutation.ts';
