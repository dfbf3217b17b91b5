export { Meeting } from './Meeting.ts';
export { Motion } from './Motion.ts';
