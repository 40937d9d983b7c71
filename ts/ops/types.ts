import type { Tensor } from '../tensor.js';
import type { DTypeLike } from '../dtype.js';

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;
export type DimArg = number | number[] | null;
/** PyTorch keyword arguments of reductions, as one trailing options object */
export interface ReduceOpts {
  dim?: DimArg;
  keepdim?: boolean;
  dtype?: DTypeLike;
  correction?: number;
  unbiased?: boolean;
  p?: number | string | null;
}
