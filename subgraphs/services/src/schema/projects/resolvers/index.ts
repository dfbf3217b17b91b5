export { Evaluation } from './Evaluation.ts';
export { MicroProject } from './MicroProject.ts';
export { Mutation } from './Mutation.ts';
export { Query } from './Query.ts';
