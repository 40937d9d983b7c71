// Pooling kernels over the last two dims (1-d pools run as 2-d with H = 1): max pooling with
// argmax indices (flat in each H*W plane, as PyTorch), its backward through those indices and
// the gather that is the backward of that, and average pooling forward and backward. Sliding or
// adaptive windows; floating dtypes only (the op layer checks).
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

/**
 * The geometry of a 2-d pool over planes of H x W: output size, and for sliding windows kernel
 * [kh, kw], stride, padding and dilation; adaptive pools need no more.
 */
export interface PoolGeom {
  H: number; W: number; OH: number; OW: number;
  adaptive: boolean;
  k?: number[]; s?: number[]; p?: number[]; d?: number[];
  /** average pooling: count padding in the divisor; a divisor override (0: none) */
  includePad?: boolean; divisor?: number;
}

export interface PoolKernels {
  /** Max pooling of x ([..., H, W]): values (x's dtype) and int32 argmax indices, both of `outShape` ([..., OH, OW]). */
  maxPool(x: View, geom: PoolGeom, outShape: readonly number[]): [Storage, Storage];
  /** The gradient of max pooling: `grad` (the output's shape) routed to the argmax positions `indices`, as a storage of `inShape`. */
  maxPoolBackward(grad: View, indices: View, geom: PoolGeom, inShape: readonly number[]): Storage;
  /** out[p, o] = x[p, indices[p, o]] over planes of x's last two dims (the gradient of maxPoolBackward), of indices' shape. */
  poolGather(x: View, indices: View): Storage;
  /**
   * Average pooling. Forward: x is [..., H, W] and the result `shape` [..., OH, OW]; backward: x is
   * the output gradient and the result the input gradient, of `shape` [..., H, W].
   */
  avgPool(x: View, geom: PoolGeom, backward: boolean, shape: readonly number[]): Storage;
}
