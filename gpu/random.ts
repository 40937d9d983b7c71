// The webgpu backend's random kernels (to be moved here: docs/ARCHITECTURE.md).
import type { RandomKernels } from '../ts/backend/kernels/random.js';

export const random: RandomKernels = {};
