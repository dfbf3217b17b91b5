export { Evaluation } from './Evaluation.ts';
export { MicroProject } from './MicroProject.ts';
export { Query } from './Query.ts';
