// The wasm backend's reduce kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { ReduceKernels } from '../kernels/reduce.js';

export const reduce: ReduceKernels = {};
