// The wasm backend's linalg kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { LinalgKernels } from '../kernels/linalg.js';

export const linalg: LinalgKernels = {};
