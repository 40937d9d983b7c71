// The wasm backend's random kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { RandomKernels } from '../kernels/random.js';

export const random: RandomKernels = {};
