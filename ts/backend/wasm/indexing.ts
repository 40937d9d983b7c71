// The wasm backend's indexing kernels (assembly/index_ops.ts). Gather/scatter address elements
// through precomputed element offsets (`offsets`) plus index * stride, so one kernel serves gather,
// scatter and index_select on any layout. Index values are checked (`check_index`): out-of-range
// ones raise PyTorch's IndexError.
import type { DType, TypedArray } from '../../dtype.js';
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { contiguousStrides, numel } from '../../shape.js';
import { Storage } from '../storage.js';
import type { IndexingKernels } from '../kernels/indexing.js';
import type { View } from '../view.js';
import { K, alloc, put, putI32, take, scratch, takeStatus, result, fresh } from './runtime.js';
import { materialize, putView, contiguousData, bytesOf, isContiguousView } from './scratch.js';

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
  if (!K.check_index(idxPtr, n, limit, allowNeg ? 1 : 0)) throw indexError(op, takeStatus().value, dim, limit);
}

function indexError(op: string, value: number, dim: number, limit: number): RangeError {
  // PyTorch's words: index_select (and embedding, which runs on it) say "index out of range in self"
  if (op === 'index_select') return new RangeError(`index_select(): index ${value} is out of bounds for dimension ${dim} with size ${limit} (index out of range in self)`);
  return new RangeError(`${op}(): index ${value} is out of bounds for dimension ${dim} with size ${limit}`);
}

/**
 * Gathers and scatter_adds that touch few elements of a large tensor (an embedding's rows: 700 of
 * a 10000 x 200 table) run on the host: through scratch they would copy the whole table in (and,
 * for scatter_add, out again). `visit` walks index's positions in order with the element offsets
 * of `a` and `b` (their strides, `dim` excluded from a's) and the index value, checked (and
 * wrapped when `wrapNegative`) as check_index does. An index broadcast along its last dim (an
 * embedding's, expanded over the row) gives runs of `len` positions sharing one value.
 */
const HOST_RATIO = 4;
function visit(op: string, index: View, dim: number, limit: number, wrapNegative: boolean,
  a: View, b: View | null, f: (i: number, ao: number, bo: number, v: number, len: number) => void): void {
  const shape = index.shape, nd = shape.length, n = numel(shape);
  const runs = nd > 0 && dim !== nd - 1 && index._strides[nd - 1] === 0;
  const len = runs ? shape[nd - 1] : 1, outer = runs ? nd - 1 : nd;
  const idx = bytesOf(index), is = index._strides, as = a._strides, bs = b ? b._strides : is;
  const pos = new Array<number>(outer).fill(0);
  let io = index._offset, ao = a._offset, bo = b ? b._offset : 0;
  for (let i = 0; i < n; i += len) {
    const v0 = idx[io];
    const v = v0 < 0 && wrapNegative ? v0 + limit : v0;
    if (v < 0 || v >= limit) throw indexError(op, v0, dim, limit);
    f(i, ao, bo, v, len);
    for (let k = outer - 1; k >= 0; k--) {
      const ak = k === dim ? 0 : as[k];
      if (++pos[k] < shape[k]) { io += is[k]; ao += ak; bo += bs[k]; break; }
      io -= (shape[k] - 1) * is[k]; ao -= (shape[k] - 1) * ak; bo -= (shape[k] - 1) * bs[k]; pos[k] = 0;
    }
  }
}

/** The kernels that only move elements are named by element width. */
const bytesSuffix = (d: DType) => `b${ITEMSIZE[d]}`;

export const indexing: IndexingKernels = {
  gather(src, dim, index, wrapNegative, op) {
    const n = numel(index.shape);
    if (n === 0) return new Storage(arrayFor(src.dtype, 0), src.dtype);
    if (bytesOf(src).length > HOST_RATIO * n) {
      const out = fresh(src.dtype, n), from = bytesOf(src), sd = src._strides[dim], sl = src._strides[src.shape.length - 1];
      visit(op, index, dim, src.shape[dim], wrapNegative, src, null, (i, so, _, v, len) => {
        const o = so + v * sd;
        if (len === 1) out[i] = from[o];
        else if (sl === 1) out.set(from.subarray(o, o + len), i);
        else for (let j = 0; j < len; j++) out[i + j] = from[o + j * sl];
      });
      return new Storage(out, src.dtype);
    }
    const data = scratch(() => {
      // base view: src narrowed to index's shape, with stride 0 along dim
      const strides = [...src._strides]; strides[dim] = 0;
      const sp = putView(src);
      const offs = offsetsOf(index.shape, strides, 0);
      const ip = materialize(index, index.dtype, index.shape, wrapNegative); // negative indices are wrapped in place
      checkIndices(op, ip, n, src.shape[dim], dim, wrapNegative);
      const out = result(n * ITEMSIZE[src.dtype]);
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
    const n = numel(index.shape);
    if (n > 0 && src.dtype === x.dtype && numel(x.shape) > HOST_RATIO * n && (x.dtype === 'float32' || x.dtype === 'float64' || x.dtype === 'int32')) {
      const strides = contiguousStrides(x.shape), sd = strides[dim], N = numel(x.shape);
      // the result starts as a copy of x, in a heap block or an array from the reuse pool where one is free
      let out: TypedArray;
      if (isContiguousView(x.shape, x._strides)) {
        out = fresh(x.dtype, N);
        out.set(bytesOf(x).subarray(x._offset, x._offset + N) as ArrayLike<number>);
      } else out = contiguousData(x);
      const from = bytesOf(src), bl = src._strides[src.shape.length - 1];
      const dense: View = { _storage: x._storage, dtype: x.dtype, shape: x.shape, _strides: strides, _offset: 0 };
      visit('scatter_add', index, dim, x.shape[dim], false, dense, src, (_, xo, so, v, len) => {
        const o = xo + v * sd;
        for (let j = 0; j < len; j++) out[o + j] += from[so + j * bl];
      });
      return new Storage(out, x.dtype);
    }
    return scatterInto('scatter_add', x, dim, index, (dp, offs, ip, sd, n) => {
      if (x.dtype !== 'float32' && x.dtype !== 'float64' && x.dtype !== 'int32') throw new TypeError(`scatter_add: not supported for ${x.dtype}`);
      K[`scatter_add_${KSUFFIX[x.dtype]}`](dp, offs, ip, sd, materialize(src, x.dtype), n);
    });
  },

  where(cond, a, b, dtype, shape) {
    const n = numel(shape);
    const data = n === 0 ? arrayFor(dtype, 0) : scratch(() => {
      const cp = materialize(cond, 'bool', shape), xp = materialize(a, dtype, shape), yp = materialize(b, dtype, shape);
      const o = result(n * ITEMSIZE[dtype]);
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
    const dp = materialize(x, x.dtype, x.shape, true); // the kernel updates this copy of x
    const offs = offsetsOf(index.shape, strides, 0);
    const ip = materialize(index);
    checkIndices(op, ip, n, x.shape[dim], dim);
    run(dp, offs, ip, sd, n);
    return take(dp, x.dtype, numel(x.shape));
  });
  return new Storage(data, x.dtype);
}
