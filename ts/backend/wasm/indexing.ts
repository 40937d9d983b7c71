// The wasm backend's indexing kernels (assembly/index_ops.ts). Gather/scatter address elements
// through precomputed element offsets (`offsets`) plus index * stride, so one kernel serves gather,
// scatter and index_select on any layout. Index values are checked (`check_index`): out-of-range
// ones raise PyTorch's IndexError.
import type { DType } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { contiguousStrides, numel } from '../../shape.js';
import { Storage } from '../storage.js';
import type { IndexingKernels } from '../kernels/indexing.js';
import type { View } from '../view.js';
import { K, alloc, put, putI32, take, scratch, takeStatus } from './runtime.js';
import { materialize, putView, contiguousData } from './scratch.js';

/** Element offsets (into src's storage span) of every position of a strided view. */
function offsetsOf(shape: readonly number[], strides: readonly number[], base: number): number {
  const meta = putI32([shape.length, ...shape, ...strides, base]);
  const out = alloc(numel(shape) * 4);
  K.offsets(meta, out);
  return out;
}

/**
 * Validates index values against `limit`: PyTorch's gather, scatter, scatter_add, index_select and
 * embedding all reject negative indices (only advanced indexing x[idx] counts them from the end).
 * `allowNeg` wraps them first; no op on this backend asks for it (see gatherRaw in ts/ops/indexing.ts).
 */
function checkIndices(op: string, idxPtr: number, n: number, limit: number, dim: number, allowNeg = false): void {
  if (!K.check_index(idxPtr, n, limit, allowNeg ? 1 : 0)) {
    const { value } = takeStatus(); // ERR_INDEX, with the offending index
    // PyTorch's words: index_select (and embedding, which runs on it) say "index out of range in self"
    if (op === 'index_select') throw new RangeError(`index_select(): index ${value} is out of bounds for dimension ${dim} with size ${limit} (index out of range in self)`);
    throw new RangeError(`${op}(): index ${value} is out of bounds for dimension ${dim} with size ${limit}`);
  }
}

/** The kernels that only move elements are named by element width. */
const bytesSuffix = (d: DType) => `b${ITEMSIZE[d]}`;

export const indexing: IndexingKernels = {
  gather(src, dim, index, wrapNegative, op) {
    const n = numel(index.shape);
    if (n === 0) return new Storage(arrayFor(src.dtype, 0), src.dtype);
    const data = scratch(() => {
      // base view: src narrowed to index's shape, with stride 0 along dim
      const strides = [...src._strides]; strides[dim] = 0;
      const sp = putView(src);
      const offs = offsetsOf(index.shape, strides, 0);
      const ip = materialize(index);
      checkIndices(op, ip, n, src.shape[dim], dim, wrapNegative);
      const out = alloc(n * ITEMSIZE[src.dtype]);
      K[`gather_${bytesSuffix(src.dtype)}`](sp, offs, ip, src._strides[dim], out, n);
      return take(out, src.dtype, n);
    });
    return new Storage(data, src.dtype);
  },

  scatter(x, dim, index, src) {
    return scatterInto('scatter', x, dim, index, (dp, offs, ip, sd, n) => {
      const scalar = typeof src === 'number';
      const sp = scalar ? put(Object.assign(arrayFor(x.dtype, 1), { 0: src })) : materialize(src, x.dtype);
      K[`scatter_${bytesSuffix(x.dtype)}`](dp, offs, ip, sd, sp, n, scalar ? 1 : 0);
    });
  },

  scatterAdd(x, dim, index, src) {
    return scatterInto('scatter_add', x, dim, index, (dp, offs, ip, sd, n) => {
      if (x.dtype !== 'float32' && x.dtype !== 'float64' && x.dtype !== 'int32') throw new TypeError(`scatter_add: not supported for ${x.dtype}`);
      K[`scatter_add_${KSUFFIX[x.dtype]}`](dp, offs, ip, sd, materialize(src, x.dtype), n);
    });
  },

  where(cond, a, b, dtype, shape) {
    const n = numel(shape);
    const data = n === 0 ? arrayFor(dtype, 0) : scratch(() => {
      const cp = materialize(cond, 'bool', shape), xp = materialize(a, dtype, shape), yp = materialize(b, dtype, shape);
      const o = alloc(n * ITEMSIZE[dtype]);
      K[`where_${bytesSuffix(dtype)}`](cp, xp, yp, o, n);
      return take(o, dtype, n);
    });
    return new Storage(data, dtype);
  },
};

/**
 * The shared prologue of scatter and scatter_add: x copied into scratch, the index checked and its
 * destination offsets computed (the scatter dim's stride passed apart), `run` calling the kernel on
 * them, and the updated copy of x taken out.
 */
function scatterInto(op: string, x: View, dim: number, index: View,
  run: (dp: number, offs: number, ip: number, dimStride: number, n: number) => void): Storage {
  const n = numel(index.shape);
  if (n === 0) return new Storage(contiguousData(x), x.dtype);
  const data = scratch(() => {
    const strides = contiguousStrides(x.shape); const sd = strides[dim]; strides[dim] = 0;
    const dp = materialize(x);
    const offs = offsetsOf(index.shape, strides, 0);
    const ip = materialize(index);
    checkIndices(op, ip, n, x.shape[dim], dim);
    run(dp, offs, ip, sd, n);
    return take(dp, x.dtype, numel(x.shape));
  });
  return new Storage(data, x.dtype);
}
