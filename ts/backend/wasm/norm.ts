// The wasm backend's norm kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { NormKernels } from '../kernels/norm.js';

export const norm: NormKernels = {};
