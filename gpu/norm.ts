// Batch-norm statistics of a webgpu view: two passes as on the CPU, the mean and then the mean
// squared deviation from it, each one reduction over every dim but the channels with no
// intermediate of the input's size.
import type { NormKernels } from '../ts/backend/kernels/norm.js';
import type { Storage } from '../ts/backend/storage.js';
import { viewOf, type View } from '../ts/backend/view.js';
import { numel } from '../ts/shape.js';
import { reduceView } from './reduce.js';
import { pointwise } from './pointwise.js';

/** A new float32 storage of the C values of `s` divided by M (`s` is freed). */
function divBy(s: Storage, M: number, C: number): Storage {
  try { return pointwise.pointwise('div', [viewOf(s, [C]), M], 'float32', 'float32', [C], 0, 0); } finally { s.free(); }
}

/** The webgpu backend's norm kernels. */
export const norm: NormKernels = {
  /** Per-channel [mean, biased variance] of x [N, C, ...] (float32). */
  batchStats(x: View): [Storage, Storage] {
    const C = x.shape[1];
    const M = numel(x.shape) / Math.max(C, 1);
    const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const mean = divBy(reduceView('sum', x, dims, 'float32', 'float32')[0], M, C);
    try {
      const vr = divBy(reduceView('sum', x, dims, 'float32', 'float32', false, viewOf(mean, [C]))[0], M, C);
      return [mean, vr];
    } catch (e) {
      mean.free();
      throw e;
    }
  },
};
