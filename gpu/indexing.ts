// Indexing ops on webgpu tensors (the GPU half of ts/ops/indexing.ts): gather, scatter,
// scatter_add and where. Arguments arrive validated; index values are not (they live on the
// GPU), so the kernels skip out-of-range indices instead of raising (see gpu/wgsl/indexing.ts).
import type { IndexingKernels } from '../ts/backend/kernels/indexing.js';
import { Tensor } from '../ts/tensor.js';
import type { DType } from '../ts/dtype.js';
import { contiguousStrides, numel } from '../ts/shape.js';
import { broadcastStrides } from '../ts/backend/cpu.js';
import { dispatch, wg } from './runtime.js';
import { emptyGpu, copyOf, viewParams, scalarBits } from './tensor.js';
import { word } from './wgsl/types.js';
import { gatherSource, scatterSource, scatterAddSource, whereSource, whereKey, type WhereOperand } from './wgsl/indexing.js';

type View = { offset: number; strides: readonly number[] };
const viewOf = (t: Tensor): View => ({ offset: t._offset, strides: t._strides });


/**
 * out[pos] = src[pos with index[pos] along dim] over index's shape (gather; index_select passes an
 * expanded index). `wrapNegative`: negative indices count from the end (index_select).
 * Out-of-range indices read as zero.
 */
export function gatherGpu(src: Tensor, dim: number, index: Tensor, wrapNegative: boolean): Tensor {
  const out = emptyGpu(src.dtype, index.shape, 'gather');
  const n = index.numel();
  if (n === 0) return out;
  const base = [...src._strides]; base[dim] = 0;
  const params = viewParams(index.shape, [{ offset: src._offset, strides: base }, viewOf(index)])
    .i(src._strides[dim], src.shape[dim], wrapNegative ? 1 : 0);
  const W = wg();
  dispatch(`gather_${src.dtype}_${W}`, () => gatherSource(src.dtype, W), [src._gpu(), index._gpu(), out._gpu()], params, Math.ceil(n / W));
  return out;
}

/** Params shared by scatter and scatter_add: views of out (stride 0 along dim) and index, then src's. */
function scatterParams(out: Tensor, dim: number, index: Tensor, src: Tensor | null) {
  const strides = contiguousStrides(out.shape);
  const sd = strides[dim]; strides[dim] = 0;
  const views: View[] = [{ offset: 0, strides }, viewOf(index)];
  if (src) views.push(viewOf(src));
  return { params: viewParams(index.shape, views), sd };
}

/**
 * A copy of x with src's values (or the scalar) written at index along dim. `src` is already
 * narrowed to index's shape. Out-of-range indices write nothing.
 */
export function scatterGpu(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  const out = copyOf(x);
  const n = index.numel();
  if (n === 0 || out.numel() === 0) return out;
  const scalar = typeof src === 'number';
  const { params, sd } = scatterParams(out, dim, index, scalar ? null : src);
  params.i(sd, x.shape[dim], scalar ? scalarBits(src, x.dtype) : 0);
  const W = wg();
  const buffers = scalar ? [index._gpu(), out._gpu()] : [index._gpu(), src._gpu(), out._gpu()];
  dispatch(`scatter_${x.dtype}_${scalar ? 's' : 't'}_${W}`, () => scatterSource(x.dtype, scalar, W), buffers, params, Math.ceil(n / W));
  return out;
}

/** A copy of x with src's values added at index along dim (float32 and int32). */
export function scatterAddGpu(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    word(x.dtype, 'scatter_add');
    throw new TypeError(`scatter_add: not supported for ${x.dtype}`);
  }
  const dtype = x.dtype;
  const out = copyOf(x);
  const n = index.numel();
  if (n === 0 || out.numel() === 0) return out;
  const { params, sd } = scatterParams(out, dim, index, src);
  params.i(sd, x.shape[dim]);
  const W = wg();
  dispatch(`scatter_add_${dtype}_${W}`, () => scatterAddSource(dtype, W), [index._gpu(), src._gpu(), out._gpu()], params, Math.ceil(n / W));
  return out;
}

/** cond ? a : b over `shape`, as `dtype`. 0-dim CPU operands are passed as scalars. */
export function whereGpu(cond: Tensor, a: Tensor, b: Tensor, dtype: DType, shape: number[]): Tensor {
  const out = emptyGpu(dtype, shape, 'where');
  const n = numel(shape);
  if (n === 0) return out;
  const ops: WhereOperand[] = [];
  const views: View[] = [];
  const buffers: GPUBuffer[] = [];
  const scalars: number[] = [];
  [cond, a, b].forEach((t, k) => {
    if (!t.is_webgpu) {
      const v = Number(t.itemSync());
      ops.push({ layout: 's', dtype: t.dtype });
      scalars.push(k === 0 ? (v !== 0 ? 1 : 0) : scalarBits(v, dtype));
      return;
    }
    ops.push({ layout: 'v', dtype: t.dtype });
    views.push({ offset: t._offset, strides: broadcastStrides(t, shape) });
    buffers.push(t._gpu());
  });
  const W = wg();
  dispatch(`${whereKey(ops, dtype)}_${W}`, () => whereSource(ops, dtype, W), [...buffers, out._gpu()], viewParams(shape, views).i(...scalars), Math.ceil(n / W));
  return out;
}

/** The webgpu backend's indexing kernels (being moved behind the seam). */
export const indexing: IndexingKernels = {};
