// The webgpu backend's loss kernels (gpu/wgsl/loss.ts): fused log_softmax and nll_loss, forward
// and backward, float32, on contiguous copies of non-contiguous operands.
import type { LossKernels } from '../ts/backend/kernels/loss.js';
import type { View } from '../ts/backend/view.js';
import { numel } from '../ts/shape.js';
import { dispatch, wg, clear, Params } from './runtime.js';
import { word } from './wgsl/types.js';
import { bufferOf, contiguousView, done, emptyStorage } from './memory.js';
import { logSoftmaxSource, logSoftmaxBackwardSource, nllNoneSource, nllReducedSource, nllBackwardSource } from './wgsl/loss.js';

const nllDims = (shape: readonly number[]): [number, number, number] =>
  shape.length === 1 ? [1, shape[0], 1] : [shape[0], shape[1], numel(shape.slice(2))];

/** Runs `fn` on contiguous versions of `views` (null stays null), freeing the copies after. */
function withContiguous<R>(views: (View | null)[], fn: (c: (View | null)[]) => R): R {
  const cs = views.map((v) => (v ? contiguousView(v) : null));
  try { return fn(cs); } finally { views.forEach((v, i) => { if (v) done(v, cs[i]!); }); }
}

export const loss: LossKernels = {
  logSoftmax(x, dim) {
    word(x.dtype, 'log_softmax');
    const n = numel(x.shape), C = x.shape.length ? x.shape[dim] : 1, B = numel(x.shape.slice(dim + 1));
    const out = emptyStorage(x.dtype, n, 'log_softmax');
    if (n === 0) return out;
    withContiguous([x], ([xc]) => {
      const W = wg(), rows = n / C;
      dispatch(`log_softmax_${W}`, () => logSoftmaxSource(W), [bufferOf(xc!), out.buffer!], new Params().i(rows, C, B, xc!._offset, 0), Math.ceil(rows / W));
    });
    return out;
  },
  logSoftmaxBackward(grad, y, dim) {
    word(y.dtype, 'log_softmax_backward');
    const n = numel(y.shape), C = y.shape.length ? y.shape[dim] : 1, B = numel(y.shape.slice(dim + 1));
    const out = emptyStorage(y.dtype, n, 'log_softmax_backward');
    if (n === 0) return out;
    withContiguous([grad, y], ([gc, yc]) => {
      const W = wg(), rows = n / C;
      dispatch(`log_softmax_bwd_${W}`, () => logSoftmaxBackwardSource(W), [bufferOf(gc!), bufferOf(yc!), out.buffer!], new Params().i(rows, C, B, gc!._offset, yc!._offset), Math.ceil(rows / W));
    });
    return out;
  },
  nllLoss(logp, target, weight, ignoreIndex, reduction) {
    word(logp.dtype, 'nll_loss');
    const [N, C, S] = nllDims(logp.shape), M = N * S;
    const out = emptyStorage(logp.dtype, reduction === 0 ? M : 1, 'nll_loss');
    const tw = emptyStorage(logp.dtype, 1, 'nll_loss');
    withContiguous([logp, target, weight], ([lc, tc, wc]) => {
      const W = wg();
      const params = new Params().i(M, C, S, lc!._offset, tc!._offset, wc ? wc._offset : 0, wc ? 1 : 0, ignoreIndex, reduction);
      const buffers = [bufferOf(lc!), bufferOf(tc!), bufferOf(wc ?? lc!), out.buffer!, tw.buffer!];
      if (reduction === 0) dispatch(`nll_none_${W}`, () => nllNoneSource(W), buffers, params, Math.max(1, Math.ceil(M / W)));
      else dispatch(`nll_reduced_${W}`, () => nllReducedSource(W), buffers, params, 1);
    });
    return [out, tw];
  },
  nllLossBackward(grad, shape, target, weight, totalWeight, ignoreIndex, reduction) {
    word(grad.dtype, 'nll_loss_backward');
    const n = numel(shape);
    const [N, C, S] = nllDims(shape), M = N * S;
    const out = emptyStorage(grad.dtype, n, 'nll_loss_backward');
    if (n === 0) return out;
    clear(out.buffer!, 0, n * 4);
    withContiguous([grad, target, weight, totalWeight], ([gc, tc, wc, twc]) => {
      const W = wg();
      const params = new Params().i(M, C, S, gc!._offset, tc!._offset, wc ? wc._offset : 0, wc ? 1 : 0, ignoreIndex, reduction, twc!._offset);
      dispatch(`nll_bwd_${W}`, () => nllBackwardSource(W), [bufferOf(gc!), bufferOf(tc!), bufferOf(wc ?? gc!), bufferOf(twc!), out.buffer!], params, Math.ceil(M / W));
    });
    return out;
  },
};
