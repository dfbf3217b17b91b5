export { DateScalar as Date, DateTimeScalar as DateTime, FenScalar as Fen } from '@gongzhi/kit';
