// The wasm backend's conv kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { ConvKernels } from '../kernels/conv.js';

export const conv: ConvKernels = {};
