export * from './credit-code.ts';
export * from './facts.ts';
export * from './ids.ts';
export * from './random.ts';
export * from './structure.ts';
