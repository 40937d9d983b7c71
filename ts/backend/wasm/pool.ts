// The wasm backend's pool kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { PoolKernels } from '../kernels/pool.js';

export const pool: PoolKernels = {};
