export { createRng, toRng } from './rng.js';
export type { Rng, RngState } from './rng.js';
export { AliasTable } from './alias-table.js';
