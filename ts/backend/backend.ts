// The backend interface: everything the op layer asks of a device, as one typed object per
// backend (wasm: ts/backend/wasm/, webgpu: gpu/). Each family of kernels is declared in
// ts/backend/kernels/<family>.ts; a backend that lacks one of them fails `tsc`, since both
// implementations are declared as `Backend`.
//
// Backends work on storages and views (ts/backend/view.ts), never on Tensor: they return new
// contiguous storages (or write into views in place), and the op layer wraps them in tensors.
import type { DeviceType } from './storage.js';
import type { MemoryKernels } from './kernels/memory.js';
import type { PointwiseKernels } from './kernels/pointwise.js';
import type { ReduceKernels } from './kernels/reduce.js';
import type { LinalgKernels } from './kernels/linalg.js';
import type { ConvKernels } from './kernels/conv.js';
import type { PoolKernels } from './kernels/pool.js';
import type { IndexingKernels } from './kernels/indexing.js';
import type { RandomKernels } from './kernels/random.js';
import type { OptimKernels } from './kernels/optim.js';
import type { NormKernels } from './kernels/norm.js';
import type { LossKernels } from './kernels/loss.js';
import type { RnnKernels } from './kernels/rnn.js';

export interface Backend extends MemoryKernels, PointwiseKernels, ReduceKernels, LinalgKernels, ConvKernels,
  PoolKernels, IndexingKernels, RandomKernels, OptimKernels, NormKernels, LossKernels, RnnKernels {
  readonly device: DeviceType;
}

/** Every kernel a backend must have: the interface's keys. */
export type KernelName = Exclude<keyof Backend, 'device' | 'syncReads'>;
