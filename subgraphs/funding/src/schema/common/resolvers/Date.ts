export { DateScalar as Date } from '@gongzhi/kit';
