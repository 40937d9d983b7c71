// Reduction kernels: sum / sum of squares / prod / max / min over any set of dims (with argmax / argmin indices),
// prefix sums and sorting along a dim. The op layer (ts/ops/reduce.ts) picks dtypes and shapes and handles empty inputs.
import type { DType } from '../../dtype.js';
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

/** sumsq: the sum of squares (float32, float64), a 2-norm's without a squared copy of x */
export type ReduceKind = 'sum' | 'sumsq' | 'prod' | 'max' | 'min';

export interface ReduceKernels {
  /**
   * Reduces `x` (not empty) with `kind` over `dims` (sorted, distinct, none of size 0), computing in
   * `compute` (sum/prod: float32, float64 or int32; sumsq: float32 or float64; max/min also uint8) and returning a contiguous
   * storage of `out` with one element per kept position (x's shape with `dims` set to 1). With
   * `wantIdx` (max/min over one dim), also the int32 index of the first extreme along that dim.
   */
  reduce(kind: ReduceKind, x: View, dims: readonly number[], compute: DType, out: DType, wantIdx: boolean): [values: Storage, indices: Storage | null];
  /** Inclusive prefix sums of `x` along `dim` as a contiguous storage of `out` (float32, float64 or int32) of x's shape. */
  cumsum(x: View, dim: number, out: DType): Storage;
  /**
   * The first `k` (1..x.shape[dim]) of `x` sorted along `dim` (x: float32, float64, int32, uint8 or
   * bool; not empty): contiguous values of x's dtype and int32 positions, both of x's shape with
   * dim set to k (k = x.shape[dim] sorts; smaller k is topk). Stable (equal values keep their
   * order); NaN is the largest value, as in PyTorch.
   */
  sort(x: View, dim: number, descending: boolean, k: number): [values: Storage, indices: Storage];
}
