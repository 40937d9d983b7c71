// The webgpu backend's indexing kernels: gather, scatter, scatter_add and where, on views.
// Arguments arrive validated; index values are not (they live on the GPU), so the kernels skip
// out-of-range indices instead of raising (see gpu/wgsl/indexing.ts).
import type { IndexingKernels } from '../ts/backend/kernels/indexing.js';
import type { Storage } from '../ts/backend/storage.js';
import type { View } from '../ts/backend/view.js';
import { broadcastStrides } from '../ts/backend/view.js';
import { contiguousStrides, numel } from '../ts/shape.js';
import { dispatch, wg } from './runtime.js';
import { emptyStorage, copyStorage, bufferOf, viewParams, scalarBits, hostScalar } from './memory.js';
import { word } from './wgsl/types.js';
import { gatherSource, scatterSource, scatterAddSource, whereSource, whereKey, type WhereOperand } from './wgsl/indexing.js';

type Desc = { offset: number; strides: readonly number[] };
const descOf = (v: View): Desc => ({ offset: v._offset, strides: v._strides });

/** Params shared by scatter and scatter_add: views of out (stride 0 along dim) and index, then src's. */
function scatterParams(shape: readonly number[], dim: number, index: View, src: View | null) {
  const strides = contiguousStrides(shape);
  const sd = strides[dim]; strides[dim] = 0;
  const views: Desc[] = [{ offset: 0, strides }, descOf(index)];
  if (src) views.push(descOf(src));
  return { params: viewParams(index.shape, views), sd };
}

export const indexing: IndexingKernels = {
  /**
   * out[pos] = src[pos with index[pos] along dim] over index's shape (index_select passes an
   * expanded index). Out-of-range indices read as zero.
   */
  gather(src, dim, index, wrapNegative) {
    const n = numel(index.shape);
    if (n === 0) return emptyStorage(src.dtype, 0, 'gather');
    const buffers = [bufferOf(src), bufferOf(index)];
    const out = emptyStorage(src.dtype, n, 'gather');
    const base = [...src._strides]; base[dim] = 0;
    const params = viewParams(index.shape, [{ offset: src._offset, strides: base }, descOf(index)])
      .i(src._strides[dim], src.shape[dim], wrapNegative ? 1 : 0);
    const W = wg();
    dispatch(`gather_${src.dtype}_${W}`, () => gatherSource(src.dtype, W), [...buffers, out.buffer!], params, Math.ceil(n / W));
    return out;
  },

  /** A copy of x with src's values (or the scalar) written at index along dim. Out-of-range indices write nothing. */
  scatter(x, dim, index, src) {
    const n = numel(index.shape);
    const scalar = typeof src === 'number';
    if (n === 0 || numel(x.shape) === 0) return copyStorage(x);
    const buffers = scalar ? [bufferOf(index)] : [bufferOf(index), bufferOf(src)];
    const out = copyStorage(x);
    const { params, sd } = scatterParams(x.shape, dim, index, scalar ? null : src);
    params.i(sd, x.shape[dim], scalar ? scalarBits(src, x.dtype) : 0);
    const W = wg();
    dispatch(`scatter_${x.dtype}_${scalar ? 's' : 't'}_${W}`, () => scatterSource(x.dtype, scalar, W), [...buffers, out.buffer!], params, Math.ceil(n / W));
    return out;
  },

  /** A copy of x with src's values added at index along dim (float32 and int32). */
  scatterAdd(x, dim, index, src) {
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      word(x.dtype, 'scatter_add');
      throw new TypeError(`scatter_add: not supported for ${x.dtype}`);
    }
    const dtype = x.dtype;
    const n = numel(index.shape);
    if (n === 0 || numel(x.shape) === 0) return copyStorage(x);
    const buffers = [bufferOf(index), bufferOf(src)];
    const out = copyStorage(x);
    const { params, sd } = scatterParams(x.shape, dim, index, src);
    params.i(sd, x.shape[dim]);
    const W = wg();
    dispatch(`scatter_add_${dtype}_${W}`, () => scatterAddSource(dtype, W), [...buffers, out.buffer!], params, Math.ceil(n / W));
    return out;
  },

  /** cond ? a : b over `shape`, as `dtype`. 0-dim CPU operands are passed as scalars. */
  where(cond, a, b, dtype, shape): Storage {
    const n = numel(shape);
    if (n === 0) return emptyStorage(dtype, 0, 'where');
    const ops: WhereOperand[] = [];
    const views: Desc[] = [];
    const buffers: GPUBuffer[] = [];
    const scalars: number[] = [];
    [cond, a, b].forEach((t, k) => {
      if (t._storage.device === 'cpu') {
        const v = hostScalar(t);
        ops.push({ layout: 's', dtype: t.dtype });
        scalars.push(k === 0 ? (v !== 0 ? 1 : 0) : scalarBits(v, dtype));
        return;
      }
      ops.push({ layout: 'v', dtype: t.dtype });
      views.push({ offset: t._offset, strides: broadcastStrides(t, shape) });
      buffers.push(bufferOf(t));
    });
    const out = emptyStorage(dtype, n, 'where');
    const W = wg();
    dispatch(`${whereKey(ops, dtype)}_${W}`, () => whereSource(ops, dtype, W), [...buffers, out.buffer!], viewParams(shape, views).i(...scalars), Math.ceil(n / W));
    return out;
  },
};
