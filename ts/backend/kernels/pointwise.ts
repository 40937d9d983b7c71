// Elementwise kernels: every op of ts/ops/pointwise_table.ts, over broadcast strided inputs.
import type { DType } from '../../dtype.js';
import type { PointwiseName } from '../../ops/pointwise_table.js';
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

/** An elementwise operand: a view (broadcast to the result's shape) or a scalar. */
export type PointwiseInput = View | number | boolean;

export interface PointwiseKernels {
  /**
   * Runs table op `name` over `inputs` broadcast to `shape`, computing in `compute` (float32,
   * float64 or int32) and writing a contiguous storage of `out`. `p` and `q` are the unary ops'
   * parameters (clamp bounds, softplus beta/threshold, leaky_relu slope, ...).
   */
  pointwise(name: PointwiseName, inputs: readonly PointwiseInput[], compute: DType, out: DType, shape: readonly number[], p: number, q: number): Storage;
}
