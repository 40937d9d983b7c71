// Batch-norm statistics of a webgpu tensor (the GPU half of ts/nn/functional/norm.ts batchStats):
// two passes as on the CPU, the mean and then the mean squared deviation from it, each one
// reduction over every dim but the channels with no intermediate tensor of the input's size.
import type { NormKernels } from '../ts/backend/kernels/norm.js';
import { Tensor } from '../ts/tensor.js';
import { numel } from '../ts/shape.js';
import { reduceGpu } from './reduce.js';
import { pointwise } from './pointwise.js';

const divBy = (t: Tensor, M: number, C: number): Tensor => new Tensor(pointwise.pointwise('div', [t, M], 'float32', 'float32', [C], 0, 0), [C]);

/** Per-channel [mean, biased variance] of x [N, C, ...] (float32, on webgpu). */
export function batchStatsGpu(x: Tensor): [Tensor, Tensor] {
  const C = x.shape[1];
  const M = numel(x.shape) / Math.max(C, 1);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const sum = reduceGpu('sum', x, dims, 'float32', 'float32', [C]).values;
  const mean = divBy(sum, M, C);
  sum.dispose();
  const sq = reduceGpu('sum', x, dims, 'float32', 'float32', [C], false, mean).values;
  const vr = divBy(sq, M, C);
  sq.dispose();
  return [mean, vr];
}

/** The webgpu backend's norm kernels (being moved behind the seam). */
export const norm: NormKernels = {};
