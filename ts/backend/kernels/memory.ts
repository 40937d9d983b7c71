// Allocation, upload and readback, and the strided copy/cast that every layout change goes through.
import type { DType, TypedArray } from '../../dtype.js';
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

export interface MemoryKernels {
  /** A new storage of `n` elements of `dtype`; contents undefined (callers overwrite all of it). */
  empty(dtype: DType, n: number, op?: string): Storage;
  /** A new storage of `n` elements, every one `value`. */
  full(dtype: DType, n: number, value: number): Storage;
  /** A new storage holding a copy of `data`, host values of `dtype`. */
  upload(data: TypedArray, dtype: DType): Storage;
  /** A new contiguous storage holding `x` converted to `dtype` and broadcast to `shape`. */
  copy(x: View, dtype: DType, shape: readonly number[]): Storage;
  /** Writes `src` (broadcast to dst's shape, converted to dst's dtype) into the view `dst`, in place. */
  write(dst: View, src: View): void;
  /** The values of `x` as a new contiguous typed array of its dtype. */
  read(x: View): Promise<TypedArray>;
  /** `read` without waiting; backends whose memory is not host-visible throw a clear error. */
  readSync(x: View, op: string): TypedArray;
  /** True when `readSync` works: value-dependent checks (index ranges, label ranges) need it. */
  readonly syncReads: boolean;
}
