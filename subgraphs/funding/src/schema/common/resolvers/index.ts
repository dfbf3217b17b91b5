export { Date } from './Date.ts';
export { FenScalar as Fen } from '@gongzhi/kit';
