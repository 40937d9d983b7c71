// The webgpu backend's pooling kernels: max (with argmax indices), average and adaptive pools
// over the last two dims, forward and backward, on views (gpu/wgsl/pool.ts; same windows, same
// results as the wasm kernels).
import type { PoolKernels, PoolGeom } from '../ts/backend/kernels/pool.js';
import type { View } from '../ts/backend/view.js';
import { numel } from '../ts/shape.js';
import { dispatch, wg, Params } from './runtime.js';
import { emptyStorage, contiguousView, done, bufferOf } from './memory.js';
import { word } from './wgsl/types.js';
import { maxPoolSource, maxPoolBackwardSource, poolGatherSource, avgPoolSource, avgPoolBackwardSource } from './wgsl/pool.js';

/** Params of gpu/wgsl/pool.ts: sizes, window, then the offsets of the (contiguous) inputs. */
function params(n: number, g: PoolGeom, inputs: View[]): Params {
  const [kh, kw] = g.k ?? [1, 1], [sh, sw] = g.s ?? [1, 1], [ph, pw] = g.p ?? [0, 0], [dh, dw] = g.d ?? [1, 1];
  return new Params().i(n, g.H, g.W, g.OH, g.OW, kh, kw, sh, sw, ph, pw, dh, dw, g.includePad ? 1 : 0, g.divisor ?? 0,
    inputs[0]._offset, inputs[1]?._offset ?? 0);
}

/** Runs `fn` on x as a contiguous GPU view (possibly offset in its buffer), freeing a copy made for it. */
function withContiguous<T>(op: string, x: View, fn: (c: View) => T): T {
  word(x.dtype, op);
  const c = contiguousView(x);
  try { return fn(c); } finally { done(x, c); }
}

const kind = (g: PoolGeom) => (g.adaptive ? 'adaptive' : 'window');

export const pool: PoolKernels = {
  maxPool(x, g, outShape) {
    const n = numel(outShape);
    if (n === 0) return [emptyStorage(x.dtype, 0, 'max_pool2d'), emptyStorage('int32', 0)];
    const W = wg();
    return withContiguous('max_pool2d', x, (c) => {
      const values = emptyStorage(x.dtype, n, 'max_pool2d'), indices = emptyStorage('int32', n);
      dispatch(`maxpool_${kind(g)}_${W}`, () => maxPoolSource(g.adaptive, W),
        [bufferOf(c), values.buffer!, indices.buffer!], params(n, g, [c]), Math.ceil(n / W));
      return [values, indices];
    });
  },

  /** Each input element gathers the output gradients whose windows chose it (deterministic, no atomics). */
  maxPoolBackward(grad, indices, g, inShape) {
    const n = numel(inShape);
    if (n === 0) return emptyStorage(grad.dtype, 0, 'max_pool2d_backward');
    const W = wg();
    return withContiguous('max_pool2d_backward', grad, (gc) => withContiguous('max_pool2d_backward', indices, (ic) => {
      const dx = emptyStorage(grad.dtype, n, 'max_pool2d_backward');
      dispatch(`maxpool_bwd_${kind(g)}_${W}`, () => maxPoolBackwardSource(g.adaptive, W),
        [bufferOf(gc), bufferOf(ic), dx.buffer!], params(n, g, [gc, ic]), Math.ceil(n / W));
      return dx;
    }));
  },

  poolGather(x, indices) {
    const n = numel(indices.shape);
    if (n === 0) return emptyStorage(x.dtype, 0, 'max_pool2d_backward');
    const HW = x.shape[x.shape.length - 1] * x.shape[x.shape.length - 2];
    const P = HW ? numel(x.shape) / HW : 0;
    const S = P ? n / P : 0;
    const W = wg();
    return withContiguous('max_pool2d_backward', x, (xc) => withContiguous('max_pool2d_backward', indices, (ic) => {
      const out = emptyStorage(x.dtype, n, 'max_pool2d_backward');
      dispatch(`pool_gather_${W}`, () => poolGatherSource(W), [bufferOf(xc), bufferOf(ic), out.buffer!],
        new Params().i(n, S, HW, xc._offset, ic._offset), Math.ceil(n / W));
      return out;
    }));
  },

  avgPool(x, g, backward, shape) {
    const n = numel(shape);
    if (n === 0) return emptyStorage(x.dtype, 0, 'avg_pool2d');
    const W = wg();
    const key = `avgpool_${backward ? 'bwd' : 'fwd'}_${kind(g)}_${W}`;
    const source = () => (backward ? avgPoolBackwardSource : avgPoolSource)(g.adaptive, W);
    return withContiguous('avg_pool2d', x, (c) => {
      const out = emptyStorage(x.dtype, n, 'avg_pool2d');
      dispatch(key, source, [bufferOf(c), out.buffer!], params(n, g, [c]), Math.ceil(n / W));
      return out;
    });
  },
};
