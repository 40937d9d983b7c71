// The wasm backend's optim kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { OptimKernels } from '../kernels/optim.js';

export const optim: OptimKernels = {};
