export { Mutation } from './Mutation.ts';
export { Query } from './Query.ts';
export { DateTimeScalar as DateTime } from '@gongzhi/kit';
