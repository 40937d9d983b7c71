// TRANSITIONAL: op files not yet moved behind the backend seam import the wasm scratch helpers from
// here. Removed once every family calls its backend (docs/ARCHITECTURE.md).
export * from './wasm/scratch.js';
