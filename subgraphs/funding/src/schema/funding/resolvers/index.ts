export { Budget } from './Budget.ts';
export { Fund } from './Fund.ts';
export { Grant } from './Grant.ts';
export { GrantBalance } from './GrantBalance.ts';
export { ProgressReport } from './ProgressReport.ts';
export { Programme } from './Programme.ts';
export { Query } from './Query.ts';
export { Transaction } from './Transaction.ts';
