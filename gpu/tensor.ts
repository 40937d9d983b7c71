// TRANSITIONAL: Tensor-level wrappers over gpu/memory.ts for the GPU kernel families not yet moved
// behind the backend seam. Removed once every family works on views (docs/ARCHITECTURE.md).
import { Tensor } from '../ts/tensor.js';
import type { DType, TypedArray } from '../ts/dtype.js';
import { numel } from '../ts/shape.js';
import { gpuStorage, emptyStorage, copyStorage, memory } from './memory.js';

export { scalarBits, viewParams } from './memory.js';

/** A tensor owning `buffer` (contiguous, of `shape`). */
export function gpuTensor(buffer: GPUBuffer, dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(gpuStorage(buffer, dtype, numel(shape)), shape);
}

/** A new contiguous GPU tensor with undefined contents. */
export function emptyGpu(dtype: DType, shape: readonly number[], op = 'webgpu'): Tensor {
  return new Tensor(emptyStorage(dtype, numel(shape), op), shape);
}

/** Reads a GPU tensor's values into a new typed array of its dtype. */
export function fromGpu(t: Tensor): Promise<TypedArray> { return memory.read(t); }

/**
 * `t` as a contiguous GPU tensor of `dtype` and `shape` (broadcasting): `t` itself when it already
 * is one (callers dispose the result only when it is not `t`).
 */
export function contiguous(t: Tensor, dtype: DType = t.dtype, shape: readonly number[] = t.shape): Tensor {
  const same = shape.length === t.ndim && shape.every((s, i) => s === t.shape[i]);
  if (same && dtype === t.dtype && t.is_contiguous()) { t._gpu(); return t; }
  return new Tensor(copyStorage(t, dtype, shape), shape);
}

/** A new contiguous GPU tensor holding `t` as `dtype` (always a copy). */
export function copyOf(t: Tensor, dtype: DType = t.dtype, shape: readonly number[] = t.shape): Tensor {
  return new Tensor(copyStorage(t, dtype, shape), shape);
}

/** Writes `src` (broadcast, converted) into the GPU view `dst` in place. A CPU `src` must be 0-dim. */
export function writeInto(dst: Tensor, src: Tensor): void { memory.write(dst, src); }
