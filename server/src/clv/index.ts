// Customer lifetime value: pure math (BG/NBD, Pareto/NBD, Gamma-Gamma, CLV) and the summary builder.
// File reading lives in clv.files.ts. See docs/clv.md.
export * from './bgnbd.ts';
export * from './paretonbd.ts';
export * from './gammagamma.ts';
export * from './value.ts';
export * from './summary.ts';
export * from './fit.ts';
export * from './simulate.ts';
export { nelderMead, type MinimizeOptions, type MinimizeResult } from './optimize.ts';
