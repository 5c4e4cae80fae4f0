export type { ChaosTarget, LoadHandle, Tally, TallyRow } from './chaos.types.js';
export { createRng, pick, randomInt } from './chaos.random.js';
