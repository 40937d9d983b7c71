// The wasm backend's loss kernels: log_softmax over [A, C, B] blocks, forward and backward, each
// one kernel call (assembly/loss.ts), cut into slices of the A blocks for the threads; nll_loss
// over [N, C, S] log-probabilities on the host, as it touches one value per target.
import { ITEMSIZE, KSUFFIX, arrayFor } from '../../dtype.js';
import { numel } from '../../shape.js';
import { Storage } from '../storage.js';
import type { LossKernels } from '../kernels/loss.js';
import { take, scratch, result, fresh } from './runtime.js';
import { bySlices } from './threads.js';
import { materialize, contiguousData, bytesOf, isContiguousView } from './scratch.js';

/** [A, C, B] of `shape` around dim `d`. */
function blocks(shape: readonly number[], d: number): [number, number, number] {
  return [numel(shape.slice(0, d)), shape.length ? shape[d] : 1, numel(shape.slice(d + 1))];
}

/** [N, C, S] of log-probabilities [N, C, d...] or [C]. */
const nllDims = (shape: readonly number[]): [number, number, number] =>
  shape.length === 1 ? [1, shape[0], 1] : [shape[0], shape[1], numel(shape.slice(2))];

export const loss: LossKernels = {
  logSoftmax(x, dim) {
    const dt = x.dtype, n = numel(x.shape);
    if (n === 0) return new Storage(arrayFor(dt, 0), dt);
    const [A, C, B] = blocks(x.shape, dim);
    const y = scratch(() => {
      const xp = materialize(x, dt), yp = result(n * ITEMSIZE[dt]);
      const blk = C * B * ITEMSIZE[dt];
      bySlices(`log_softmax_${KSUFFIX[dt]}`, A, 2 * n * ITEMSIZE[dt], (a, cnt) => [xp + a * blk, yp + a * blk, cnt, C, B]);
      return take(yp, dt, n);
    });
    return new Storage(y, dt);
  },
  logSoftmaxBackward(grad, y, dim) {
    const dt = y.dtype, n = numel(y.shape);
    if (n === 0) return new Storage(arrayFor(dt, 0), dt);
    const [A, C, B] = blocks(y.shape, dim);
    const out = scratch(() => {
      const gp = materialize(grad, dt, y.shape), yp = materialize(y, dt), op = result(n * ITEMSIZE[dt]);
      const blk = C * B * ITEMSIZE[dt];
      bySlices(`log_softmax_bwd_${KSUFFIX[dt]}`, A, 3 * n * ITEMSIZE[dt], (a, cnt) => [gp + a * blk, yp + a * blk, op + a * blk, cnt, C, B]);
      return take(op, dt, n);
    });
    return new Storage(out, dt);
  },
  nllLoss(logp, target, weight, ignoreIndex, reduction) {
    // On the host, like the backward: it reads one value per target, where a kernel would first
    // copy all of [N, C, ...] into scratch (28 MB for the word-language-model's 700 x 10000 logits).
    // Sums in float64 in the kernels' order; each stored value is rounded once.
    const dt = logp.dtype;
    const [N, C, S] = nllDims(logp.shape);
    const m = reduction === 0 ? N * S : 1;
    const dense = isContiguousView(logp.shape, logp._strides);
    const lp = dense ? bytesOf(logp) : contiguousData(logp, dt), base = dense ? logp._offset : 0;
    const t = contiguousData(target, 'int32'), w = weight ? contiguousData(weight, dt) : null;
    const ignore = ignoreIndex | 0;
    const out = arrayFor(dt, m), tw = arrayFor(dt, 1);
    let sum = 0, total = 0;
    for (let i = 0; i < N * S; i++) {
      const c = t[i];
      let l = 0, wt = 0;
      if (c !== ignore) {
        if (c < 0 || c >= C) throw new RangeError(`nll_loss: Target ${c} is out of bounds.`);
        const s = i % S;
        wt = w ? w[c] : 1;
        l = -wt * lp[base + ((i - s) / S * C + c) * S + s];
      }
      if (reduction === 0) out[i] = l;
      else { sum += l; total += wt; }
    }
    if (reduction !== 0) { out[0] = reduction === 1 ? sum / total : sum; tw[0] = total; }
    return [new Storage(out, dt), new Storage(tw, dt)];
  },
  nllLossBackward(grad, shape, target, weight, totalWeight, ignoreIndex, reduction) {
    // zero but at one element per target: a zeroed array with those elements set, where a kernel
    // would zero all of [N, C, ...] in scratch and copy it out (28 MB for the word-language-model's
    // 700 x 10000 logits). A heap block or a recycled array zeroed costs less than a fresh one,
    // whose untouched pages fault when the next kernel copies it in.
    const dt = grad.dtype, n = numel(shape);
    const out = fresh(dt, n, true);
    if (n === 0) return new Storage(out, dt);
    const [N, C, S] = nllDims(shape);
    const g = contiguousData(grad, dt), t = contiguousData(target, 'int32');
    const w = weight ? contiguousData(weight, dt) : null;
    const g0 = reduction === 0 ? 0 : g[0], tw = reduction === 1 ? contiguousData(totalWeight, dt)[0] : 1;
    const ignore = ignoreIndex | 0;
    for (let i = 0; i < N * S; i++) {
      const c = t[i];
      if (c === ignore || c < 0 || c >= C) continue;
      const s = i % S;
      // computed in float64, rounded once on the store
      out[((i - s) / S * C + c) * S + s] = -(w ? w[c] : 1) * (reduction === 0 ? g[i] : g0) / tw;
    }
    return new Storage(out, dt);
  },
};
