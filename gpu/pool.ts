// Pooling on webgpu tensors (the GPU half of ts/nn/functional/pooling.ts): max (with argmax
// indices), average and adaptive pools over the last two dims, forward and backward.
import type { PoolKernels } from '../ts/backend/kernels/pool.js';
import { Tensor } from '../ts/tensor.js';
import { numel } from '../ts/shape.js';
import { dispatch, wg, Params } from './runtime.js';
import { emptyGpu, contiguous } from './tensor.js';
import { word } from './wgsl/types.js';
import { maxPoolSource, maxPoolBackwardSource, poolGatherSource, avgPoolSource, avgPoolBackwardSource } from './wgsl/pool.js';

/**
 * The geometry of a 2-d pool over planes of H x W (1-d pools run with H = 1): output size, and for
 * sliding windows kernel [kh, kw], stride, padding and dilation; adaptive pools need no more.
 */
export interface PoolGeom {
  H: number; W: number; OH: number; OW: number;
  adaptive: boolean;
  k?: number[]; s?: number[]; p?: number[]; d?: number[];
  /** average pooling: count padding in the divisor; a divisor override (0: none) */
  includePad?: boolean; divisor?: number;
}

/** Params of gpu/wgsl/pool.ts: sizes, window, then the offsets of the (contiguous) inputs. */
function params(n: number, g: PoolGeom, inputs: Tensor[]): Params {
  const [kh, kw] = g.k ?? [1, 1], [sh, sw] = g.s ?? [1, 1], [ph, pw] = g.p ?? [0, 0], [dh, dw] = g.d ?? [1, 1];
  return new Params().i(n, g.H, g.W, g.OH, g.OW, kh, kw, sh, sw, ph, pw, dh, dw, g.includePad ? 1 : 0, g.divisor ?? 0,
    inputs[0]._offset, inputs[1]?._offset ?? 0);
}

/** Runs `fn` on x as a contiguous GPU tensor (possibly offset in its buffer), disposing a copy made for it. */
function withContiguous<T>(op: string, x: Tensor, fn: (c: Tensor) => T): T {
  word(x.dtype, op);
  const c = contiguous(x);
  try { return fn(c); } finally { if (c !== x) c.dispose(); }
}

const kind = (g: PoolGeom) => (g.adaptive ? 'adaptive' : 'window');

/** Max pooling of x ([..., H, W]) into values and int32 indices of `outShape`. */
export function maxPoolGpu(x: Tensor, g: PoolGeom, outShape: number[]): [Tensor, Tensor] {
  const values = emptyGpu(x.dtype, outShape, 'max_pool2d'), indices = emptyGpu('int32', outShape);
  const n = numel(outShape);
  if (n === 0) return [values, indices];
  const W = wg();
  withContiguous('max_pool2d', x, (c) => dispatch(`maxpool_${kind(g)}_${W}`, () => maxPoolSource(g.adaptive, W),
    [c._gpu(), values._gpu(), indices._gpu()], params(n, g, [c]), Math.ceil(n / W)));
  return [values, indices];
}

/** Gradient of max pooling: g (of the output's shape) routed to each plane's argmax positions. */
export function maxPoolBackwardGpu(grad: Tensor, idx: Tensor, g: PoolGeom, inShape: number[]): Tensor {
  const dx = emptyGpu(grad.dtype, inShape, 'max_pool2d_backward');
  const n = numel(inShape);
  if (n === 0) return dx;
  const W = wg();
  withContiguous('max_pool2d_backward', grad, (gc) => withContiguous('max_pool2d_backward', idx, (ic) =>
    dispatch(`maxpool_bwd_${kind(g)}_${W}`, () => maxPoolBackwardSource(g.adaptive, W),
      [gc._gpu(), ic._gpu(), dx._gpu()], params(n, g, [gc, ic]), Math.ceil(n / W))));
  return dx;
}

/** out[p, o] = x[p, idx[p, o]] over planes of H*W (the gradient of maxPoolBackwardGpu). */
export function poolGatherGpu(x: Tensor, idx: Tensor, HW: number): Tensor {
  const out = emptyGpu(x.dtype, idx.shape, 'max_pool2d_backward');
  const n = idx.numel();
  if (n === 0) return out;
  const P = HW ? x.numel() / HW : 0;
  const S = P ? n / P : 0;
  const W = wg();
  withContiguous('max_pool2d_backward', x, (xc) => withContiguous('max_pool2d_backward', idx, (ic) =>
    dispatch(`pool_gather_${W}`, () => poolGatherSource(W), [xc._gpu(), ic._gpu(), out._gpu()], new Params().i(n, S, HW, xc._offset, ic._offset), Math.ceil(n / W))));
  return out;
}

/**
 * Average pooling (sliding or adaptive windows). Forward: x is [..., H, W], the result `shape` is
 * [..., OH, OW]; backward: x is the output gradient, the result the input gradient.
 */
export function avgPoolGpu(x: Tensor, g: PoolGeom, backward: boolean, shape: number[]): Tensor {
  const out = emptyGpu(x.dtype, shape, 'avg_pool2d');
  const n = numel(shape);
  if (n === 0) return out;
  const W = wg();
  const key = `avgpool_${backward ? 'bwd' : 'fwd'}_${kind(g)}_${W}`;
  const source = () => (backward ? avgPoolBackwardSource : avgPoolSource)(g.adaptive, W);
  withContiguous('avg_pool2d', x, (c) => dispatch(key, source, [c._gpu(), out._gpu()], params(n, g, [c]), Math.ceil(n / W)));
  return out;
}

/** The webgpu backend's pool kernels (being moved behind the seam). */
export const pool: PoolKernels = {};
