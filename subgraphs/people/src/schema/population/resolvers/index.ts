export { PopulationCount } from './PopulationCount.ts';
