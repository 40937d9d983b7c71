// Indexing kernels: gather (gather, index_select), scatter, scatter_add and where, over strided
// views. Index views are int32 and may be strided or expanded (read through their strides).
//
// Index values are checked where the backend can read them synchronously (`syncReads`): the wasm
// backend raises PyTorch's IndexError; webgpu cannot, so out-of-range indices read zeros and
// write nothing there (see gpu/wgsl/indexing.ts).
import type { DType } from '../../dtype.js';
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

export interface IndexingKernels {
  /**
   * out[pos] = src[pos with index[pos] along `dim`], a new contiguous storage of index's shape
   * (index has src's rank; index_select passes an index expanded over the other dims).
   * `wrapNegative`: negative indices count from the end (index_select). `op` names the op in errors.
   */
  gather(src: View, dim: number, index: View, wrapNegative: boolean, op: string): Storage;
  /**
   * A contiguous copy of `x` with `src`'s values (or the scalar) written at `index` along `dim`.
   * `src` has index's shape (the op layer narrows it) and is converted to x's dtype.
   */
  scatter(x: View, dim: number, index: View, src: View | number): Storage;
  /** A contiguous copy of `x` with `src`'s values (index's shape, x's dtype) added at `index` along `dim`. */
  scatterAdd(x: View, dim: number, index: View, src: View): Storage;
  /**
   * cond ? a : b over `shape`, as `dtype`: a new contiguous storage. Operands broadcast to `shape`;
   * a and b may be 0-dim CPU views beside device ones (scalars).
   */
  where(cond: View, a: View, b: View, dtype: DType, shape: readonly number[]): Storage;
}
