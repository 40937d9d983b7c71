// The wasm backend's indexing kernels (to be moved here from the op layer: docs/ARCHITECTURE.md).
import type { IndexingKernels } from '../kernels/indexing.js';

export const indexing: IndexingKernels = {};
