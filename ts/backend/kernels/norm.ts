// Normalization kernels: the per-channel statistics of batch_norm (layer_norm and group_norm are
// compositions of tensor ops in ts/nn/functional/norm.ts).
import type { Storage } from '../storage.js';
import type { View } from '../view.js';

export interface NormKernels {
  /**
   * Per-channel mean and biased variance of `x` [N, C, ...] (floating, at least 2 dims) over every
   * dim but 1: two contiguous storages of x's dtype holding C elements each.
   */
  batchStats(x: View): [mean: Storage, variance: Storage];
}
