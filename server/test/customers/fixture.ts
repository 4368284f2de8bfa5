// Synthetic order logs for scoring tests: the generator lives with the models (the demo seed uses it too).
export { simulateOrders, type SimOrder } from '../../src/clv/simulate.ts';
